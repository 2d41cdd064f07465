import { mulberry32 } from '../shared/random.ts';
import { Terrain, type GameMap } from './map-format.ts';
import { encodeZonePack } from './pack/zone-pack.ts';
import { zoneMapOfGameMap } from './zone-map.ts';

/**
 * Generates a walkable field with a rock border and scattered rock and water
 * patches (about `obstacleShare` of the area), spawn in the middle. Zones
 * without a drawn map (ZONES, benchmarks) run on one.
 */
export function generateMap(width: number, height: number, seed = 1, obstacleShare = 0.04): GameMap {
  const tiles = new Uint8Array(width * height);
  const rnd = mulberry32(seed);
  for (let x = 0; x < width; x++) {
    tiles[x] = Terrain.ROCK;
    tiles[(height - 1) * width + x] = Terrain.ROCK;
  }
  for (let y = 0; y < height; y++) {
    tiles[y * width] = Terrain.ROCK;
    tiles[y * width + width - 1] = Terrain.ROCK;
  }
  const patches = Math.floor((width * height * obstacleShare) / 9);
  for (let p = 0; p < patches; p++) {
    const cx = 2 + Math.floor(rnd() * (width - 4));
    const cy = 2 + Math.floor(rnd() * (height - 4));
    const kind = rnd() < 0.7 ? Terrain.ROCK : Terrain.WATER;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (rnd() < 0.8) tiles[(cy + dy) * width + cx + dx] = kind;
      }
    }
  }
  const spawnX = Math.floor(width / 2);
  const spawnY = Math.floor(height / 2);
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) tiles[(spawnY + dy) * width + spawnX + dx] = Terrain.GRASS;
  return { width, height, spawnX, spawnY, tiles };
}

/** A zone pack (pack/zone-pack.ts) of a generated map, for zones without a drawn map and for tests. */
export function generateZonePack(name: string, width: number, height: number, seed = 1, obstacleShare = 0.04): Uint8Array {
  return encodeZonePack(zoneMapOfGameMap(generateMap(width, height, seed, obstacleShare), `generated:${name}`), name);
}
