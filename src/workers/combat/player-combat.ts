import { MAX_CLASS_SKILLS } from '../../content/class-table.ts';
import type { Reader } from '../../protocol/reader.ts';
import { MAX_SELF_BYTES } from '../../protocol/self-state.ts';
import type { Writer } from '../../protocol/writer.ts';
import { MAX_BASELINES_PER_CLIENT } from '../../shared/send-rate.ts';

/** ACTIONs one player may send in a tick (the client's message rate allows about six). */
export const ACTIONS_PER_TICK = 8;

/**
 * Events only the player is told (its refusals, its experience), held until
 * its next snapshot: frames may be several ticks apart (SEND_HZ below
 * TICK_HZ, a paced client), so room for a few ticks' worth.
 */
export const PRIVATE_EVENTS = 32;
/** u32 words of one private event: type, detail, source, target, skill, amount. */
const EW = 6;
/** Bytes of write() without the cooldowns and private events. */
const FIXED_BYTES = 1 + 4 + 2 + 4 + 4 + 4 * 4 + 2 + 2 + 4 + 2 * 4 + 2 + 2 + 1 + 4 + 1 + 1;

/**
 * What a cell knows of one player's fighting that nobody else needs: its
 * auto-attack, the cast in progress, a skill waiting a tick for its target
 * to be sensed, cooldowns by class skill, the newest action handled, the
 * events only it is told, and the self records its snapshots carried (the
 * baselines of its self section). One object per player, made when it
 * arrives in the cell (join, handoff, restart), never per tick.
 */
export class PlayerCombat {
  autoAttack = false;
  /** Zone tick of the next auto-attack swing. */
  nextSwing = 0;
  /** The cast in progress (0: none): its target (a handle, 0: a point or none), point, and where the caster stood. */
  castSkill = 0;
  castEnd = 0;
  castTarget = 0;
  castX = 0;
  castY = 0;
  castFromX = 0;
  castFromY = 0;
  castSeq = 0;
  /** A skill asked on a target not sensed yet: tried again next tick, once. */
  waitSkill = 0;
  waitTarget = 0;
  waitX = 0;
  waitY = 0;
  waitSeq = 0;
  /** Zone tick each class skill (by its index in the class's list) is ready again. */
  readonly cooldown = new Int32Array(MAX_CLASS_SKILLS);
  /** Zone tick the global cooldown ends (no skill before it). */
  gcdEnd = 0;
  actionSeq = 0;
  hasAction = false;
  /** ACTIONs received this tick (input phase), carried out by the combat system in order. */
  queued = 0;
  readonly qKind = new Uint8Array(ACTIONS_PER_TICK);
  readonly qSeq = new Uint16Array(ACTIONS_PER_TICK);
  readonly qTarget = new Uint32Array(ACTIONS_PER_TICK);
  readonly qSkill = new Uint16Array(ACTIONS_PER_TICK);
  readonly qX = new Float32Array(ACTIONS_PER_TICK);
  readonly qY = new Float32Array(ACTIONS_PER_TICK);
  readonly privateEvents = new Uint32Array(PRIVATE_EVENTS * EW);
  privateCount = 0;
  /**
   * The self section's baselines: for each tick a snapshot carried, the
   * stamp (CombatState.selfStamp) its record had; a record is the same as a
   * baseline's exactly when their stamps are.
   */
  readonly selfTick = new Int32Array(MAX_BASELINES_PER_CLIENT);
  readonly selfStampAt = new Uint32Array(MAX_BASELINES_PER_CLIENT);
  private selfNext = 0;
  /** The record last encoded, and the stamp it was encoded at (-1: none yet). */
  readonly selfBytes = new Uint8Array(MAX_SELF_BYTES);
  selfLength = 0;
  selfStamp = -1;

  /** Back to a fresh state (a pooled object reused for another player). */
  reset(): void {
    this.autoAttack = false;
    this.nextSwing = 0;
    this.castSkill = 0;
    this.castTarget = 0;
    this.waitSkill = 0;
    this.cooldown.fill(0);
    this.gcdEnd = 0;
    this.actionSeq = 0;
    this.hasAction = false;
    this.queued = 0;
    this.privateCount = 0;
    this.forgetSelf();
  }

  /** Queues an event only this player is told; false (dropped) when PRIVATE_EVENTS wait already. */
  tell(type: number, detail: number, source: number, target: number, skill: number, amount: number): boolean {
    if (this.privateCount === PRIVATE_EVENTS) return false;
    const o = this.privateCount++ * EW;
    const e = this.privateEvents;
    e[o] = type;
    e[o + 1] = detail;
    e[o + 2] = source;
    e[o + 3] = target;
    e[o + 4] = skill;
    e[o + 5] = amount;
    return true;
  }

  /** Private event `i`'s field `k` (0 type .. 5 amount). */
  told(i: number, k: number): number {
    return this.privateEvents[i * EW + k];
  }

  /** Index of the self baseline of `tick`, or -1. */
  selfAt(tick: number): number {
    if (tick === 0) return -1;
    for (let i = 0; i < MAX_BASELINES_PER_CLIENT; i++) if (this.selfTick[i] === tick) return i;
    return -1;
  }

  /** Records that the snapshot of `tick` carried (or kept) the record of `stamp`, in the oldest baseline's place. */
  claimSelf(tick: number, stamp: number): void {
    const i = this.selfNext;
    this.selfNext = (i + 1) % MAX_BASELINES_PER_CLIENT;
    this.selfTick[i] = tick;
    this.selfStampAt[i] = stamp;
  }

  /** Forgets every self baseline and the last record: the next snapshot carries it in full. */
  forgetSelf(): void {
    this.selfTick.fill(0);
    this.selfNext = 0;
    this.selfStamp = -1;
  }

  /** Bytes write() takes. */
  size(known: number): number {
    return FIXED_BYTES + known * 4 + this.privateCount * EW * 4;
  }

  /** For a handoff: everything but the self baselines (the new owner sends the record in full). */
  write(w: Writer, known: number): void {
    w.u8(this.autoAttack ? 1 : 0);
    w.i32(this.nextSwing);
    w.u16(this.castSkill);
    w.i32(this.castEnd);
    w.u32(this.castTarget);
    w.f32(this.castX);
    w.f32(this.castY);
    w.f32(this.castFromX);
    w.f32(this.castFromY);
    w.u16(this.castSeq);
    w.u16(this.waitSkill);
    w.u32(this.waitTarget);
    w.f32(this.waitX);
    w.f32(this.waitY);
    w.u16(this.waitSeq);
    w.u16(this.actionSeq);
    w.u8(this.hasAction ? 1 : 0);
    w.i32(this.gcdEnd);
    w.u8(known);
    for (let i = 0; i < known; i++) w.i32(this.cooldown[i]);
    w.u8(this.privateCount);
    for (let i = 0; i < this.privateCount * EW; i++) w.u32(this.privateEvents[i]);
  }

  read(r: Reader): void {
    this.reset();
    this.autoAttack = r.u8() === 1;
    this.nextSwing = r.i32();
    this.castSkill = r.u16();
    this.castEnd = r.i32();
    this.castTarget = r.u32();
    this.castX = r.f32();
    this.castY = r.f32();
    this.castFromX = r.f32();
    this.castFromY = r.f32();
    this.castSeq = r.u16();
    this.waitSkill = r.u16();
    this.waitTarget = r.u32();
    this.waitX = r.f32();
    this.waitY = r.f32();
    this.waitSeq = r.u16();
    this.actionSeq = r.u16();
    this.hasAction = r.u8() === 1;
    this.gcdEnd = r.i32();
    const known = Math.min(r.u8(), MAX_CLASS_SKILLS);
    for (let i = 0; i < known; i++) this.cooldown[i] = r.i32();
    const events = Math.min(r.u8(), PRIVATE_EVENTS);
    for (let i = 0; i < events * EW; i++) this.privateEvents[i] = r.u32();
    this.privateCount = events;
  }
}
