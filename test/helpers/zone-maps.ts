/**
 * Small zone maps built in code (ZoneMap objects turned into zone packs) for
 * portal tests: an open field with a rock border, and the portals and named
 * points a test draws on it.
 */
import { Terrain } from '../../src/content/map-format.ts';
import { encodeZonePack } from '../../src/content/pack/zone-pack.ts';
import type { NamedPoint, Portal, SafeArea, ZoneMap } from '../../src/content/zone-map.ts';

export interface FieldMap {
  width: number;
  height: number;
  portals?: Portal[];
  points?: NamedPoint[];
  safeAreas?: SafeArea[];
  /** Blocked tiles besides the border, as [x, y]. */
  rocks?: [number, number][];
}

/** An open field of `width` × `height` tiles with a rock border, spawning in the middle. */
export function fieldMap(name: string, m: FieldMap): ZoneMap {
  const tiles = new Uint8Array(m.width * m.height);
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      if (x === 0 || y === 0 || x === m.width - 1 || y === m.height - 1) tiles[y * m.width + x] = Terrain.ROCK;
    }
  }
  for (const [x, y] of m.rocks ?? []) tiles[y * m.width + x] = Terrain.ROCK;
  return {
    file: `test:${name}`,
    width: m.width,
    height: m.height,
    tiles,
    spawnPoints: [{ name: 'spawn', x: m.width / 2, y: m.height / 2 }],
    points: m.points ?? [],
    spawnAreas: [],
    npcs: [],
    portals: m.portals ?? [],
    safeAreas: m.safeAreas ?? [],
    warnings: [],
  };
}

/** The zone pack of a field map. */
export function fieldPack(name: string, m: FieldMap): Uint8Array {
  return encodeZonePack(fieldMap(name, m), name);
}

/** A portal of `width` × `height` tiles at (x, y) to point `target` of zone `zone`. */
export function portal(name: string, x: number, y: number, width: number, height: number, zone: string, target: string): Portal {
  return { name, x, y, width, height, zone, target };
}
