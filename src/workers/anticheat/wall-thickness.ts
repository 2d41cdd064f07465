import { Terrain, type GameMap } from '../../content/map-format.ts';

/**
 * A line of sight refused through at least this many rock tiles is an
 * impossible action: a wall that thick is drawn as one on every client, and
 * no tile-edge rounding, corner or misjudged pond puts a target behind it.
 * Thinner walls, corners and water (which blocks sight but shows open
 * ground beyond it) are honest mistakes, refused but not counted.
 */
export const LOS_WALL_TILES = 3;

/**
 * Rock tiles the segment between the centres of tiles (x0, y0) and (x1, y1)
 * passes through, counting up to `stopAt` (the same supercover walk as
 * WalkGrid.straight, line of sight's own). Allocates nothing.
 */
export function rockTilesAlong(map: GameMap, x0: number, y0: number, x1: number, y1: number, stopAt = LOS_WALL_TILES): number {
  const nx = Math.abs(x1 - x0);
  const ny = Math.abs(y1 - y0);
  const sx = x1 > x0 ? 1 : -1;
  const sy = y1 > y0 ? 1 : -1;
  let x = x0;
  let y = y0;
  let n = 0;
  for (let ix = 0, iy = 0; (ix < nx || iy < ny) && n < stopAt; ) {
    const decision = (1 + 2 * ix) * ny - (1 + 2 * iy) * nx;
    if (decision === 0) {
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
    if (x >= 0 && y >= 0 && x < map.width && y < map.height && map.tiles[y * map.width + x] === Terrain.ROCK) n++;
  }
  return n;
}
