import { makeHandle } from '../../shared/entity-store.ts';
import { EntityFlags, EntityKind, SlotState } from '../../shared/layout.ts';
import type { ZoneViews } from '../../shared/zone-memory.ts';

/**
 * What this cell's NPCs can perceive: the live players in the AOI tiles of
 * the cell's rectangle and one tile around it, from every cell's part of
 * the shared grid, with their positions. Taken in the replicate half, when
 * every cell's grid and positions are settled (between the barriers), and
 * read by the AI in the next simulate half, so the AI never reads another
 * cell's entities while that cell writes them. One tick old by design.
 */
export class NpcSenses {
  private readonly views: ZoneViews;
  /** Tile range sensed [tx0, tx1) × [ty0, ty1). */
  readonly tx0: number;
  readonly ty0: number;
  readonly tx1: number;
  readonly ty1: number;
  /** Players by tile: `start[t - offset]..+count` index into the lists below. */
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  readonly slot: Int32Array;
  readonly handle: Float64Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Players sensed; the lists hold `total` entries sorted by tile. */
  total = 0;
  /** Per slot: the tick it was last sensed at, and where. */
  readonly seenTick: Int32Array;
  readonly seenX: Float32Array;
  readonly seenY: Float32Array;
  /** Zone tick of the last sense(). */
  tick = -1;
  readonly seenHandle: Float64Array;
  private readonly tileOf: Int32Array;
  private readonly unsorted: Int32Array;

  constructor(views: ZoneViews, rect: readonly number[]) {
    this.views = views;
    const g = views.geometry;
    this.tx0 = Math.max(0, g.tileX(rect[0]) - 1);
    this.ty0 = Math.max(0, g.tileY(rect[1]) - 1);
    this.tx1 = Math.min(g.tilesX, g.tileX(rect[2] - 1e-3) + 2);
    this.ty1 = Math.min(g.tilesY, g.tileY(rect[3] - 1e-3) + 2);
    const tiles = (this.tx1 - this.tx0) * (this.ty1 - this.ty0);
    this.start = new Int32Array(tiles);
    this.count = new Int32Array(tiles);
    const cap = views.store.capacity;
    this.slot = new Int32Array(cap);
    this.handle = new Float64Array(cap);
    this.x = new Float32Array(cap);
    this.y = new Float32Array(cap);
    this.tileOf = new Int32Array(cap);
    this.unsorted = new Int32Array(cap);
    this.seenHandle = new Float64Array(cap);
    this.seenTick = new Int32Array(cap).fill(-1);
    this.seenX = new Float32Array(cap);
    this.seenY = new Float32Array(cap);
  }

  /** Lists the live players in range (counting sort by tile). */
  sense(tick: number): void {
    const { geometry: g, grid, store } = this.views;
    const f = store.f;
    const w = this.tx1 - this.tx0;
    this.count.fill(0);
    let n = 0;
    for (let ty = this.ty0; ty < this.ty1; ty++) {
      for (let tx = this.tx0; tx < this.tx1; tx++) {
        const t = ty * g.tilesX + tx;
        const local = (ty - this.ty0) * w + (tx - this.tx0);
        for (let c = 0; c < g.cellCount; c++) {
          const k = grid.tileCount[c][t];
          if (k === 0) continue;
          const s0 = grid.tileStart[c][t];
          const list = grid.slots[c];
          for (let i = 0; i < k; i++) {
            const s = list[s0 + i];
            if (f.kind[s] !== EntityKind.PLAYER || (f.flags[s] & EntityFlags.DEAD) !== 0) continue;
            if (Atomics.load(f.state, s) !== SlotState.ALIVE) continue;
            this.tileOf[n] = local;
            this.unsorted[n++] = s;
            this.count[local]++;
          }
        }
      }
    }
    let sum = 0;
    for (let t = 0; t < this.count.length; t++) {
      this.start[t] = sum;
      sum += this.count[t];
      this.count[t] = 0;
    }
    // Place in tile order: the lists are read back per tile.
    for (let i = 0; i < n; i++) {
      const s = this.unsorted[i];
      const local = this.tileOf[i];
      const at = this.start[local] + this.count[local]++;
      this.slot[at] = s;
    }
    for (let i = 0; i < n; i++) {
      const s = this.slot[i];
      this.handle[i] = makeHandle(s, f.gen[s]);
      this.x[i] = f.x[s];
      this.y[i] = f.y[s];
      this.seenTick[s] = tick;
      this.seenHandle[s] = this.handle[i];
      this.seenX[s] = f.x[s];
      this.seenY[s] = f.y[s];
    }
    this.total = n;
    this.tick = tick;
  }

  /** First list index of local tile (tx, ty) (zone tile coordinates), or -1 outside the sensed range. */
  first(tx: number, ty: number): number {
    if (tx < this.tx0 || ty < this.ty0 || tx >= this.tx1 || ty >= this.ty1) return -1;
    return this.start[(ty - this.ty0) * (this.tx1 - this.tx0) + (tx - this.tx0)];
  }

  /** Players sensed in zone tile (tx, ty). */
  countAt(tx: number, ty: number): number {
    if (tx < this.tx0 || ty < this.ty0 || tx >= this.tx1 || ty >= this.ty1) return 0;
    return this.count[(ty - this.ty0) * (this.tx1 - this.tx0) + (tx - this.tx0)];
  }

  /** True when the player `handle` was sensed alive at the last sense(). */
  sees(handle: number, slot: number): boolean {
    return this.seenTick[slot] === this.tick && this.seenHandle[slot] === handle;
  }
}
