import { codecOf, type FieldCodec } from '../protocol/field-codec.ts';
import { DEFAULT_SCHEMA, type FieldSchema } from '../protocol/fields.ts';
import { ViewTable } from '../protocol/view-table.ts';

/** Rows a cell's table starts with (about 128 KB of Tessera's fields). */
const INITIAL_ROWS = 4096;
/** Most rows a table grows to (2^22: about 130 MB of Tessera's fields); past it a lagging client's old baseline expires. */
const MAX_ROWS = 1 << 22;
/**
 * Ticks in a row in which the views asked to keep at most an eighth of the
 * ring (and no tick wrote more than a sixteenth) before it halves: the room
 * a lag or a crowd that has passed left behind goes back (32 s at 20 Hz).
 */
const SHRINK_AFTER_TICKS = 640;

/**
 * A cell's replicated entity states, shared by every client's views: each
 * entity quantised once per tick however many players see it (as Quake
 * III keeps one ring of entity states for all clients), and a client's view
 * a list of ids and references to these rows instead of a copy of them (8
 * bytes a row instead of 31 with Tessera's fields).
 *
 * The table is a ring of rows. A reference is a row's absolute position
 * (mod 2^32; its row is `ref & mask`); a row lives until the ring has gone
 * all the way round past it, so a reference is checked with live() before
 * it is read, and a view whose rows are gone is no baseline (its client gets
 * a full snapshot). An entity gets a new row only when a field changed past
 * its threshold since its last one (refreshRow's hysteresis), or when its
 * last row is a quarter of the ring old, so a view made now stays readable
 * for at least three quarters of the ring. The ring grows (rarely, by
 * doubling, keeping every reference) to stay ahead of the oldest view a
 * client may still acknowledge (need()) and of the rows one tick writes,
 * and halves again after a long spell of needing far less.
 *
 * The cell's players and the handoffs they arrive with share one; it
 * allocates nothing in steady state.
 */
export class EntityRows {
  readonly schema: FieldSchema;
  readonly codec: FieldCodec;
  table: ViewTable;
  /** Row of a reference: `ref & mask` (the capacity is a power of two). */
  mask: number;
  /** Absolute position of the next row written (mod 2^32). */
  pos = 0;
  /**
   * Position of the oldest row that still holds what was written there:
   * rows the ring had gone round past stay lost when it grows (their rows
   * in the larger table were never written), and a shrink lets the oldest go.
   */
  private validFrom = 0;
  /** Per store slot: its entity's last row, the handle it was made for (0: none) and the stamp of the tick it was last looked at. */
  private rowAt = new Uint32Array(0);
  private rowHandle = new Uint32Array(0);
  private rowStamp = new Uint32Array(0);
  /** The tick refs() was last called for, and its stamp (counted from 1: 0 marks a slot never looked at). */
  private tick = -1;
  private stamp = 0;
  private rowsThisTick = 0;
  /** Most rows one tick wrote lately: how far the ring moves between a need() and the next use. */
  private rowsPerTick = 0;
  /** Ticks between a need() and the view's next use as a baseline (the longest paced frame interval). */
  private readonly leadTicks: number;
  /** The rows it starts with, and shrinks back to at the least. */
  private readonly minRows: number;
  /** The most rows a need() this tick asked to keep. */
  private neededThisTick = 0;
  /** Ticks in a row that needed at most an eighth of the ring. */
  private slackTicks = 0;

  constructor(schema: FieldSchema = DEFAULT_SCHEMA, leadTicks = 8, rows = INITIAL_ROWS) {
    if (!(Number.isInteger(rows) && rows >= 4 && (rows & (rows - 1)) === 0)) throw new RangeError(`entity rows come in a power of two of at least 4, got ${rows}`);
    this.schema = schema;
    this.codec = codecOf(schema);
    this.table = new ViewTable(rows, schema);
    this.mask = rows - 1;
    this.leadTicks = Math.max(1, leadTicks);
    this.minRows = rows;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Rows written since `ref` was (0: it is the next one; capacity or more: overwritten). */
  age(ref: number): number {
    return (this.pos - ref) >>> 0;
  }

  /** True while the row `ref` names still holds what was written there. */
  live(ref: number): boolean {
    const age = (this.pos - ref) >>> 0;
    return age !== 0 && age <= this.mask && age <= ((this.pos - this.validFrom) >>> 0);
  }

  /**
   * The rows of the entities at store slots `slots[0, n)`, whose handles are
   * `ids[0, n)`, as of `tick` (from the store's replicated columns `from`,
   * table order), into `out[off, off + n)`. An entity already looked at this
   * tick costs a load; otherwise it is quantised once (and gets a new row
   * only when it changed). Returns the oldest of the references, for
   * live() (n = 0: the next position, never live: a view of no rows needs none).
   */
  refs(from: ArrayLike<number>[], slots: Int32Array, ids: Uint32Array, n: number, tick: number, out: Uint32Array, off: number): number {
    if (this.rowAt.length === 0) this.bind(from[0].length);
    if (tick !== this.tick) this.startTick(tick);
    const stamp = this.stamp;
    const rowAt = this.rowAt;
    const rowHandle = this.rowHandle;
    const rowStamp = this.rowStamp;
    let oldest = -1;
    for (let i = 0; i < n; i++) {
      const slot = slots[i];
      const h = ids[i];
      let ref = rowAt[slot];
      if (rowStamp[slot] !== stamp || rowHandle[slot] !== h) {
        ref = this.refresh(from, slot, h, rowStamp[slot] !== 0 && rowHandle[slot] === h ? ref : -1);
        rowAt[slot] = ref;
        rowHandle[slot] = h;
        rowStamp[slot] = stamp;
      }
      out[off + i] = ref;
      if (oldest < 0 || this.age(ref) > this.age(oldest)) oldest = ref;
    }
    return oldest < 0 ? this.pos : oldest;
  }

  /** The entity's row now: its last one (`prev`, -1: none) when nothing changed past a threshold and it is young enough, else a new one. */
  private refresh(from: ArrayLike<number>[], slot: number, handle: number, prev: number): number {
    const live = prev >= 0 && this.live(prev);
    const o = this.pos & this.mask;
    // Written at the next position, whose row is already gone: committed only when it is a new row.
    const changed = this.codec.refreshRow(this.table, from, slot, o, live ? prev & this.mask : -1);
    if (live && changed === 0 && this.age(prev) <= this.mask >> 2) return prev;
    return this.commit(handle);
  }

  /** Commits the row just written at the next position as `handle`'s, and returns its reference. */
  private commit(handle: number): number {
    const ref = this.pos;
    this.table.ids[ref & this.mask] = handle;
    this.pos = (this.pos + 1) >>> 0;
    // Once the ring is written all round, every row it holds is valid: keeps the distance small across the 2^32 wrap.
    if (((this.pos - this.validFrom) >>> 0) > this.mask) this.validFrom = (this.pos - this.mask) >>> 0;
    // A tick's rows stay within a quarter of the ring, so the views made earlier in the tick stay readable.
    if (++this.rowsThisTick > this.mask >> 2) this.grow(this.capacity * 2);
    return ref;
  }

  /**
   * A row for a baseline a handoff brought (its values are then written
   * into row `ref & mask` of `table`, read after this call). Not any
   * entity's current row: the next tick quantises the entity afresh.
   */
  append(handle: number): number {
    return this.commit(handle);
  }

  /**
   * A client may still acknowledge a view whose oldest row is `ref`: the
   * ring grows when that row would be overwritten before the view's next
   * use (the longest paced interval's rows from now).
   */
  need(ref: number): void {
    if (!this.live(ref)) return;
    const age = this.age(ref);
    const ahead = age + (this.leadTicks + 1) * Math.max(this.rowsPerTick, this.rowsThisTick);
    if (ahead > this.neededThisTick) this.neededThisTick = ahead;
    if (ahead > this.mask - (this.mask >> 2)) this.grow(ceilPow2(ahead + (ahead >> 1)));
  }

  private startTick(tick: number): void {
    // The most rows a tick wrote, forgotten slowly (a sixteenth a tick).
    this.rowsPerTick = Math.max(this.rowsThisTick, this.rowsPerTick - ((this.rowsPerTick + 15) >> 4));
    const cap = this.capacity;
    if (cap > this.minRows && this.neededThisTick <= cap >> 3 && this.rowsPerTick <= cap >> 4) {
      if (++this.slackTicks >= SHRINK_AFTER_TICKS) this.resize(cap >> 1);
    } else this.slackTicks = 0;
    this.neededThisTick = 0;
    this.rowsThisTick = 0;
    this.tick = tick;
    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
  }

  private bind(slots: number): void {
    this.rowAt = new Uint32Array(slots);
    this.rowHandle = new Uint32Array(slots);
    this.rowStamp = new Uint32Array(slots);
  }

  /** A larger table (every reference stays valid); at most MAX_ROWS. */
  private grow(rows: number): void {
    const cap = Math.min(MAX_ROWS, rows);
    if (cap > this.capacity) this.resize(cap);
  }

  /**
   * A table of `rows` rows holding the newest rows that fit, each at the
   * same position: growing keeps every reference valid; shrinking lets the
   * rows older than the new size go (only after SHRINK_AFTER_TICKS ticks in
   * which no view needed them).
   */
  private resize(rows: number): void {
    const old = this.table;
    const oldMask = this.mask;
    const next = new ViewTable(rows, this.schema);
    const mask = rows - 1;
    // The rows still held that fit, oldest first; older ones (and any the old table no longer held) are lost.
    const kept = Math.min(oldMask, mask, (this.pos - this.validFrom) >>> 0);
    for (let age = kept; age >= 1; age--) {
      const ref = (this.pos - age) >>> 0;
      this.codec.copyRow(next, ref & mask, old, ref & oldMask);
    }
    this.validFrom = (this.pos - kept) >>> 0;
    this.table = next;
    this.mask = mask;
    this.slackTicks = 0;
  }
}

function ceilPow2(n: number): number {
  let p = 4;
  while (p < n) p *= 2;
  return p;
}
