import { DEFAULT_SCHEMA, type FieldSchema } from '../protocol/fields.ts';
import { ViewTable } from '../protocol/view-table.ts';

/** Tables a history starts with: a prompt client has only a few frames in flight. */
const INITIAL_TABLES = 4;

/**
 * A client's replication baselines on the server: the views it was sent, by
 * tick, up to `max` of them. Acks only move forward and a snapshot is a
 * delta against the newest acknowledged view, so a view older than the
 * acknowledged one can never be a baseline again: claim() reuses those
 * first, and grows the history (up to `max`) only while every view it holds
 * may still be acknowledged. A prompt client thus holds a handful of views
 * (the frames in flight), a lagging one up to `max` (a second of frames or
 * more), and memory follows the lag instead of the worst case. Steady state
 * allocates nothing: a history grows only when its client lags further than
 * it ever did.
 */
export class BaselineHistory {
  readonly max: number;
  readonly tables: ViewTable[];
  private readonly rowCapacity: number;
  private readonly schema: FieldSchema;

  constructor(max: number, rowCapacity = 32, schema: FieldSchema = DEFAULT_SCHEMA) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`a baseline history holds at least one view, got ${max}`);
    this.max = max;
    this.rowCapacity = rowCapacity;
    this.schema = schema;
    this.tables = Array.from({ length: Math.min(max, INITIAL_TABLES) }, () => new ViewTable(rowCapacity, schema));
  }

  /** The view of `tick`, or null when it is unknown or already reused. */
  find(tick: number): ViewTable | null {
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
  claim(tick: number, keepFrom = 0): ViewTable {
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

  // Kept out of claim(): the closure-free hot path stays small.
  private grow(): number {
    this.tables.push(new ViewTable(this.rowCapacity, this.schema));
    return this.tables.length - 1;
  }

  /** The held view with the smallest tick above `tick` (0: the oldest), or null. */
  after(tick: number): ViewTable | null {
    let best: ViewTable | null = null;
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick !== 0 && t.tick > tick && (best === null || t.tick < best.tick)) best = t;
    }
    return best;
  }

  /** The held view with the largest tick below `tick`, or null. */
  before(tick: number): ViewTable | null {
    let best: ViewTable | null = null;
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i];
      if (t.tick !== 0 && t.tick < tick && (best === null || t.tick > best.tick)) best = t;
    }
    return best;
  }
}
