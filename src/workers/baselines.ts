/** Views a history starts with room for (of `rowCapacity` rows each): a prompt client has only a few frames in flight. */
const INITIAL_TABLES = 4;
/** Claims between two looks at whether a history holds far more than its client needs now. */
const REVIEW_EVERY = 32;
/**
 * Reviews in a row that must find the history's table four times the rows
 * in use before it gives rows back (8 × 32 frames, 12.8 s at 20 Hz). At
 * one review, clients whose acks jitter (2 to 8 frames behind, as the load
 * bench's bots at 1,500 players) shrank and grew again every few seconds:
 * about 400 new tables a second per cell, 4–7 MB/s of buffers that, once
 * promoted, stayed as external garbage until a full GC (+25 to +36 MB per
 * cell at 1,500 players).
 */
const SHRINK_AFTER_REVIEWS = 8;

/**
 * One view a client was sent: rows [row, row + count) of its history's
 * `slab`, the state of `tick` (0: unused). `oldest` is the oldest of its
 * references into the cell's entity rows (entity-rows.ts): while that row
 * lives, every row of the view does.
 */
export class Baseline {
  tick = 0;
  count = 0;
  row = 0;
  oldest = 0;
}

/**
 * The rows of a client's views: per row an entity id (views sorted by it)
 * and a reference to the entity's state in the cell's shared rows
 * (entity-rows.ts), 8 bytes a row in one buffer.
 */
export class ViewRefs {
  readonly capacity: number;
  readonly ids: Uint32Array;
  readonly refs: Uint32Array;

  constructor(capacity: number) {
    const buf = new ArrayBuffer(capacity * 8);
    this.capacity = capacity;
    this.ids = new Uint32Array(buf, 0, capacity);
    this.refs = new Uint32Array(buf, capacity * 4, capacity);
  }
}

/**
 * A client's replication baselines on the server: the views it was sent, by
 * tick, up to `max` of them. Acks only move forward and a snapshot is a
 * delta against the newest acknowledged view, so a view older than the
 * acknowledged one can never be a baseline again: claim() lets those go
 * first, and evicts the oldest view only when `max` are held. A prompt
 * client thus holds a handful of views (the frames in flight), a lagging one
 * up to `max` (a second of frames or more), and memory follows the lag
 * instead of the worst case.
 *
 * Every view's rows live in one table used as a ring of rows: views are
 * claimed in tick order and let go oldest first, so each new view goes right
 * after the newest one (or back at row 0 when it does not fit before the
 * end), taking exactly its rows. A row is an entity id and a reference
 * into the cell's shared entity rows (entity-rows.ts), 8 bytes, not the
 * entity's values. A view thus costs its rows and a small
 * record, not a buffer and a typed array per column of its own (about 3 KB
 * at 30 rows, most of it fixed cost: bench/README.md, replication-memory),
 * nor the room of the largest view it might be (fixed strides held views of
 * 33 rows in 64, and the table was half empty at 2,000 players). Steady
 * state allocates nothing: the table grows only when its client lags
 * further, or its views get larger, than it has room for, and shrinks only
 * after a long spell of holding far more.
 */
export class BaselineHistory {
  readonly max: number;
  /** Records of the views held (tick 0: free), at most `max`, in no particular order. */
  readonly tables: Baseline[] = [];
  /** Every held view's rows; replaced when it grows or shrinks (read it after claim()). */
  slab: ViewRefs;
  /** Rows of the table it starts with and shrinks back to at the least. */
  private readonly minRows: number;
  private untilReview = REVIEW_EVERY;
  /** Reviews in a row that found the table at least four times the rows in use. */
  private oversizedReviews = 0;
  /** The most rows in use, and the largest view, at those reviews. */
  private peakRows = 0;
  private peakView = 0;

  constructor(max: number, rowCapacity = 32) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`a baseline history holds at least one view, got ${max}`);
    if (!(Number.isInteger(rowCapacity) && rowCapacity >= 1)) throw new RangeError(`a view holds at least one row, got ${rowCapacity}`);
    this.max = max;
    this.minRows = Math.min(max, INITIAL_TABLES) * rowCapacity;
    this.slab = new ViewRefs(this.minRows);
  }

  /** The view of `tick`, or null when it is unknown or already let go. */
  find(tick: number): Baseline | null {
    if (tick === 0) return null;
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) if (tables[i].tick === tick) return tables[i];
    return null;
  }

  /**
   * A view for `tick` with room for `rows` rows (its `count` set to them):
   * the views older than `keepFrom` (the acknowledged tick: nothing older
   * can be named again) are let go, and the oldest one when `max` are held.
   * Ticks grow from claim to claim; a view held of this tick or a newer one
   * (another numbering, or a bug upstream) lets every view go, so that none
   * can be taken for a baseline it is not.
   */
  claim(tick: number, keepFrom = 0, rows = 0): Baseline {
    if (--this.untilReview === 0) this.review(keepFrom);
    const tables = this.tables;
    let free: Baseline | null = null;
    let oldest: Baseline | null = null;
    let stale = false;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick < keepFrom) t.tick = 0;
      if (t.tick === 0) {
        free ??= t;
        continue;
      }
      if (t.tick >= tick) stale = true;
      if (oldest === null || t.tick < oldest.tick) oldest = t;
    }
    if (stale) {
      for (let i = 0; i < tables.length; i++) tables[i].tick = 0;
      free = tables[0];
    } else if (free === null && tables.length < this.max) tables.push((free = new Baseline()));
    else if (free === null) {
      // As many views as it may hold: the oldest goes (the acknowledged one perhaps: then a full snapshot follows).
      free = oldest!;
      free.tick = 0;
    }
    this.place(free, rows);
    free.tick = tick;
    return free;
  }

  /** Views held. */
  get held(): number {
    let n = 0;
    for (let i = 0; i < this.tables.length; i++) if (this.tables[i].tick !== 0) n++;
    return n;
  }

  // Kept out of claim(): its hot path stays small.
  /**
   * Gives `v` (not held: tick 0) `rows` rows after the newest view, or at
   * row 0 when they do not fit before the end; when neither has room, moves
   * every view into a table a quarter larger (or more, for a large view: a
   * quarter more than the views' rows and this one's). Half larger left the
   * tables of lagging clients a third empty; a quarter grows a few times
   * more in the first seconds of a lag, then as rarely.
   */
  private place(v: Baseline, rows: number): void {
    for (;;) {
      const at = this.roomFor(rows);
      if (at >= 0) {
        v.row = at;
        v.count = rows;
        return;
      }
      let used = 0;
      for (let i = 0; i < this.tables.length; i++) if (this.tables[i].tick !== 0) used += this.tables[i].count;
      this.relayout(Math.max(this.slab.capacity + (this.slab.capacity >> 2), used + rows + ((used + rows) >> 2)), 0);
    }
  }

  /**
   * Where `rows` rows fit after the newest view that has rows, or -1. The
   * rows in use run from the oldest view that has rows to the newest; views
   * of no rows take no room and are no end of them (one at the end of a
   * wrapped ring sits at the oldest's row).
   */
  private roomFor(rows: number): number {
    const tables = this.tables;
    let first: Baseline | null = null;
    let last: Baseline | null = null;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick === 0 || t.count === 0) continue;
      if (first === null || t.tick < first.tick) first = t;
      if (last === null || t.tick > last.tick) last = t;
    }
    const cap = this.slab.capacity;
    if (first === null || last === null) return rows <= cap ? 0 : -1;
    const head = last.row + last.count;
    const tail = first.row;
    if (last.row >= tail) {
      // Held rows are [tail, head): free after head, and before tail.
      if (head + rows <= cap) return head;
      return rows <= tail ? 0 : -1;
    }
    // Wrapped: held rows are [tail, end) and [0, head).
    return head + rows <= tail ? head : -1;
  }

  /**
   * Gives back what a lag or a crowd that has passed left behind: when
   * SHRINK_AFTER_REVIEWS reviews in a row found the table holding at least
   * four times the rows of the views possibly still acknowledged (those from
   * `keepFrom` on), the history keeps those in a table sized as a growth
   * would size it for the most seen at those reviews: a quarter more than
   * their rows and room for two of the largest view (the next view, and the
   * gap a wrap may leave), at least the initial size, and only when that is
   * at most half the table. A client that lagged once, or stood in a crowd,
   * thus returns to a prompt client's memory, at the cost of one allocation
   * per episode, and one whose lag or view size merely jitters keeps its
   * table.
   */
  private review(keepFrom: number): void {
    this.untilReview = REVIEW_EVERY;
    let used = 0;
    let largest = 0;
    const tables = this.tables;
    // Indexed loops here and in claim's helpers: a for-of run rarely enough to stay unoptimised allocates its iterator.
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick === 0 || t.tick < keepFrom) continue;
      used += t.count;
      if (t.count > largest) largest = t.count;
    }
    const cap = this.slab.capacity;
    if (cap > this.minRows && cap >= 4 * Math.max(1, used)) {
      this.oversizedReviews++;
      if (used > this.peakRows) this.peakRows = used;
      if (largest > this.peakView) this.peakView = largest;
    } else {
      this.oversizedReviews = 0;
      this.peakRows = 0;
      this.peakView = 0;
    }
    if (this.oversizedReviews < SHRINK_AFTER_REVIEWS) return;
    const need = this.peakRows + 2 * this.peakView;
    const rows = Math.max(this.minRows, need + (need >> 2));
    if (2 * rows <= cap) this.relayout(rows, keepFrom);
    else this.oversizedReviews = 0;
  }

  /**
   * Moves the views held that may still be acknowledged (tick >= keepFrom;
   * 0: every one held) into a new table of `rows` rows, oldest first from
   * row 0; the others are let go.
   */
  private relayout(rows: number, keepFrom: number): void {
    const old = this.slab;
    const kept = this.tables.filter((t) => t.tick !== 0 && t.tick >= keepFrom).sort((a, b) => a.tick - b.tick);
    let need = 0;
    for (const t of kept) need += t.count;
    const slab = new ViewRefs(Math.max(rows, need));
    let row = 0;
    for (const t of kept) {
      slab.ids.set(old.ids.subarray(t.row, t.row + t.count), row);
      slab.refs.set(old.refs.subarray(t.row, t.row + t.count), row);
      t.row = row;
      row += t.count;
    }
    for (const t of this.tables) if (t.tick < keepFrom) t.tick = 0;
    this.slab = slab;
    this.oversizedReviews = 0;
    this.peakRows = 0;
    this.peakView = 0;
  }

  /** The held view with the smallest tick above `tick` (0: the oldest), or null. */
  after(tick: number): Baseline | null {
    let best: Baseline | null = null;
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick !== 0 && t.tick > tick && (best === null || t.tick < best.tick)) best = t;
    }
    return best;
  }

  /** The held view with the largest tick below `tick`, or null. */
  before(tick: number): Baseline | null {
    let best: Baseline | null = null;
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick !== 0 && t.tick < tick && (best === null || t.tick > best.tick)) best = t;
    }
    return best;
  }
}
