import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';

/** Entries of one NPC's threat table; past it the least threatening is replaced. */
export const THREAT_ENTRIES = 8;
/** No target. */
export const NO_TARGET = -1;
/** A new target must exceed the current one's threat by this much in melee range... */
export const SWITCH_MELEE = 1.1;
/** ...and by this much out of it (TrinityCore's 110 % / 130 % rule). */
export const SWITCH_RANGED = 1.3;

/**
 * Threat tables of a cell's NPCs in flat typed arrays: THREAT_ENTRIES
 * (handle, threat) pairs per slot, unordered, handle -1 for a free entry,
 * plus a taunt (a handle that wins until a tick). No objects per NPC or per
 * entry; travels in handoffs with the rest of the NPC's memory.
 */
export class ThreatTables {
  /**
   * Entry handles (u32, held as doubles so -1 can mean "none" without
   * stealing one) and threat, THREAT_ENTRIES per slot from slot × THREAT_ENTRIES.
   * Public so hot loops read them in place: a handle passed to or returned
   * from a call V8 does not inline is a boxed double.
   */
  readonly handles: Float64Array;
  readonly threat: Float32Array;
  private readonly tauntBy: Float64Array;
  private readonly tauntUntil: Int32Array;

  constructor(capacity: number) {
    this.handles = new Float64Array(capacity * THREAT_ENTRIES).fill(NO_TARGET);
    this.threat = new Float32Array(capacity * THREAT_ENTRIES);
    this.tauntBy = new Float64Array(capacity).fill(NO_TARGET);
    this.tauntUntil = new Int32Array(capacity);
  }

  /** Adds threat from `handle` (the NPC's attacker, healer of its target...). */
  add(slot: number, handle: number, amount: number): void {
    const base = slot * THREAT_ENTRIES;
    const h = this.handles;
    let free = -1;
    let low = -1;
    for (let i = base; i < base + THREAT_ENTRIES; i++) {
      if (h[i] === handle) {
        this.threat[i] += amount;
        return;
      }
      if (h[i] === NO_TARGET) {
        if (free < 0) free = i;
      } else if (low < 0 || this.threat[i] < this.threat[low]) low = i;
    }
    const at = free >= 0 ? free : this.threat[low] < amount ? low : -1;
    if (at < 0) return;
    h[at] = handle;
    this.threat[at] = amount;
  }

  /** Forces `handle` as the target until `untilTick` (a taunt). */
  taunt(slot: number, handle: number, untilTick: number): void {
    this.tauntBy[slot] = handle;
    this.tauntUntil[slot] = untilTick;
    if (this.of(slot, handle) < 0) this.add(slot, handle, 0);
  }

  /** Threat of `handle` on `slot`, or -1 when it is not on the table. */
  of(slot: number, handle: number): number {
    const base = slot * THREAT_ENTRIES;
    for (let i = base; i < base + THREAT_ENTRIES; i++) if (this.handles[i] === handle) return this.threat[i];
    return -1;
  }

  remove(slot: number, handle: number): void {
    const base = slot * THREAT_ENTRIES;
    for (let i = base; i < base + THREAT_ENTRIES; i++) {
      if (this.handles[i] === handle) {
        this.handles[i] = NO_TARGET;
        this.threat[i] = 0;
      }
    }
    if (this.tauntBy[slot] === handle) this.tauntBy[slot] = NO_TARGET;
  }

  clear(slot: number): void {
    const base = slot * THREAT_ENTRIES;
    this.handles.fill(NO_TARGET, base, base + THREAT_ENTRIES);
    this.threat.fill(0, base, base + THREAT_ENTRIES);
    this.tauntBy[slot] = NO_TARGET;
  }

  /** Forgets entry `at` (an index into `handles`) of `slot`, and a taunt by it. */
  drop(slot: number, at: number): void {
    if (this.tauntBy[slot] === this.handles[at]) this.tauntBy[slot] = NO_TARGET;
    this.handles[at] = NO_TARGET;
    this.threat[at] = 0;
  }

  /** True when nobody is on the table. */
  empty(slot: number): boolean {
    const base = slot * THREAT_ENTRIES;
    for (let i = base; i < base + THREAT_ENTRIES; i++) if (this.handles[i] !== NO_TARGET) return false;
    return true;
  }

  /** Handle of entry `i` (0..THREAT_ENTRIES) of `slot`, NO_TARGET when free. */
  entry(slot: number, i: number): number {
    return this.handles[slot * THREAT_ENTRIES + i];
  }

  /**
   * Picks the target of `slot` into `targets[slot]` (its current one going
   * in; NO_TARGET when the table is empty): a live taunt wins; otherwise the
   * most threatening entry takes over only when its threat exceeds the
   * current target's by 10 % (when `inMelee(at)` says entry `at` is in melee
   * range) or 30 % (otherwise), so targets do not flicker. Returns true when
   * the target changed.
   */
  select(slot: number, targets: Float64Array, tick: number, inMelee: (at: number) => boolean): boolean {
    const current = targets[slot];
    const base = slot * THREAT_ENTRIES;
    const h = this.handles;
    const taunt = this.tauntBy[slot];
    let held = -1;
    let top = -1;
    let taunted = -1;
    for (let i = base; i < base + THREAT_ENTRIES; i++) {
      if (h[i] === NO_TARGET) continue;
      if (h[i] === current) held = i;
      if (h[i] === taunt) taunted = i;
      if (top < 0 || this.threat[i] > this.threat[top]) top = i;
    }
    let pick = top;
    if (taunted >= 0 && tick < this.tauntUntil[slot]) pick = taunted;
    else {
      if (taunt !== NO_TARGET) this.tauntBy[slot] = NO_TARGET;
      if (held >= 0 && top !== held) {
        const factor = inMelee(top) ? SWITCH_MELEE : SWITCH_RANGED;
        if (!(this.threat[top] > this.threat[held] * factor)) pick = held;
      }
    }
    const next = pick < 0 ? NO_TARGET : h[pick];
    if (next === current) return false;
    targets[slot] = next;
    return true;
  }

  /** Bytes write() takes. */
  static readonly BYTES = THREAT_ENTRIES * 12 + 12;

  write(w: Writer, slot: number): void {
    const base = slot * THREAT_ENTRIES;
    for (let i = base; i < base + THREAT_ENTRIES; i++) {
      w.f64(this.handles[i]);
      w.f32(this.threat[i]);
    }
    w.f64(this.tauntBy[slot]);
    w.i32(this.tauntUntil[slot]);
  }

  read(r: Reader, slot: number): void {
    const base = slot * THREAT_ENTRIES;
    for (let i = base; i < base + THREAT_ENTRIES; i++) {
      this.handles[i] = r.f64();
      this.threat[i] = r.f32();
    }
    this.tauntBy[slot] = r.f64();
    this.tauntUntil[slot] = r.i32();
  }
}
