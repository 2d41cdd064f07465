import { Terrain, type GameMap } from '../content/map-format.ts';

/**
 * A cell's walkability grid: one byte per tile, 1 where the map blocks
 * walking (rock, water). Built once per cell and shared by what reads it:
 * the NPCs' A* (pathfinding.ts) and combat's line of sight.
 */
export class WalkGrid {
  readonly width: number;
  readonly height: number;
  readonly blocked: Uint8Array;

  constructor(map: GameMap) {
    this.width = map.width;
    this.height = map.height;
    const n = map.width * map.height;
    this.blocked = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.blocked[i] = map.tiles[i] === Terrain.GRASS ? 0 : 1;
  }

  /** True when tile (x, y) is on the map and walkable. */
  walkable(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height && this.blocked[y * this.width + x] === 0;
  }

  /**
   * True when a walker can go straight from tile (x0, y0) to tile (x1, y1):
   * every tile the segment between the tile centres passes through is
   * walkable, and where it crosses a corner exactly, both tiles beside the
   * corner are too (no corner cutting). Also combat's line of sight.
   */
  straight(x0: number, y0: number, x1: number, y1: number): boolean {
    // Every tile the segment between the tile centres touches (a supercover
    // walk, as Red Blob Games describes it).
    const nx = Math.abs(x1 - x0);
    const ny = Math.abs(y1 - y0);
    const sx = x1 > x0 ? 1 : -1;
    const sy = y1 > y0 ? 1 : -1;
    let x = x0;
    let y = y0;
    for (let ix = 0, iy = 0; ix < nx || iy < ny; ) {
      const decision = (1 + 2 * ix) * ny - (1 + 2 * iy) * nx;
      if (decision === 0) {
        // Exactly through a corner: both tiles beside it must be free.
        if (!this.walkable(x + sx, y) || !this.walkable(x, y + sy)) return false;
        x += sx;
        y += sy;
        ix++;
        iy++;
      } else if (decision < 0) {
        x += sx;
        ix++;
      } else {
        y += sy;
        iy++;
      }
      if (!this.walkable(x, y)) return false;
    }
    return true;
  }
}
