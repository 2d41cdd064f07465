import { AURA_KIND_MAX, RESOURCE_COUNT } from './combat-codes.ts';
import { ErrorCode, ProtocolError } from './errors.ts';
import { Limits } from './opcodes.ts';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';

/**
 * The player's own state, which only it is sent: experience, its current
 * stats, its skills and their cooldowns, its auras, the last action the
 * server handled. The last section of a snapshot:
 *
 *   u8 present: 0 = the same as in the snapshot's baseline (none in a full
 *               snapshot), 1 = a self record follows
 *   self record:
 *     u16 actionSeq   seq of the newest ACTION the server handled
 *     u8  resource    Resource (mana, energy, rage)
 *     u8  flags       SelfFlags
 *     u32 xp | u32 xpLevel | u32 xpNext
 *                     total experience; where the current level began; where
 *                     the next one begins (0: the last level)
 *     SELF_STATS.length × u16   current stats (clamped to 0..65535)
 *     u8 n, n × (u16 skill | u32 readyTick)       skills known; the zone tick each is ready again
 *                     (ready when the zone's tick has reached it; 0: never used)
 *     u8 n, n × (u16 skill | u8 kind | u32 endTick | u8 stacks)   auras on the player (AuraKind)
 *
 * Like entity updates it is a delta against the acknowledged baseline, all
 * or nothing: the server sends the record when it differs from the one the
 * baseline tick had, so a skipped snapshot costs nothing, and a client
 * holds one self state per tick it keeps (ClientView).
 */
export const SELF_STATS = ['attackPower', 'spellPower', 'armor', 'resistance', 'critChance', 'dodgeChance', 'healthRegen', 'manaRegen'] as const;
export const SelfFlags = { AUTO_ATTACK: 1 } as const;
const SELF_FLAGS_MASK = 1;

const FIXED_BYTES = 2 + 1 + 1 + 12 + 2 * SELF_STATS.length + 1 + 1;
const SKILL_BYTES = 6;
const AURA_BYTES = 8;
/** Largest self record (without its present byte). */
export const MAX_SELF_BYTES = FIXED_BYTES + Limits.maxSelfSkills * SKILL_BYTES + Limits.maxSelfAuras * AURA_BYTES;

/** One player's own state, decoded or about to be encoded (reused; no allocation per snapshot). */
export class SelfState {
  actionSeq = 0;
  resource = 0;
  flags = 0;
  xp = 0;
  xpLevel = 0;
  xpNext = 0;
  readonly stats = new Uint16Array(SELF_STATS.length);
  skillCount = 0;
  readonly skills = new Uint16Array(Limits.maxSelfSkills);
  readonly readyTick = new Uint32Array(Limits.maxSelfSkills);
  auraCount = 0;
  readonly auraSkill = new Uint16Array(Limits.maxSelfAuras);
  readonly auraKind = new Uint8Array(Limits.maxSelfAuras);
  readonly auraEnd = new Uint32Array(Limits.maxSelfAuras);
  readonly auraStacks = new Uint8Array(Limits.maxSelfAuras);

  /**
   * Becomes a copy of `o`: its skills and auras up to their counts (what a
   * record holds; entries past a count mean nothing). A client copies a
   * record per snapshot, so loops over the few entries in use, not whole
   * arrays.
   */
  copyFrom(o: SelfState): void {
    if (o === this) return;
    this.actionSeq = o.actionSeq;
    this.resource = o.resource;
    this.flags = o.flags;
    this.xp = o.xp;
    this.xpLevel = o.xpLevel;
    this.xpNext = o.xpNext;
    const stats = this.stats;
    for (let i = 0; i < stats.length; i++) stats[i] = o.stats[i];
    const skills = o.skillCount;
    this.skillCount = skills;
    for (let i = 0; i < skills; i++) {
      this.skills[i] = o.skills[i];
      this.readyTick[i] = o.readyTick[i];
    }
    const auras = o.auraCount;
    this.auraCount = auras;
    for (let i = 0; i < auras; i++) {
      this.auraSkill[i] = o.auraSkill[i];
      this.auraKind[i] = o.auraKind[i];
      this.auraEnd[i] = o.auraEnd[i];
      this.auraStacks[i] = o.auraStacks[i];
    }
  }

  /** Current stat by name. */
  stat(name: (typeof SELF_STATS)[number]): number {
    return this.stats[SELF_STATS.indexOf(name)];
  }

  get autoAttack(): boolean {
    return (this.flags & SelfFlags.AUTO_ATTACK) !== 0;
  }

  /** Zone tick skill `skill` is ready again: ready once the zone's tick reaches it (0: never used, or not known: see knows()). */
  readyAt(skill: number): number {
    for (let i = 0; i < this.skillCount; i++) if (this.skills[i] === skill) return this.readyTick[i];
    return 0;
  }

  knows(skill: number): boolean {
    for (let i = 0; i < this.skillCount; i++) if (this.skills[i] === skill) return true;
    return false;
  }
}

const clamp16 = (v: number): number => (v > 0xffff ? 0xffff : v > 0 ? v : 0);

/** Writes a self record (no present byte). */
export function writeSelf(w: Writer, s: SelfState): void {
  w.u16(s.actionSeq);
  w.u8(s.resource);
  w.u8(s.flags);
  w.u32(s.xp);
  w.u32(s.xpLevel);
  w.u32(s.xpNext);
  for (let i = 0; i < SELF_STATS.length; i++) w.u16(clamp16(s.stats[i]));
  const skills = Math.min(s.skillCount, Limits.maxSelfSkills);
  w.u8(skills);
  for (let i = 0; i < skills; i++) {
    w.u16(s.skills[i]);
    w.u32(s.readyTick[i]);
  }
  const auras = Math.min(s.auraCount, Limits.maxSelfAuras);
  w.u8(auras);
  for (let i = 0; i < auras; i++) {
    w.u16(s.auraSkill[i]);
    w.u8(s.auraKind[i]);
    w.u32(s.auraEnd[i]);
    w.u8(s.auraStacks[i]);
  }
}

function bad(message: string): never {
  throw new ProtocolError(ErrorCode.BAD_VALUE, message);
}

/** Reads a self record (after its present byte) into `out`; throws ProtocolError on values out of range. */
export function readSelf(r: Reader, out: SelfState): void {
  out.actionSeq = r.u16();
  out.resource = r.u8();
  if (out.resource >= RESOURCE_COUNT) bad(`unknown resource ${out.resource}`);
  out.flags = r.u8();
  if ((out.flags & ~SELF_FLAGS_MASK) !== 0) bad(`unknown self flags ${out.flags}`);
  out.xp = r.u32();
  out.xpLevel = r.u32();
  out.xpNext = r.u32();
  if (out.xpLevel > out.xp || (out.xpNext !== 0 && out.xpNext <= out.xpLevel)) bad('self experience out of order');
  for (let i = 0; i < SELF_STATS.length; i++) out.stats[i] = r.u16();
  const skills = r.u8();
  if (skills > Limits.maxSelfSkills) bad(`${skills} skills exceed the limit of ${Limits.maxSelfSkills}`);
  for (let i = 0; i < skills; i++) {
    out.skills[i] = r.u16();
    if (out.skills[i] === 0) bad('self skill 0');
    out.readyTick[i] = r.u32();
  }
  out.skillCount = skills;
  const auras = r.u8();
  if (auras > Limits.maxSelfAuras) bad(`${auras} auras exceed the limit of ${Limits.maxSelfAuras}`);
  for (let i = 0; i < auras; i++) {
    out.auraSkill[i] = r.u16();
    out.auraKind[i] = r.u8();
    if (out.auraKind[i] < 1 || out.auraKind[i] > AURA_KIND_MAX) bad(`unknown aura kind ${out.auraKind[i]}`);
    out.auraEnd[i] = r.u32();
    out.auraStacks[i] = r.u8();
  }
  out.auraCount = auras;
}
