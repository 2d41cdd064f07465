/**
 * Replicated entity state as the wire carries it (quantised), one row per
 * entity, sorted by entity id. The server keeps a history of these per client
 * as replication baselines; the client keeps the same to apply deltas.
 */

/** Every replicated field and its wire element type; the codec covers each. */
export const ReplicatedFields = {
  kind: 'u8',
  template: 'u16',
  x: 'u16',
  y: 'u16',
  hp: 'u16',
  maxHp: 'u16',
  level: 'u8',
  flags: 'u8',
} as const;
export type ReplicatedField = keyof typeof ReplicatedFields;

/** Bytes of one row across all columns. */
const ROW_BYTES = 4 + 1 + 2 + 2 + 2 + 2 + 2 + 1 + 1;

export class ViewTable {
  /** Tick this table is the state of; 0 when unused. */
  tick = 0;
  count = 0;
  capacity = 0;
  ids!: Uint32Array;
  kind!: Uint8Array;
  template!: Uint16Array;
  x!: Uint16Array;
  y!: Uint16Array;
  hp!: Uint16Array;
  maxHp!: Uint16Array;
  level!: Uint8Array;
  flags!: Uint8Array;

  constructor(capacity = 32) {
    this.layout(Math.max(1, capacity));
  }

  /**
   * Lays every column over one ArrayBuffer (widest first, so each view is
   * aligned): a server keeps thousands of these, and one buffer per table
   * instead of nine saves most of their fixed cost.
   */
  private layout(cap: number): void {
    const old = this.capacity > 0 ? this : null;
    const buf = new ArrayBuffer(cap * ROW_BYTES);
    let o = 0;
    const u32 = (): Uint32Array => {
      const a = new Uint32Array(buf, o, cap);
      o += cap * 4;
      return a;
    };
    const u16 = (): Uint16Array => {
      const a = new Uint16Array(buf, o, cap);
      o += cap * 2;
      return a;
    };
    const u8 = (): Uint8Array => {
      const a = new Uint8Array(buf, o, cap);
      o += cap;
      return a;
    };
    const ids = u32();
    const template = u16();
    const x = u16();
    const y = u16();
    const hp = u16();
    const maxHp = u16();
    const kind = u8();
    const level = u8();
    const flags = u8();
    if (old) {
      ids.set(old.ids);
      template.set(old.template);
      x.set(old.x);
      y.set(old.y);
      hp.set(old.hp);
      maxHp.set(old.maxHp);
      kind.set(old.kind);
      level.set(old.level);
      flags.set(old.flags);
    }
    this.ids = ids;
    this.template = template;
    this.x = x;
    this.y = y;
    this.hp = hp;
    this.maxHp = maxHp;
    this.kind = kind;
    this.level = level;
    this.flags = flags;
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

  /** Copies row `i` of `from` into row `j` of this table. */
  copyRow(from: ViewTable, i: number, j: number): void {
    this.ids[j] = from.ids[i];
    this.kind[j] = from.kind[i];
    this.template[j] = from.template[i];
    this.x[j] = from.x[i];
    this.y[j] = from.y[i];
    this.hp[j] = from.hp[i];
    this.maxHp[j] = from.maxHp[i];
    this.level[j] = from.level[i];
    this.flags[j] = from.flags[i];
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
 * store that allocates nothing in steady state.
 */
export class ViewHistory {
  readonly tables: ViewTable[];
  private next = 0;

  constructor(size = 16, rowCapacity = 32) {
    this.tables = Array.from({ length: size }, () => new ViewTable(rowCapacity));
  }

  /** The table of `tick`, or null when it is unknown or already overwritten. */
  find(tick: number): ViewTable | null {
    if (tick === 0) return null;
    for (const t of this.tables) if (t.tick === tick) return t;
    return null;
  }

  /** Claims the oldest table for a new tick. */
  claim(tick: number): ViewTable {
    const t = this.tables[this.next];
    this.next = (this.next + 1) % this.tables.length;
    t.tick = tick;
    t.count = 0;
    return t;
  }

  /**
   * Stores `table` as the newest entry and returns the evicted one, for
   * callers that build the new state while still reading an older entry.
   */
  swapIn(table: ViewTable): ViewTable {
    const old = this.tables[this.next];
    this.tables[this.next] = table;
    this.next = (this.next + 1) % this.tables.length;
    old.tick = 0;
    old.count = 0;
    return old;
  }

  /** The k-th table from the oldest (k = 0) to the newest (k = size - 1). */
  oldestFirst(k: number): ViewTable {
    return this.tables[(this.next + k) % this.tables.length];
  }

  /** Forgets everything (a client whose baseline is lost starts from full). */
  clear(): void {
    for (const t of this.tables) t.tick = 0;
  }
}
