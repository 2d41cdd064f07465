import { DEFAULT_SCHEMA, type FieldSchema } from '../protocol/fields.ts';
import { ViewTable } from '../protocol/view-table.ts';

/** Views a history starts with: a prompt client has only a few frames in flight. */
const INITIAL_TABLES = 4;
/** Views a history's table grows by when its client lags further than ever. */
const GROW_TABLES = 4;
/** Claims between two looks at whether a history holds far more than its client needs now. */
const REVIEW_EVERY = 32;
/**
 * Reviews in a row that must find the history holding four times the views
 * in use before it gives views back (8 × 32 frames, 12.8 s at 20 Hz). At
 * one review, clients whose acks jitter (2 to 8 frames behind, as the load
 * bench's bots at 1,500 players) shrank and grew again every few seconds:
 * about 400 new tables a second per cell, 4–7 MB/s of buffers that, once
 * promoted, stayed as external garbage until a full GC (+25 to +36 MB per
 * cell at 1,500 players).
 */
const SHRINK_AFTER_REVIEWS = 8;

/**
 * One view a client was sent: rows [row, row + count) of its history's
 * `slab`, the state of `tick` (0: unused).
 */
export class Baseline {
  tick = 0;
  count = 0;
  row: number;

  constructor(row: number) {
    this.row = row;
  }
}

/**
 * A client's replication baselines on the server: the views it was sent, by
 * tick, up to `max` of them. Acks only move forward and a snapshot is a
 * delta against the newest acknowledged view, so a view older than the
 * acknowledged one can never be a baseline again: claim() reuses those
 * first, and grows the history (up to `max`) only while every view it holds
 * may still be acknowledged. A prompt client thus holds a handful of views
 * (the frames in flight), a lagging one up to `max` (a second of frames or
 * more), and memory follows the lag instead of the worst case.
 *
 * Every view's rows live in one table, `stride` rows apart: a view costs its
 * rows and a small record, not a buffer and a typed array per column of its
 * own (about 3 KB at 30 rows, most of it fixed cost: bench/README.md,
 * replication-memory). Steady state allocates nothing: the slab grows only
 * when its client lags further, or its view gets denser, than it holds room
 * for, and shrinks only after a long spell of holding far more.
 */
export class BaselineHistory {
  readonly max: number;
  readonly tables: Baseline[];
  /** Every held view's rows; replaced when it grows (read it after claim() and ensure()). */
  slab: ViewTable;
  /** Rows between two views' first rows: the most one view may hold. */
  stride: number;
  private readonly rowCapacity: number;
  private untilReview = REVIEW_EVERY;
  /** Reviews in a row that found the history holding at least four times the views in use. */
  private oversizedReviews = 0;
  /** The most views in use at those reviews. */
  private peakLive = 0;

  constructor(max: number, rowCapacity = 32, schema: FieldSchema = DEFAULT_SCHEMA) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`a baseline history holds at least one view, got ${max}`);
    if (!(Number.isInteger(rowCapacity) && rowCapacity >= 1)) throw new RangeError(`a view holds at least one row, got ${rowCapacity}`);
    this.max = max;
    this.stride = rowCapacity;
    this.rowCapacity = rowCapacity;
    const n = Math.min(max, INITIAL_TABLES);
    this.slab = new ViewTable(n * rowCapacity, schema);
    this.tables = Array.from({ length: n }, (_, k) => new Baseline(k * rowCapacity));
  }

  /** The view of `tick`, or null when it is unknown or already reused. */
  find(tick: number): Baseline | null {
    if (tick === 0) return null;
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) if (tables[i].tick === tick) return tables[i];
    return null;
  }

  /**
   * A view for `tick`: an unused one or one older than `keepFrom` (the
   * acknowledged tick: nothing older can be named again), else a new one
   * while fewer than `max` are held, else the oldest.
   */
  claim(tick: number, keepFrom = 0): Baseline {
    if (--this.untilReview === 0) this.review(keepFrom);
    const tables = this.tables;
    let pick = -1;
    let oldest = 0;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i].tick;
      if (t === 0 || t < keepFrom) {
        pick = i;
        break;
      }
      if (t < tables[oldest].tick) oldest = i;
    }
    if (pick < 0) pick = tables.length < this.max ? this.grow() : oldest;
    const v = tables[pick];
    v.tick = tick;
    v.count = 0;
    return v;
  }

  /** Room for `n` rows in every view (a view denser than any before moves every view to a wider stride). */
  ensure(n: number): void {
    if (n > this.stride) this.restride(n);
  }

  // Kept out of claim() and ensure(): the closure-free hot paths stay small.
  /**
   * A new view, its index returned: the table (always exactly tables × stride
   * rows) grows by GROW_TABLES views at a time (by doubling, a lagging
   * client's would be up to half unused). Called only when every view is in
   * use, so every one is kept in its place.
   */
  private grow(): number {
    const k = this.tables.length;
    this.relayout(Math.min(this.max, k + GROW_TABLES), this.stride, 0);
    return k;
  }

  private restride(n: number): void {
    let stride = this.stride;
    while (stride < n) stride *= 2;
    this.relayout(this.tables.length, stride, 0);
  }

  /**
   * Gives back what a lag or a crowd that has passed left behind: when
   * SHRINK_AFTER_REVIEWS reviews in a row found at most a quarter of the
   * views possibly still acknowledged (those from `keepFrom` on), the
   * history keeps those in a table of twice the most that were in use at
   * those reviews (at least the initial size); when its largest view would
   * fit a stride of a quarter or less, it takes one twice that view. A
   * client that lagged once, or stood in a crowd, thus returns to a prompt
   * client's memory, at the cost of one allocation per episode, and one
   * whose lag merely jitters keeps its table.
   */
  private review(keepFrom: number): void {
    this.untilReview = REVIEW_EVERY;
    const tables = this.tables;
    let live = 0;
    let rows = 1;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick === 0 || t.tick < keepFrom) continue;
      live++;
      if (t.count > rows) rows = t.count;
    }
    // A stride with room for twice the largest view, taken only when it is at most half the one held:
    // a view whose size wanders around a stride must not move the history back and forth.
    let stride = this.rowCapacity;
    while (stride < 2 * rows) stride *= 2;
    if (stride * 2 > this.stride) stride = this.stride;
    if (tables.length >= 4 * Math.max(1, live) && tables.length > INITIAL_TABLES) {
      this.oversizedReviews++;
      if (live > this.peakLive) this.peakLive = live;
    } else {
      this.oversizedReviews = 0;
      this.peakLive = 0;
    }
    const fewer = this.oversizedReviews >= SHRINK_AFTER_REVIEWS;
    if (!fewer && stride === this.stride) return;
    this.relayout(fewer ? Math.min(this.max, Math.max(INITIAL_TABLES, 2 * this.peakLive)) : tables.length, stride, keepFrom);
  }

  /**
   * Moves the views in use that may still be acknowledged (tick >= keepFrom;
   * 0: every one in use) into a new table of `size` views `stride` rows
   * apart, in their order; unused views make up `size`.
   */
  private relayout(size: number, stride: number, keepFrom: number): void {
    const old = this.slab;
    const slab = new ViewTable(size * stride, old.schema);
    const tables = this.tables;
    let k = 0;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick === 0 || t.tick < keepFrom) continue;
      const row = k * stride;
      for (let r = 0; r < t.count; r++) old.codec.copyRow(slab, row + r, old, t.row + r);
      t.row = row;
      tables[k++] = t;
    }
    tables.length = k;
    while (tables.length < size) tables.push(new Baseline(tables.length * stride));
    this.slab = slab;
    this.stride = stride;
    this.oversizedReviews = 0;
    this.peakLive = 0;
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
