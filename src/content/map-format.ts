/**
 * The walkability map the cells move on (built from a zone pack,
 * pack/zone-pack.ts, by gameMapOf). Positions are in world units; one tile
 * is one unit.
 */

/** Largest edge: positions travel as u16 in 1/16 units. */
export const MAP_MAX_EDGE = 4095;

export const Terrain = { GRASS: 0, ROCK: 1, WATER: 2 } as const;

export interface GameMap {
  width: number;
  height: number;
  spawnX: number;
  spawnY: number;
  tiles: Uint8Array;
}

/** True when a tile blocks movement. */
export function isBlocked(map: GameMap, tx: number, ty: number): boolean {
  if (tx < 0 || ty < 0 || tx >= map.width || ty >= map.height) return true;
  return map.tiles[ty * map.width + tx] !== Terrain.GRASS;
}
