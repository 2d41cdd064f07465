import type { ZoneGeometry } from './zone-geometry.ts';

/**
 * The zone's spatial grid, in shared memory. Each cell has its own region,
 * which only it writes (during simulate) and everyone reads (during
 * replicate): for every AOI tile of the zone, the slots it owns there.
 * An entity is listed by its owner under the tile of its position, so an
 * entity that has just crossed a border is still listed, by its old owner,
 * until the handoff lands: no tick shows it twice or not at all.
 */
export class SpatialGrid {
  readonly geometry: ZoneGeometry;
  readonly capacity: number;
  /** Per cell: first index into `slots` of each tile's run. */
  readonly tileStart: Int32Array[];
  /** Per cell: number of slots in each tile. */
  readonly tileCount: Int32Array[];
  /** Per cell: slot indices grouped by tile. */
  readonly slots: Int32Array[];
  readonly buffer: SharedArrayBuffer;

  constructor(buffer: SharedArrayBuffer, geometry: ZoneGeometry, capacity: number) {
    this.geometry = geometry;
    this.capacity = capacity;
    this.buffer = buffer;
    const per = SpatialGrid.cellBytes(geometry, capacity);
    if (buffer.byteLength < per * geometry.cellCount) throw new RangeError('spatial grid buffer too small');
    this.tileStart = [];
    this.tileCount = [];
    this.slots = [];
    for (let c = 0; c < geometry.cellCount; c++) {
      const base = c * per;
      this.tileStart.push(new Int32Array(buffer, base, geometry.tileCount));
      this.tileCount.push(new Int32Array(buffer, base + geometry.tileCount * 4, geometry.tileCount));
      this.slots.push(new Int32Array(buffer, base + geometry.tileCount * 8, capacity));
    }
  }

  static cellBytes(geometry: ZoneGeometry, capacity: number): number {
    return (geometry.tileCount * 2 + capacity) * 4;
  }

  static create(geometry: ZoneGeometry, capacity: number): SpatialGrid {
    const bytes = SpatialGrid.cellBytes(geometry, capacity) * geometry.cellCount;
    return new SpatialGrid(new SharedArrayBuffer(bytes), geometry, capacity);
  }

  /**
   * Rebuilds a cell's region from the slots it owns (counting sort by tile;
   * allocates nothing). `tileOfSlot` gives each owned slot's tile.
   */
  rebuild(cell: number, owned: Int32Array, ownedCount: number, tileOfSlot: Int32Array): void {
    const start = this.tileStart[cell];
    const count = this.tileCount[cell];
    const slots = this.slots[cell];
    count.fill(0);
    // A tile of -1 leaves the entity out of the grid (hidden).
    for (let i = 0; i < ownedCount; i++) {
      const t = tileOfSlot[owned[i]];
      if (t >= 0) count[t]++;
    }
    let sum = 0;
    for (let t = 0; t < count.length; t++) {
      start[t] = sum;
      sum += count[t];
      count[t] = 0;
    }
    for (let i = 0; i < ownedCount; i++) {
      const slot = owned[i];
      const t = tileOfSlot[slot];
      if (t >= 0) slots[start[t] + count[t]++] = slot;
    }
  }
}
