import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedWorld } from '../../content/load-world.ts';
import { generateZonePack } from '../../content/map-generate.ts';
import { encodeZonePack } from '../../content/pack/zone-pack.ts';
import { readTiledMap } from '../../content/tiled/index.ts';
import { zoneMapOf } from '../../content/zone-map.ts';
import type { Config, ZoneConfig } from '../config.ts';
import type { ZoneLaunch } from './supervisor.ts';
import type { ZoneSpec } from '../../shared/zone-memory.ts';

/**
 * The zones this server runs, from configuration. Every zone's map becomes a
 * zone pack (content/pack/zone-pack.ts), the one format cells load: a map
 * drawn in Tiled (.tmx, .tmj) is read for what Tessera gives meaning to, and
 * a zone without one gets a generated map. What a Tiled map lacks and gets by
 * default is reported through `warn`.
 */
export function zonesFromConfig(cfg: Config, warn: (message: string) => void = () => {}, npcIds?: readonly string[]): ZoneLaunch[] {
  return cfg.zones.map((z, i) => {
    const generated = z.npcTemplate !== undefined && zoneFile(z, cfg.mapDir) === undefined;
    if (generated && !npcIds?.includes(z.npcTemplate!)) throw new Error(`NPC_TEMPLATE ${z.npcTemplate}: the content has no such NPC template`);
    return {
      spec: zoneSpec(cfg, i, z),
      map: zonePack(z, cfg.mapDir, warn),
      // NPC_TEMPLATE: the NPCs come from the generated map's spawn areas, not as generic wanderers.
      cell: { wanderers: generated ? 0 : z.npcCount },
    };
  });
}

/** The spec of the `i`-th zone: its size and cell grid, the server's AOI tile, capacity, tick and snapshot rates. */
function zoneSpec(cfg: Config, i: number, z: { name: string; width: number; height: number; cellCols: number; cellRows: number }): ZoneSpec {
  return { id: i + 1, name: z.name, width: z.width, height: z.height, aoiTile: cfg.aoiTile, cellCols: z.cellCols, cellRows: z.cellRows, capacity: cfg.zoneCapacity, tickHz: cfg.tickHz, sendHz: cfg.sendHz };
}

/**
 * The zones of a compiled world (content/load-world.ts), start zone first,
 * each cell viewing the world's zone pack and content pack in place. The
 * cell grid is checked against AOI_TILE here, as it is a setting of this
 * server, not of the content.
 */
export function zonesFromWorld(cfg: Config, world: LoadedWorld): ZoneLaunch[] {
  return world.zones.map((z, i) => {
    const tilesX = Math.ceil(z.width / cfg.aoiTile);
    const tilesY = Math.ceil(z.height / cfg.aoiTile);
    if (z.cellCols > tilesX || z.cellRows > tilesY) {
      throw new Error(
        `zone ${z.name} (world.json): a ${z.cellCols}x${z.cellRows} cell grid needs at least that many AOI tiles; its ${z.width}x${z.height} map over AOI_TILE ${cfg.aoiTile} gives ${tilesX}x${tilesY}`,
      );
    }
    return {
      spec: zoneSpec(cfg, i, z),
      map: z.pack,
      cell: { content: world.content },
    };
  });
}

/** Map files a zone may have in MAP_DIR, in the order they are looked for. */
const MAP_EXTENSIONS = ['.tmx', '.tmj'];

/** The Tiled map a configured zone loads, or undefined when it runs on a generated one. */
function zoneFile(z: ZoneConfig, mapDir: string | undefined): string | undefined {
  const found = mapDir ? MAP_EXTENSIONS.map((ext) => join(mapDir, `${z.name}${ext}`)).find((f) => existsSync(f)) : undefined;
  return z.mapFile ?? found;
}

function zonePack(z: ZoneConfig, mapDir: string | undefined, warn: (message: string) => void): Uint8Array {
  const file = zoneFile(z, mapDir);
  if (!file) return generateZonePack(z.name, z.width, z.height, z.mapSeed, undefined, z.npcTemplate === undefined ? undefined : { template: z.npcTemplate, count: z.npcCount });
  if (!/\.tm[xj]$/i.test(file)) throw new Error(`zone ${z.name}: ${file}: not a Tiled map (.tmx or .tmj)`);
  let pack: Uint8Array;
  let width: number;
  let height: number;
  try {
    // A map drawn in Tiled: its collision, spawn points and objects (docs/content.md).
    const zone = zoneMapOf(readTiledMap(file));
    for (const w of zone.warnings) warn(`zone ${z.name}: ${w}`);
    pack = encodeZonePack(zone, z.name);
    ({ width, height } = zone);
  } catch (err) {
    throw new Error(`zone ${z.name}: ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (width !== z.width || height !== z.height) {
    throw new Error(`zone ${z.name}: ${file} is ${width}x${height} but the zone is configured ${z.width}x${z.height}`);
  }
  return pack;
}
