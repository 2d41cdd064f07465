import { Limits } from '../../protocol/opcodes.ts';
import type { Writer } from '../../protocol/writer.ts';
import { LOG_POSITION_MASK, SAY_LOG_CAPACITY, SAY_LOG_RING, SayLogHeader, SayLogRecord, SayLogSlot } from '../../shared/layout.ts';

const W = SayLogRecord.words;
const TILE_BITS = 16;
const TILE_MASK = (1 << TILE_BITS) - 1;

/** Ticks a region of `words` Int32 words keeps (layout.ts sayLogCellWords). */
function windowOf(words: number): number {
  return (words - SayLogHeader.words - SAY_LOG_RING * W) / SayLogSlot.words;
}

/**
 * This cell's say log: the chat lines its players said in the recent ticks,
 * each with the AOI tile its speaker stood on, written straight into the
 * ring of the cell's region of the zone's shared say log during simulate
 * (the input phase takes the gate's SAYs) and closed by publish(), which
 * stamps the tick's slot. The region keeps the last `window` ticks, so a
 * frame sent every few ticks carries every line said since the player's
 * previous frame. The replicate half of every cell reads every region
 * (SayLogReader), so a player hears the lines said in its 3×3 tiles
 * whichever cell owns the speaker, with no message between cells: say
 * reaches neighbours as combat's events do. The barriers keep writers and
 * readers apart. Allocates nothing.
 */
export class SayLog {
  private readonly region: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly window: number;
  private readonly stats: Float64Array;
  private readonly loggedSlot: number;
  private readonly droppedSlot: number;
  private n = 0;

  constructor(region: Int32Array, stats: Float64Array, loggedSlot: number, droppedSlot: number) {
    this.region = region;
    this.bytes = new Uint8Array(region.buffer, region.byteOffset, region.byteLength);
    this.window = windowOf(region.length);
    if (!(this.window >= 1 && Number.isInteger(this.window))) throw new RangeError(`say log region of ${region.length} words fits no whole tick slots`);
    this.stats = stats;
    this.loggedSlot = loggedSlot;
    this.droppedSlot = droppedSlot;
  }

  /** Lines logged so far this tick. */
  get size(): number {
    return this.n;
  }

  /**
   * Logs the line `src[at, at + len)` (wire bytes, chat-lines.ts) said on
   * tile (tx, ty). False when the log is full this tick (counted) or the
   * line is longer than a record holds.
   */
  add(tx: number, ty: number, src: Uint8Array, at: number, len: number): boolean {
    if (this.n === SAY_LOG_CAPACITY || len > (W - SayLogRecord.line) * 4) {
      this.stats[this.droppedSlot]++;
      return false;
    }
    const pos = (this.region[SayLogHeader.writePos] + this.n++) & (SAY_LOG_RING - 1);
    const o = SayLogHeader.words + this.window * SayLogSlot.words + pos * W;
    this.region[o + SayLogRecord.tile] = (tx & TILE_MASK) | ((ty & TILE_MASK) << TILE_BITS);
    this.region[o + SayLogRecord.length] = len;
    const b = this.bytes;
    const to = (o + SayLogRecord.line) * 4;
    for (let i = 0; i < len; i++) b[to + i] = src[at + i];
    return true;
  }

  /** Closes this tick's lines for the readers (publish phase) and starts the next tick's. */
  publish(tick: number): void {
    const r = this.region;
    const slot = SayLogHeader.words + (tick % this.window) * SayLogSlot.words;
    const pos = r[SayLogHeader.writePos];
    r[slot + SayLogSlot.tick] = tick;
    r[slot + SayLogSlot.count] = this.n;
    r[slot + SayLogSlot.start] = pos;
    r[SayLogHeader.writePos] = (pos + this.n) & LOG_POSITION_MASK;
    this.stats[this.loggedSlot] += this.n;
    this.n = 0;
  }
}

/**
 * Reads every cell's region of the say log (replicate half) and writes the
 * lines said around a viewer as the first run of its snapshot's chat section.
 */
export class SayLogReader {
  private readonly regions: readonly Int32Array[];
  private readonly bytes: readonly Uint8Array[];
  /** Ticks each region keeps. */
  readonly window: number;
  private readonly recordsAt: number;

  constructor(regions: readonly Int32Array[]) {
    this.regions = regions;
    this.bytes = regions.map((r) => new Uint8Array(r.buffer, r.byteOffset, r.byteLength));
    this.window = regions.length > 0 ? windowOf(regions[0].length) : 1;
    this.recordsAt = SayLogHeader.words + this.window * SayLogSlot.words;
  }

  /**
   * Writes `u8 n, n × line`: the lines of ticks `from` to `to` said on the
   * 3×3 tiles around (tx, ty), at most Limits.maxChatLinesPerRun, tick by
   * tick, in cell order then the order said. Ticks the log no longer holds
   * are skipped. Returns how many were left out for want of room.
   */
  writeRun(w: Writer, tx: number, ty: number, from: number, to: number): number {
    const countAt = w.pos;
    w.u8(0);
    let n = 0;
    let cut = 0;
    for (let t = from; t <= to; t++) {
      const slot = SayLogHeader.words + (t % this.window) * SayLogSlot.words;
      for (let c = 0; c < this.regions.length; c++) {
        const r = this.regions[c];
        if (r[slot + SayLogSlot.tick] !== t) continue;
        const count = r[slot + SayLogSlot.count];
        const start = r[slot + SayLogSlot.start];
        // Overwritten once the ring has moved on by more than its size since the tick's first line.
        if (count === 0 || ((r[SayLogHeader.writePos] - start) & LOG_POSITION_MASK) > SAY_LOG_RING) continue;
        for (let i = 0; i < count; i++) {
          const o = this.recordsAt + ((start + i) & (SAY_LOG_RING - 1)) * W;
          const tile = r[o + SayLogRecord.tile];
          const dx = (tile & TILE_MASK) - tx;
          const dy = ((tile >>> TILE_BITS) & TILE_MASK) - ty;
          if (dx < -1 || dx > 1 || dy < -1 || dy > 1) continue;
          if (n === Limits.maxChatLinesPerRun) {
            cut++;
            continue;
          }
          const lineAt = (o + SayLogRecord.line) * 4;
          w.raw(this.bytes[c], lineAt, lineAt + r[o + SayLogRecord.length]);
          n++;
        }
      }
    }
    w.patchU8(countAt, n);
    return cut;
  }
}
