import { mulberry32 } from '../shared/random.ts';
import { Terrain, type GameMap } from './map-format.ts';
import { encodeZonePack } from './pack/zone-pack.ts';
import { zoneMapOfGameMap, type SpawnArea } from './zone-map.ts';

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

/** Edge of the square spawn areas a generated map gets for content NPCs (spawnAreasOf). */
export const GENERATED_SPAWN_BLOCK = 64;

/**
 * Spawn areas covering a `width` × `height` map in GENERATED_SPAWN_BLOCK
 * squares (inset one tile from the rock border), `count` NPCs of template
 * `npc` shared among them as evenly as counts go (at most 1,000 an area:
 * the zone pack's limit), each respawning as its template says (the area's
 * own respawn is the Tiled default, 60 s, unused by the NPC AI). Areas left with no NPC are not listed.
 */
export function spawnAreasOf(width: number, height: number, npc: string, count: number): SpawnArea[] {
  const cols = Math.max(1, Math.ceil((width - 2) / GENERATED_SPAWN_BLOCK));
  const rows = Math.max(1, Math.ceil((height - 2) / GENERATED_SPAWN_BLOCK));
  const n = cols * rows;
  const out: SpawnArea[] = [];
  for (let k = 0; k < n; k++) {
    const share = Math.floor(count / n) + (k < count % n ? 1 : 0);
    if (share === 0) continue;
    const x = 1 + (k % cols) * GENERATED_SPAWN_BLOCK;
    const y = 1 + Math.floor(k / cols) * GENERATED_SPAWN_BLOCK;
    out.push({ name: `generated_${k}`, npc, count: share, x, y, width: Math.min(GENERATED_SPAWN_BLOCK, width - 1 - x), height: Math.min(GENERATED_SPAWN_BLOCK, height - 1 - y), respawnSeconds: 60, jitterSeconds: 0 });
  }
  return out;
}

/**
 * A zone pack (pack/zone-pack.ts) of a generated map, for zones without a
 * drawn map and for tests; with `npcs`, spawn areas of that content NPC
 * template over the whole map (spawnAreasOf).
 */
export function generateZonePack(name: string, width: number, height: number, seed = 1, obstacleShare = 0.04, npcs?: { template: string; count: number }): Uint8Array {
  const zone = zoneMapOfGameMap(generateMap(width, height, seed, obstacleShare), `generated:${name}`);
  if (npcs) zone.spawnAreas.push(...spawnAreasOf(width, height, npcs.template, npcs.count));
  return encodeZonePack(zone, name);
}
