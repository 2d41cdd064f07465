import { codecOf, type FieldCodec } from './field-codec.ts';
import { DEFAULT_SCHEMA, type FieldSchema, type ReplicatedField } from './fields.ts';

/**
 * Replicated entity state as the wire carries it (quantised), one row per
 * entity, sorted by entity id. The server keeps a history of these per client
 * as replication baselines; the client keeps the same to apply deltas.
 * Its columns come from the field table (fields.ts): `cols[k]` is field k's
 * column, and each is also a named property (`t.x`, `t.hp`...).
 */

export { ReplicatedFields, type ReplicatedField } from './fields.ts';

/** A column: Uint8Array, Uint16Array or Uint32Array by the field's wire type. */
export type WireColumn = Uint8Array | Uint16Array | Uint32Array;

type NamedColumns = { [K in ReplicatedField]: WireColumn };

const CTORS = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array } as const;

// Declaration merging: the named columns are set in layout().
export interface ViewTable extends NamedColumns {}

export class ViewTable {
  readonly schema: FieldSchema;
  /** The schema's compiled row functions (field-codec.ts). */
  readonly codec: FieldCodec;
  /** Tick this table is the state of; 0 when unused. */
  tick = 0;
  count = 0;
  capacity = 0;
  ids: Uint32Array = new Uint32Array(0);
  /** Every column's bytes: the one buffer they lie over (layout()). */
  bytes: Uint8Array = new Uint8Array(0);
  /** Columns in field-table order. */
  cols: WireColumn[] = [];

  constructor(capacity = 32, schema: FieldSchema = DEFAULT_SCHEMA) {
    this.schema = schema;
    this.codec = codecOf(schema);
    this.layout(Math.max(1, capacity));
  }

  /**
   * Lays every column over one ArrayBuffer (widest first, so each view is
   * aligned): a server keeps thousands of these, and one buffer per table
   * instead of one per column saves most of their fixed cost.
   */
  private layout(cap: number): void {
    const fields = this.schema.fields;
    const buf = new ArrayBuffer(cap * this.schema.rowBytes);
    let o = 0;
    const ids = new Uint32Array(buf, 0, cap);
    o += cap * 4;
    const byIndex: WireColumn[] = [];
    for (const width of [4, 2, 1]) {
      for (const f of fields) {
        if (f.bytes !== width) continue;
        byIndex[f.index] = new CTORS[f.wire](buf, o, cap);
        o += cap * width;
      }
    }
    // Rebuilt in index order: a packed array (one filled out of order is
    // holey, and every load from it then checks for holes).
    const cols = fields.map((f) => byIndex[f.index]);
    if (this.capacity > 0) {
      ids.set(this.ids);
      for (let k = 0; k < cols.length; k++) cols[k].set(this.cols[k]);
    }
    this.ids = ids;
    this.bytes = new Uint8Array(buf);
    this.cols = cols;
    const named = this as unknown as Record<string, WireColumn>;
    for (const f of fields) named[f.name] = cols[f.index];
    this.capacity = cap;
  }

  /** Grows to hold `n` rows (rarely: only when a view gets denser than ever before). */
  ensure(n: number): void {
    if (n > this.capacity) this.grow(n);
  }

  // Kept out of ensure(): closures there would make every call allocate their context.
  private grow(n: number): void {
    let cap = Math.max(1, this.capacity);
    while (cap < n) cap *= 2;
    this.layout(cap);
  }

  /** Copies row `i` of `from` into row `j` of this table (same schema). */
  copyRow(from: ViewTable, i: number, j: number): void {
    this.codec.copyRow(this, j, from, i);
  }

  /**
   * Copies every row of `from` (same schema) into rows [0, from.count):
   * in one copy of the buffer when the tables are as large and the rows
   * fill at least half of it, as in most snapshots (no one entering or
   * leaving the view); else a row at a time. Not a column at a time: with
   * the tables out of the CPU's caches (a bot worker's thousand views),
   * a row's loads miss in every column at once and the misses overlap,
   * where a column's loop waits for its own before the next begins
   * (bench:client-views: 1-13 % slower with an entity entering every
   * second tick). Count and tick are the caller's to set.
   */
  copyRowsOf(from: ViewTable): void {
    const n = from.count;
    this.ensure(n);
    if (from.capacity === this.capacity && n * 2 >= this.capacity) this.bytes.set(from.bytes);
    else for (let i = 0; i < n; i++) this.codec.copyRow(this, i, from, i);
  }

  /** Row of an id (binary search), or -1. */
  indexOf(id: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/**
 * The last `size` tables by tick, reused in a ring: a replication baseline
 * store that allocates nothing in steady state. The tables' ticks are kept
 * in one array too, so that finding a baseline reads one or two cache lines
 * instead of every table (a bot worker's thousand histories are cold in the
 * CPU's caches). A table's tick is the history's: change it through
 * claim(), swapIn() and clear().
 */
export class ViewHistory {
  readonly tables: ViewTable[];
  private readonly ticks: Uint32Array;
  private next = 0;

  constructor(size = 16, rowCapacity = 32, schema: FieldSchema = DEFAULT_SCHEMA) {
    this.tables = Array.from({ length: size }, () => new ViewTable(rowCapacity, schema));
    this.ticks = new Uint32Array(size);
  }

  /** The table of `tick`, or null when it is unknown or already overwritten. */
  find(tick: number): ViewTable | null {
    const i = this.slotOf(tick);
    return i < 0 ? null : this.tables[i];
  }

  /** Where the table of `tick` is in the ring (0 ≤ slot < size), or -1 (for tick 0 too). */
  slotOf(tick: number): number {
    if (tick === 0) return -1;
    // Newest first, in a loop of our own: a delta's baseline is usually a few ticks back, and a
    // typed array's indexOf is a call into V8's C++ runtime (1 % of a bot worker's time in a profile).
    const ticks = this.ticks;
    const size = ticks.length;
    let at = this.next;
    for (let k = 0; k < size; k++) {
      at = at === 0 ? size - 1 : at - 1;
      if (ticks[at] === tick) return at;
    }
    return -1;
  }

  /** The slot the next claim() or swapIn() fills: its table is the oldest. */
  get nextSlot(): number {
    return this.next;
  }

  /** Claims the oldest table for a new tick. */
  claim(tick: number): ViewTable {
    const at = this.next;
    const t = this.tables[at];
    this.next = (at + 1) % this.tables.length;
    t.tick = tick;
    t.count = 0;
    this.ticks[at] = tick;
    return t;
  }

  /**
   * Stores `table` as the newest entry and returns the evicted one, for
   * callers that build the new state while still reading an older entry.
   */
  swapIn(table: ViewTable): ViewTable {
    const at = this.next;
    const old = this.tables[at];
    this.tables[at] = table;
    this.ticks[at] = table.tick;
    this.next = (at + 1) % this.tables.length;
    old.tick = 0;
    old.count = 0;
    return old;
  }

  /** The k-th table from the oldest (k = 0) to the newest (k = size - 1). */
  oldestFirst(k: number): ViewTable {
    return this.tables[(this.next + k) % this.tables.length];
  }

  /** The newest table holding a tick, or null. */
  newest(): ViewTable | null {
    const t = this.tables[(this.next + this.tables.length - 1) % this.tables.length];
    return t.tick === 0 ? null : t;
  }

  /** Forgets everything (a client whose baseline is lost starts from full). */
  clear(): void {
    for (const t of this.tables) t.tick = 0;
    this.ticks.fill(0);
  }
}
