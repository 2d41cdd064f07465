import { readFileSync } from 'node:fs';
import { decodeMap, encodeMap } from '../content/map-format.ts';
import { generateMap } from '../content/map-generate.ts';
import type { Config } from './config.ts';
import type { ZoneLaunch } from './supervisor.ts';

/**
 * The zones this server runs, from configuration. The map goes through the
 * binary map format either way: a file is validated by decodeMap, and a
 * generated map is encoded, so cells always load the same format.
 */
export function zonesFromConfig(cfg: Config): ZoneLaunch[] {
  const z = cfg.zone;
  let bytes: Uint8Array;
  if (z.mapFile) {
    bytes = readFileSync(z.mapFile);
    const map = decodeMap(bytes);
    if (map.width !== z.width || map.height !== z.height) {
      throw new Error(`MAP_FILE is ${map.width}x${map.height} but ZONE_WIDTH x ZONE_HEIGHT is ${z.width}x${z.height}`);
    }
  } else {
    bytes = encodeMap(generateMap(z.width, z.height, z.mapSeed));
  }
  return [
    {
      spec: {
        id: 1,
        name: z.name,
        width: z.width,
        height: z.height,
        aoiTile: z.aoiTile,
        cellCols: z.cellCols,
        cellRows: z.cellRows,
        capacity: z.capacity,
        tickHz: cfg.tickHz,
      },
      map: bytes,
      cell: { wanderers: z.npcCount },
    },
  ];
}
