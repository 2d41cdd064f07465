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

function grown<T extends Uint8Array | Uint16Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export class ViewTable {
  /** Tick this table is the state of; 0 when unused. */
  tick = 0;
  count = 0;
  capacity: number;
  ids: Uint32Array;
  kind: Uint8Array;
  template: Uint16Array;
  x: Uint16Array;
  y: Uint16Array;
  hp: Uint16Array;
  maxHp: Uint16Array;
  level: Uint8Array;
  flags: Uint8Array;

  constructor(capacity = 32) {
    this.capacity = capacity;
    this.ids = new Uint32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.template = new Uint16Array(capacity);
    this.x = new Uint16Array(capacity);
    this.y = new Uint16Array(capacity);
    this.hp = new Uint16Array(capacity);
    this.maxHp = new Uint16Array(capacity);
    this.level = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Grows to hold `n` rows (rarely: only when a view gets denser than ever before). */
  ensure(n: number): void {
    if (n > this.capacity) this.grow(n);
  }

  // Kept out of ensure(): a closure there would make every call allocate its context.
  private grow(n: number): void {
    let cap = Math.max(1, this.capacity);
    while (cap < n) cap *= 2;
    this.ids = grown(this.ids, new Uint32Array(cap));
    this.kind = grown(this.kind, new Uint8Array(cap));
    this.template = grown(this.template, new Uint16Array(cap));
    this.x = grown(this.x, new Uint16Array(cap));
    this.y = grown(this.y, new Uint16Array(cap));
    this.hp = grown(this.hp, new Uint16Array(cap));
    this.maxHp = grown(this.maxHp, new Uint16Array(cap));
    this.level = grown(this.level, new Uint8Array(cap));
    this.flags = grown(this.flags, new Uint8Array(cap));
    this.capacity = cap;
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
