import { MAP_MAX_EDGE, Terrain } from '../map-format.ts';
import type { NamedPoint, Rect, ZoneMap } from '../zone-map.ts';
import { FileKind, readContainer, requireSection, type Container } from './container.ts';
import { writeContainer } from './container-write.ts';
import { badFile, type FilePlace } from './errors.ts';
import { encodeRecords, readRecords, type RecordTable } from './records.ts';
import { StringTableWriter, readStringTable, stringAt } from './strings.ts';

/**
 * A zone pack: one zone's map as the cells read it (ZoneMap, zone-map.ts),
 * in a content container (container.ts). Sections:
 *
 *   ZONE  u32 width | u32 height | u32 name | u32 source file (string indices)
 *   STRS  string table (strings.ts)
 *   TILE  width × height bytes of Terrain, row-major; viewed in place
 *   SPWN PNTS AREA NPCS PATH PORT SAFE PVPA  record tables (records.ts), fields below
 *
 * A placed NPC's patrol is the PATH rows patrolStart .. patrolStart+patrolCount.
 */
export const ZoneHeader = { width: 0, height: 1, name: 2, file: 3, words: 4 } as const;

export const ZoneSection = { HEADER: 'ZONE', STRINGS: 'STRS', TILES: 'TILE' } as const;

export const SPAWNS = { id: 'SPWN', fields: ['name', 'x', 'y'] } as const satisfies RecordTable<string>;
export const POINTS = { id: 'PNTS', fields: ['name', 'x', 'y'] } as const satisfies RecordTable<string>;
export const AREAS = {
  id: 'AREA',
  fields: ['name', 'npc', 'x', 'y', 'width', 'height', 'count', 'respawnSeconds', 'jitterSeconds'],
} as const satisfies RecordTable<string>;
export const NPCS = { id: 'NPCS', fields: ['name', 'npc', 'x', 'y', 'patrolStart', 'patrolCount'] } as const satisfies RecordTable<string>;
export const PATHS = { id: 'PATH', fields: ['name', 'x', 'y'] } as const satisfies RecordTable<string>;
export const PORTALS = { id: 'PORT', fields: ['name', 'zone', 'target', 'x', 'y', 'width', 'height'] } as const satisfies RecordTable<string>;
export const SAFE_AREAS = { id: 'SAFE', fields: ['name', 'x', 'y', 'width', 'height'] } as const satisfies RecordTable<string>;
/** PvP areas: as safe areas; a pack written before them has no such section (none). */
export const PVP_AREAS = { id: 'PVPA', fields: ['name', 'x', 'y', 'width', 'height'] } as const satisfies RecordTable<string>;

/** Bounds the compiler's map reader (zone-map.ts) enforces, checked again on decode. */
const AREA_LIMITS = { count: [1, 1000], respawnSeconds: [1, 7 * 86_400], jitterSeconds: [0, 86_400] } as const;

/** A decoded zone pack: the map, with the zone's name. */
export interface ZonePack extends ZoneMap {
  name: string;
}

/** Encodes a zone's map; `name` is the zone's name in the world. */
export function encodeZonePack(zone: ZoneMap, name: string): Uint8Array {
  if (zone.tiles.length !== zone.width * zone.height) throw new RangeError(`zone ${name}: ${zone.tiles.length} tiles for ${zone.width}x${zone.height}`);
  const s = new StringTableWriter();
  const header = new Uint32Array(ZoneHeader.words);
  header[ZoneHeader.width] = zone.width;
  header[ZoneHeader.height] = zone.height;
  header[ZoneHeader.name] = s.add(name);
  header[ZoneHeader.file] = s.add(zone.file);
  const point = (p: NamedPoint) => ({ name: s.add(p.name), x: p.x, y: p.y });
  const rect = (r: Rect) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
  const path: NamedPoint[] = [];
  const npcs = zone.npcs.map((n) => {
    const row = { ...point(n), npc: s.add(n.npc), patrolStart: path.length, patrolCount: n.patrol.length };
    path.push(...n.patrol);
    return row;
  });
  const records = [
    { id: SPAWNS.id, bytes: encodeRecords(SPAWNS, zone.spawnPoints.map(point)) },
    { id: POINTS.id, bytes: encodeRecords(POINTS, zone.points.map(point)) },
    {
      id: AREAS.id,
      bytes: encodeRecords(
        AREAS,
        zone.spawnAreas.map((a) => ({ ...rect(a), name: s.add(a.name), npc: s.add(a.npc), count: a.count, respawnSeconds: a.respawnSeconds, jitterSeconds: a.jitterSeconds })),
      ),
    },
    { id: NPCS.id, bytes: encodeRecords(NPCS, npcs) },
    { id: PATHS.id, bytes: encodeRecords(PATHS, path.map(point)) },
    { id: PORTALS.id, bytes: encodeRecords(PORTALS, zone.portals.map((p) => ({ ...rect(p), name: s.add(p.name), zone: s.add(p.zone), target: s.add(p.target) }))) },
    { id: SAFE_AREAS.id, bytes: encodeRecords(SAFE_AREAS, zone.safeAreas.map((a) => ({ ...rect(a), name: s.add(a.name) }))) },
    { id: PVP_AREAS.id, bytes: encodeRecords(PVP_AREAS, (zone.pvpAreas ?? []).map((a) => ({ ...rect(a), name: s.add(a.name) }))) },
  ];
  return writeContainer(FileKind.ZONE, [
    { id: ZoneSection.HEADER, bytes: new Uint8Array(header.buffer) },
    { id: ZoneSection.STRINGS, bytes: s.bytes() },
    { id: ZoneSection.TILES, bytes: zone.tiles },
    ...records,
  ]);
}

/**
 * Decodes and validates a zone pack: what the cells rely on (tile values,
 * points inside the map and spawn points walkable, areas inside it, string
 * indices, patrol ranges) is checked here, so a cell never meets a bad map.
 * `tiles` is a view into `bytes`. Throws ContentFileError only.
 */
export function decodeZonePack(bytes: Uint8Array, file = 'zone pack'): ZonePack {
  const c = readContainer(bytes, file, FileKind.ZONE);
  const place = (id: string): FilePlace => ({ file, section: id, base: c.offsets.get(id) ?? 0 });
  const strings = readStringTable(requireSection(c, file, ZoneSection.STRINGS), place(ZoneSection.STRINGS));
  const head = requireSection(c, file, ZoneSection.HEADER);
  const hp = place(ZoneSection.HEADER);
  if (head.length !== ZoneHeader.words * 4) badFile(hp, 0, `zone header of ${head.length} bytes, expected ${ZoneHeader.words * 4}`);
  const h = new Uint32Array(head.buffer, head.byteOffset, ZoneHeader.words);
  const width = h[ZoneHeader.width];
  const height = h[ZoneHeader.height];
  if (width < 1 || height < 1 || width > MAP_MAX_EDGE || height > MAP_MAX_EDGE) badFile(hp, 0, `size ${width}x${height} is outside 1..${MAP_MAX_EDGE}`);
  const name = stringAt(strings, h[ZoneHeader.name], hp, ZoneHeader.name * 4);
  const source = stringAt(strings, h[ZoneHeader.file], hp, ZoneHeader.file * 4);
  const tiles = tilesOf(c, file, width, height, place(ZoneSection.TILES));

  const inside = (p: { x: number; y: number }, at: FilePlace, r: number, rowBytes: number) => {
    if (p.x < 0 || p.y < 0 || p.x >= width || p.y >= height) badFile(at, r * rowBytes, `record ${r}: point ${p.x},${p.y} lies outside the ${width}x${height} map`);
  };
  const within = (a: Rect, at: FilePlace, r: number, rowBytes: number) => {
    // Edges come from pixel / tile-size divisions: allow a rounding error, no more.
    const ok = a.x >= 0 && a.y >= 0 && a.width > 0 && a.height > 0 && a.x + a.width <= width + 1e-9 && a.y + a.height <= height + 1e-9;
    if (!ok) badFile(at, r * rowBytes, `record ${r}: area ${a.x},${a.y} ${a.width}x${a.height} is empty or leaves the ${width}x${height} map`);
  };
  const table = <F extends string>(t: RecordTable<F>, strFields: readonly F[], check: (row: Record<F, number>, at: FilePlace, r: number, rowBytes: number) => void) => {
    const at = place(t.id);
    const rowBytes = t.fields.length * 8;
    const rows = readRecords(t, requireSection(c, file, t.id), at);
    return rows.map((row, r) => {
      const out: Record<string, string | number> = { ...row };
      for (const f of strFields) out[f] = stringAt(strings, row[f], at, r * rowBytes + t.fields.indexOf(f) * 8);
      check(row, at, r, rowBytes);
      return out;
    });
  };
  const asPoint = (row: Record<string, string | number>): NamedPoint => ({ name: row.name as string, x: row.x as number, y: row.y as number });
  const asRect = (row: Record<string, string | number>): Rect => ({ x: row.x as number, y: row.y as number, width: row.width as number, height: row.height as number });

  const spawnPoints = table(SPAWNS, ['name'], (row, at, r, rb) => {
    inside(row, at, r, rb);
    if (tiles[Math.floor(row.y) * width + Math.floor(row.x)] !== Terrain.GRASS) badFile(at, r * rb, `record ${r}: spawn point ${row.x},${row.y} is on a blocked tile`);
  }).map(asPoint);
  if (spawnPoints.length === 0) badFile(place(SPAWNS.id), 0, 'a zone needs at least one spawn point');
  const points = table(POINTS, ['name'], inside).map(asPoint);
  const path = table(PATHS, ['name'], inside).map(asPoint);
  const spawnAreas = table(AREAS, ['name', 'npc'], (row, at, r, rb) => {
    within(row, at, r, rb);
    for (const [f, [min, max]] of Object.entries(AREA_LIMITS) as [keyof typeof AREA_LIMITS, readonly [number, number]][]) {
      const v = row[f];
      if (!Number.isInteger(v) || v < min || v > max) badFile(at, r * rb + AREAS.fields.indexOf(f) * 8, `record ${r}: ${f} ${v} is not a whole number in ${min}..${max}`);
    }
  }).map((row) => ({
    ...asRect(row),
    name: row.name as string,
    npc: row.npc as string,
    count: row.count as number,
    respawnSeconds: row.respawnSeconds as number,
    jitterSeconds: row.jitterSeconds as number,
  }));
  const npcs = table(NPCS, ['name', 'npc'], (row, at, r, rb) => {
    inside(row, at, r, rb);
    const { patrolStart: s, patrolCount: n } = row;
    if (!Number.isInteger(s) || !Number.isInteger(n) || s < 0 || n < 0 || s + n > path.length) {
      badFile(at, r * rb + NPCS.fields.indexOf('patrolStart') * 8, `record ${r}: patrol ${s}+${n} is outside the ${path.length} path points`);
    }
  }).map((row) => ({ ...asPoint(row), npc: row.npc as string, patrol: path.slice(row.patrolStart as number, (row.patrolStart as number) + (row.patrolCount as number)) }));
  const portals = table(PORTALS, ['name', 'zone', 'target'], within).map((row) => ({
    ...asRect(row),
    name: row.name as string,
    zone: row.zone as string,
    target: row.target as string,
  }));
  const safeAreas = table(SAFE_AREAS, ['name'], within).map((row) => ({ ...asRect(row), name: row.name as string }));
  const pvpAreas = c.sections.has(PVP_AREAS.id) ? table(PVP_AREAS, ['name'], within).map((row) => ({ ...asRect(row), name: row.name as string })) : [];
  // No PvP area: the field is left out, as a map without one has it.
  return { name, file: source, width, height, tiles, spawnPoints, points, spawnAreas, npcs, portals, safeAreas, ...(pvpAreas.length > 0 ? { pvpAreas } : {}), warnings: [] };
}

function tilesOf(c: Container, file: string, width: number, height: number, at: FilePlace): Uint8Array {
  const tiles = requireSection(c, file, ZoneSection.TILES);
  if (tiles.length !== width * height) badFile(at, 0, `${tiles.length} tiles for a ${width}x${height} map`);
  for (let i = 0; i < tiles.length; i++) {
    if (tiles[i] > Terrain.WATER) badFile(at, i, `unknown terrain ${tiles[i]} at tile ${i % width},${Math.floor(i / width)}`);
  }
  return tiles;
}
