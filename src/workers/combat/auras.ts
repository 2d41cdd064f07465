import { AuraKind } from '../../protocol/combat-codes.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';

/** Auras one entity carries at once; past it the one ending soonest gives way. */
export const AURA_SLOTS = 8;
/** No source (an aura whose caster is unknown). */
const NONE = -1;

/**
 * Buffs, debuffs and damage or heal over time on the entities a cell owns,
 * AURA_SLOTS per entity in flat typed arrays (no object per aura). Owned by
 * the target's cell, which ticks them (combat/periodic.ts) and carries them
 * in handoffs. A buff or debuff of a skill's effect stacks up to its
 * maxStacks whoever cast it; a damage or heal over time is one per caster
 * (a second cast refreshes it).
 */
export class Auras {
  readonly count: Uint8Array;
  readonly skill: Uint16Array;
  readonly effect: Uint8Array;
  /** AuraKind. */
  readonly kind: Uint8Array;
  /** Handle of the caster (held as a double: -1 is none). */
  readonly source: Float64Array;
  /** Zone ticks: when it ends, when it next ticks (periodic ones). */
  readonly endTick: Int32Array;
  readonly nextTick: Int32Array;
  /** Ticks between periodic ticks (0: not periodic). */
  readonly period: Int32Array;
  /** Damage or heal per periodic tick. */
  readonly amount: Int32Array;
  readonly stacks: Uint8Array;
  readonly school: Uint8Array;
  /** The caster's level (periodic damage is logged with it). */
  readonly level: Uint8Array;
  /** Bumped per slot on every change (CombatState.selfStamp: the self record lists a player's auras). */
  private readonly stamps: Uint32Array;

  constructor(capacity: number, stamps: Uint32Array = new Uint32Array(capacity)) {
    this.stamps = stamps;
    const n = capacity * AURA_SLOTS;
    this.count = new Uint8Array(capacity);
    this.skill = new Uint16Array(n);
    this.effect = new Uint8Array(n);
    this.kind = new Uint8Array(n);
    this.source = new Float64Array(n).fill(NONE);
    this.endTick = new Int32Array(n);
    this.nextTick = new Int32Array(n);
    this.period = new Int32Array(n);
    this.amount = new Int32Array(n);
    this.stacks = new Uint8Array(n);
    this.school = new Uint8Array(n);
    this.level = new Uint8Array(n);
  }

  /**
   * Puts an aura on `slot` (or refreshes the one it stacks with) and returns
   * its index (slot × AURA_SLOTS + i). A periodic one first ticks one period
   * from now.
   */
  add(slot: number, skill: number, effect: number, kind: number, source: number, tick: number, duration: number, period: number, amount: number, maxStacks: number, school: number, level: number): number {
    const base = slot * AURA_SLOTS;
    const n = this.count[slot];
    const perCaster = kind === AuraKind.DAMAGE_OVER_TIME || kind === AuraKind.HEAL_OVER_TIME;
    this.stamps[slot]++;
    let at = -1;
    for (let i = base; i < base + n; i++) {
      if (this.skill[i] === skill && this.effect[i] === effect && (!perCaster || this.source[i] === source)) {
        at = i;
        break;
      }
    }
    if (at >= 0) {
      // Refreshed: a longer stay, one more stack (up to the most), the newest caster's numbers.
      this.endTick[at] = tick + duration;
      if (this.stacks[at] < maxStacks) this.stacks[at]++;
      this.amount[at] = amount;
      this.source[at] = source;
      this.level[at] = level;
      return at;
    }
    if (n < AURA_SLOTS) {
      at = base + n;
      this.count[slot] = n + 1;
    } else {
      at = base;
      for (let i = base + 1; i < base + n; i++) if (this.endTick[i] < this.endTick[at]) at = i;
    }
    this.skill[at] = skill;
    this.effect[at] = effect;
    this.kind[at] = kind;
    this.source[at] = source;
    this.endTick[at] = tick + duration;
    this.period[at] = period;
    this.nextTick[at] = tick + (period > 0 ? period : duration);
    this.amount[at] = amount;
    this.stacks[at] = 1;
    this.school[at] = school;
    this.level[at] = level;
    return at;
  }

  /** Removes aura `at` (an index from add()) of `slot`; the last one takes its place. */
  removeAt(slot: number, at: number): void {
    const last = slot * AURA_SLOTS + this.count[slot] - 1;
    this.stamps[slot]++;
    if (at !== last) this.copy(last, at);
    this.source[last] = NONE;
    this.count[slot]--;
  }

  private copy(from: number, to: number): void {
    this.skill[to] = this.skill[from];
    this.effect[to] = this.effect[from];
    this.kind[to] = this.kind[from];
    this.source[to] = this.source[from];
    this.endTick[to] = this.endTick[from];
    this.nextTick[to] = this.nextTick[from];
    this.period[to] = this.period[from];
    this.amount[to] = this.amount[from];
    this.stacks[to] = this.stacks[from];
    this.school[to] = this.school[from];
    this.level[to] = this.level[from];
  }

  clear(slot: number): void {
    if (this.count[slot] !== 0) this.stamps[slot]++;
    this.count[slot] = 0;
  }

  /** True when `slot` has a buff or debuff (which change its stats). */
  changesStats(slot: number): boolean {
    const base = slot * AURA_SLOTS;
    for (let i = base; i < base + this.count[slot]; i++) if (this.kind[i] === AuraKind.BUFF || this.kind[i] === AuraKind.DEBUFF) return true;
    return false;
  }

  /** Moves the end and next ticks of `slot`'s auras by `by` ticks (a carry through a portal: combat/carry.ts). */
  shift(slot: number, by: number): void {
    for (let i = slot * AURA_SLOTS; i < slot * AURA_SLOTS + this.count[slot]; i++) {
      this.endTick[i] += by;
      this.nextTick[i] += by;
    }
  }

  /** Forgets who cast `slot`'s auras (their handles belong to another zone). */
  forgetSources(slot: number): void {
    this.source.fill(NONE, slot * AURA_SLOTS, (slot + 1) * AURA_SLOTS);
  }

  /** Bytes write() takes for `slot`. */
  size(slot: number): number {
    return 1 + this.count[slot] * 32;
  }

  write(w: Writer, slot: number): void {
    const n = this.count[slot];
    w.u8(n);
    for (let i = slot * AURA_SLOTS; i < slot * AURA_SLOTS + n; i++) {
      w.u16(this.skill[i]);
      w.u8(this.effect[i]);
      w.u8(this.kind[i]);
      w.f64(this.source[i]);
      w.i32(this.endTick[i]);
      w.i32(this.nextTick[i]);
      w.i32(this.period[i]);
      w.i32(this.amount[i]);
      w.u8(this.stacks[i]);
      w.u8(this.school[i]);
      w.u8(this.level[i]);
      w.u8(0);
    }
  }

  read(r: Reader, slot: number): void {
    const n = Math.min(r.u8(), AURA_SLOTS);
    for (let i = slot * AURA_SLOTS; i < slot * AURA_SLOTS + n; i++) {
      this.skill[i] = r.u16();
      this.effect[i] = r.u8();
      this.kind[i] = r.u8();
      this.source[i] = r.f64();
      this.endTick[i] = r.i32();
      this.nextTick[i] = r.i32();
      this.period[i] = r.i32();
      this.amount[i] = r.i32();
      this.stacks[i] = r.u8();
      this.school[i] = r.u8();
      this.level[i] = r.u8();
      r.u8();
    }
    this.count[slot] = n;
    this.stamps[slot]++;
  }
}
