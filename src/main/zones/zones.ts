import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMap, encodeMap } from '../../content/map-format.ts';
import { generateMap } from '../../content/map-generate.ts';
import type { Config, ZoneConfig } from '../config.ts';
import type { ZoneLaunch } from './supervisor.ts';

/**
 * The zones this server runs, from configuration. The map goes through the
 * binary map format either way: a file is validated by decodeMap, and a
 * generated map is encoded, so cells always load the same format.
 */
export function zonesFromConfig(cfg: Config): ZoneLaunch[] {
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
    map: mapBytes(z, cfg.mapDir),
    cell: { wanderers: z.npcCount },
  }));
}

function mapBytes(z: ZoneConfig, mapDir: string | undefined): Uint8Array {
  const file = z.mapFile ?? (mapDir && existsSync(join(mapDir, `${z.name}.tsmp`)) ? join(mapDir, `${z.name}.tsmp`) : undefined);
  if (!file) return encodeMap(generateMap(z.width, z.height, z.mapSeed));
  const bytes = readFileSync(file);
  let map;
  try {
    map = decodeMap(bytes);
  } catch (err) {
    throw new Error(`zone ${z.name}: ${file}: ${(err as Error).message}`);
  }
  if (map.width !== z.width || map.height !== z.height) {
    throw new Error(`zone ${z.name}: ${file} is ${map.width}x${map.height} but the zone is configured ${z.width}x${z.height}`);
  }
  return bytes;
}
