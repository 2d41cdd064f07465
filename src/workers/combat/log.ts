import { COMBAT_LOG_CAPACITY, COMBAT_LOG_DUP, COMBAT_LOG_RING, CombatLogHeader, CombatLogRecord, CombatLogSlot, combatLogSlotWords, LOG_POSITION_MASK } from '../../shared/layout.ts';
import type { ZoneGeometry } from '../../shared/zone-geometry.ts';

const W = CombatLogRecord.words;
/** Local words per record: the record, then the tile it is listed under. */
const LW = W + 1;

/** Ticks a region of `words` Int32 words keeps (layout.ts combatLogCellWords). */
function windowOf(words: number, tiles: number): number {
  return (words - CombatLogHeader.words - COMBAT_LOG_RING * W) / combatLogSlotWords(tiles);
}

/**
 * This cell's combat log: the combat events of each tick (hits, heals,
 * misses, deaths, casts, level-ups) as the cell applies them, kept locally
 * during simulate and published in the publish phase into the cell's region
 * of the shared combat log, sorted by AOI tile (a counting sort, as the
 * spatial grid's). The region keeps the last `window` ticks (a ring of
 * records and a slot per tick), so a frame sent every few ticks carries the
 * events of every tick since the player's previous frame. Every cell's
 * replicate reads the regions of the 3×3 tiles around each of its players
 * (CombatLogReader), so a player sees the events of its neighbours' cells
 * without any message. An event is listed under its target's tile and, when
 * its source stood on another tile, again under the source's (marked DUP),
 * so a viewer that sees either sees it once. Allocates nothing.
 */
export class CombatLog {
  private readonly local = new Uint32Array(COMBAT_LOG_CAPACITY * LW);
  private n = 0;
  private readonly region: Int32Array;
  private readonly records: Uint32Array;
  private readonly tiles: number;
  private readonly window: number;
  private readonly slotWords: number;
  private readonly count: Int32Array;
  private readonly stats: Float64Array;
  private readonly loggedSlot: number;
  private readonly droppedSlot: number;

  constructor(region: Int32Array, geometry: ZoneGeometry, stats: Float64Array, loggedSlot: number, droppedSlot: number) {
    this.region = region;
    this.tiles = geometry.tileCount;
    this.slotWords = combatLogSlotWords(this.tiles);
    this.window = windowOf(region.length, this.tiles);
    if (!(this.window >= 1 && Number.isInteger(this.window))) throw new RangeError(`combat log region of ${region.length} words fits no whole tick slots for ${this.tiles} tiles`);
    const at = CombatLogHeader.words + this.window * this.slotWords;
    this.records = new Uint32Array(region.buffer, region.byteOffset + at * 4, COMBAT_LOG_RING * W);
    this.count = new Int32Array(this.tiles);
    this.stats = stats;
    this.loggedSlot = loggedSlot;
    this.droppedSlot = droppedSlot;
  }

  /** Events logged so far this tick. */
  get size(): number {
    return this.n;
  }

  /**
   * Logs one event on `tile` (its target's), and again on `sourceTile` when
   * that is another known tile. Handles are u32.
   */
  add(type: number, detail: number, source: number, target: number, skill: number, amount: number, tile: number, sourceTile: number): void {
    if (tile < 0) return;
    this.put(type, detail, source, target, skill, amount, tile, sourceTile);
    if (sourceTile >= 0 && sourceTile !== tile && sourceTile < this.tiles) this.put(type, detail | COMBAT_LOG_DUP, source, target, skill, amount, sourceTile, tile);
  }

  private put(type: number, detail: number, source: number, target: number, skill: number, amount: number, tile: number, other: number): void {
    if (this.n === COMBAT_LOG_CAPACITY) {
      this.stats[this.droppedSlot]++;
      return;
    }
    const o = this.n++ * LW;
    const l = this.local;
    l[o + CombatLogRecord.type] = type;
    l[o + CombatLogRecord.detail] = detail;
    l[o + CombatLogRecord.source] = source;
    l[o + CombatLogRecord.target] = target;
    l[o + CombatLogRecord.skill] = skill;
    l[o + CombatLogRecord.amount] = amount < 0 ? 0 : amount;
    l[o + CombatLogRecord.otherTile] = other;
    l[o + W] = tile;
  }

  /**
   * Publishes this tick's events into the tick's slot of the cell's shared
   * region and the ring after the previous tick's (publish phase), and starts
   * the next tick's.
   */
  publish(tick: number): void {
    const r = this.region;
    const n = this.n;
    const tiles = this.tiles;
    const slot = CombatLogHeader.words + (tick % this.window) * this.slotWords;
    const starts = slot + CombatLogSlot.words;
    const counts = starts + tiles;
    const pos = r[CombatLogHeader.writePos];
    r[slot + CombatLogSlot.tick] = tick;
    r[slot + CombatLogSlot.count] = n;
    r[slot + CombatLogSlot.start] = pos;
    if (n > 0) {
      const c = this.count;
      c.fill(0);
      const l = this.local;
      for (let i = 0; i < n; i++) c[l[i * LW + W]]++;
      let sum = 0;
      for (let t = 0; t < tiles; t++) {
        r[starts + t] = sum;
        r[counts + t] = c[t];
        sum += c[t];
        c[t] = 0;
      }
      const rec = this.records;
      for (let i = 0; i < n; i++) {
        const o = i * LW;
        const t = l[o + W];
        const at = ((pos + r[starts + t] + c[t]++) & (COMBAT_LOG_RING - 1)) * W;
        for (let k = 0; k < W; k++) rec[at + k] = l[o + k];
      }
      r[CombatLogHeader.writePos] = (pos + n) & LOG_POSITION_MASK;
    }
    this.stats[this.loggedSlot] += n;
    this.n = 0;
  }

  /** Local record `i` of this tick (tests). */
  localRecord(i: number, field: number): number {
    return this.local[i * LW + field];
  }
}

/**
 * Reads every cell's region of the combat log (replicate half): the records
 * listed under a tile, from each cell that published them, for any tick the
 * regions still hold.
 */
export class CombatLogReader {
  private readonly regions: readonly Int32Array[];
  private readonly records: Uint32Array[];
  private readonly tiles: number;
  private readonly slotWords: number;
  /** Ticks each region keeps. */
  readonly window: number;

  constructor(regions: readonly Int32Array[], geometry: ZoneGeometry) {
    this.regions = regions;
    this.tiles = geometry.tileCount;
    this.slotWords = combatLogSlotWords(this.tiles);
    this.window = regions.length > 0 ? windowOf(regions[0].length, this.tiles) : 1;
    const at = CombatLogHeader.words + this.window * this.slotWords;
    this.records = regions.map((r) => new Uint32Array(r.buffer, r.byteOffset + at * 4, COMBAT_LOG_RING * W));
  }

  get cellCount(): number {
    return this.regions.length;
  }

  /**
   * Records cell `c` listed under `tile` for `tick`: 0 when it published
   * none for that tick, or the tick has left the window or the ring.
   */
  countAt(c: number, tile: number, tick: number): number {
    const r = this.regions[c];
    const slot = CombatLogHeader.words + (tick % this.window) * this.slotWords;
    if (r[slot + CombatLogSlot.tick] !== tick || r[slot + CombatLogSlot.count] === 0) return 0;
    // Overwritten once the ring has moved on by more than its size since the tick's first record.
    if (((r[CombatLogHeader.writePos] - r[slot + CombatLogSlot.start]) & LOG_POSITION_MASK) > COMBAT_LOG_RING) return 0;
    return r[slot + CombatLogSlot.words + this.tiles + tile];
  }

  /** Ring position of the first record of `tile` for `tick` in cell `c`'s region (after countAt() found some). */
  firstAt(c: number, tile: number, tick: number): number {
    const r = this.regions[c];
    const slot = CombatLogHeader.words + (tick % this.window) * this.slotWords;
    return r[slot + CombatLogSlot.start] + r[slot + CombatLogSlot.words + tile];
  }

  /** Field `field` (CombatLogRecord) of the record at ring position `i` of cell `c`. */
  field(c: number, i: number, field: number): number {
    return this.records[c][(i & (COMBAT_LOG_RING - 1)) * W + field];
  }
}
