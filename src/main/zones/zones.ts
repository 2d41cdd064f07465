import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMap, encodeMap, type GameMap } from '../../content/map-format.ts';
import { readTiledMap } from '../../content/tiled/index.ts';
import { gameMapOf, zoneMapOf } from '../../content/zone-map.ts';
import { generateMap } from '../../content/map-generate.ts';
import type { Config, ZoneConfig } from '../config.ts';
import type { ZoneLaunch } from './supervisor.ts';

/**
 * The zones this server runs, from configuration. The map goes through the
 * binary map format either way: a Tiled map (.tmx, .tmj) is read for its
 * collision and spawn points, a binary one is validated by decodeMap, and a
 * generated map is encoded, so cells always load the same format. What a
 * Tiled map lacks and gets by default is reported through `warn`.
 */
export function zonesFromConfig(cfg: Config, warn: (message: string) => void = () => {}): ZoneLaunch[] {
  return cfg.zones.map((z, i) => ({
    spec: {
      id: i + 1,
      name: z.name,
      width: z.width,
      height: z.height,
      aoiTile: cfg.aoiTile,
      cellCols: z.cellCols,
      cellRows: z.cellRows,
      capacity: cfg.zoneCapacity,
      tickHz: cfg.tickHz,
    },
    map: mapBytes(z, cfg.mapDir, warn),
    cell: { wanderers: z.npcCount },
  }));
}

/** Map files a zone may have in MAP_DIR, in the order they are looked for. */
const MAP_EXTENSIONS = ['.tmx', '.tmj', '.tsmp'];

function mapBytes(z: ZoneConfig, mapDir: string | undefined, warn: (message: string) => void): Uint8Array {
  const found = mapDir ? MAP_EXTENSIONS.map((ext) => join(mapDir, `${z.name}${ext}`)).find((f) => existsSync(f)) : undefined;
  const file = z.mapFile ?? found;
  if (!file) return encodeMap(generateMap(z.width, z.height, z.mapSeed));
  let map: GameMap;
  let bytes: Uint8Array;
  try {
    if (/\.tm[xj]$/i.test(file)) {
      // A map drawn in Tiled: its collision and spawn points (docs/content.md).
      const zone = zoneMapOf(readTiledMap(file));
      for (const w of zone.warnings) warn(`zone ${z.name}: ${w}`);
      map = gameMapOf(zone);
      bytes = encodeMap(map);
    } else {
      bytes = readFileSync(file);
      map = decodeMap(bytes);
    }
  } catch (err) {
    throw new Error(`zone ${z.name}: ${file}: ${(err as Error).message}`);
  }
  if (map.width !== z.width || map.height !== z.height) {
    throw new Error(`zone ${z.name}: ${file} is ${map.width}x${map.height} but the zone is configured ${z.width}x${z.height}`);
  }
  return bytes;
}
