import { MAP_MAX_EDGE, Terrain, type GameMap } from './map-format.ts';
import { fail } from './tiled/errors.ts';
import { resolveGid } from './tiled/gids.ts';
import type { ObjectLayer, Properties, PropertyValue, TiledMap, TiledObject, TileLayer } from './tiled/model.ts';

/**
 * What Tessera reads from a Tiled map (docs/content.md, "What a map means"):
 * collision, player spawn points, NPC spawn areas and placements with patrol
 * paths, portals and safe areas, in tile units. Everything else in the map is
 * kept for the client or ignored with a warning, never a crash; a map with
 * none of Tessera's layers still makes a zone (all walkable, one spawn point
 * in the middle) and says what was defaulted.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NamedPoint {
  name: string;
  x: number;
  y: number;
}

export interface SpawnArea extends Rect {
  name: string;
  /** NPC template id (content/npcs.json). */
  npc: string;
  count: number;
  respawnSeconds: number;
  jitterSeconds: number;
}

export interface NpcPlacement extends NamedPoint {
  npc: string;
  /** Patrol path in tile units (empty: stands or wanders as its template says). */
  patrol: NamedPoint[];
}

export interface Portal extends Rect {
  name: string;
  /** Zone (map) the portal leads to, and the name of a point object there. */
  zone: string;
  target: string;
}

export interface SafeArea extends Rect {
  name: string;
}

export interface ZoneMap {
  file: string;
  width: number;
  height: number;
  /** Terrain per tile, row-major (map-format.ts): GRASS walkable, ROCK blocked. */
  tiles: Uint8Array;
  spawnPoints: NamedPoint[];
  /** Every point object by name (portal targets, boss spots...). */
  points: NamedPoint[];
  spawnAreas: SpawnArea[];
  npcs: NpcPlacement[];
  portals: Portal[];
  safeAreas: SafeArea[];
  /**
   * Areas where players may fight players (objects of class `pvp-area`,
   * docs/content.md); never where a safe area lies. Absent: none.
   */
  pvpAreas?: SafeArea[];
  /** What was defaulted or ignored, one line each, naming the file. */
  warnings: string[];
}

/** Object classes Tessera gives meaning to. */
export const ObjectClass = {
  SPAWN: 'spawn',
  SPAWN_AREA: 'spawn-area',
  NPC: 'npc',
  PORTAL: 'portal',
  SAFE_AREA: 'safe-area',
  /** Players may attack players inside it (outside every safe area). */
  PVP_AREA: 'pvp-area',
  /** A named point: a portal's target, a boss spot. */
  POINT: 'point',
  /** A patrol path (polyline) an NPC names in its `patrol` property. */
  PATH: 'path',
} as const;
const KNOWN_CLASSES = new Set<string>(Object.values(ObjectClass));

/** The tile layer whose non-empty tiles block movement. */
export const COLLISION_LAYER = 'collision';

/** Reads Tessera's meaning out of a Tiled map; throws TiledError naming the file and object on what it cannot accept. */
export function zoneMapOf(map: TiledMap): ZoneMap {
  const file = map.file;
  if (map.orientation !== 'orthogonal') fail({ file, position: 'map' }, `orientation "${map.orientation}" is not supported; Tessera maps are orthogonal`);
  if (map.width > MAP_MAX_EDGE || map.height > MAP_MAX_EDGE) {
    fail({ file, position: 'map' }, `${map.width}x${map.height} tiles exceeds the largest zone edge of ${MAP_MAX_EDGE}`);
  }
  const warnings: string[] = [];
  const tiles = collisionOf(map, warnings);
  const zone: ZoneMap = { file, width: map.width, height: map.height, tiles, spawnPoints: [], points: [], spawnAreas: [], npcs: [], portals: [], safeAreas: [], warnings };
  const paths = new Map<number, TiledObject>();
  const npcObjects: [ObjectLayer, TiledObject][] = [];
  for (const layer of map.layers) {
    if (layer.kind !== 'object') continue;
    for (const o of layer.objects) {
      const cls = o.class.toLowerCase();
      if (!KNOWN_CLASSES.has(cls)) {
        if (cls !== '') warnings.push(`${file}: ${where(layer, o)}: object class "${o.class}" means nothing to the server; kept for the client`);
        continue;
      }
      const at = (position: string) => ({ file, position: `${where(layer, o)}${position}` });
      switch (cls) {
        case ObjectClass.SPAWN:
          zone.spawnPoints.push(pointOf(map, o));
          break;
        case ObjectClass.POINT:
          zone.points.push(pointOf(map, o));
          break;
        case ObjectClass.PATH:
          paths.set(o.id, o);
          break;
        case ObjectClass.SPAWN_AREA: {
          const r = rectOf(map, o, at(''));
          zone.spawnAreas.push({
            ...r,
            name: o.name,
            npc: stringProp(o.properties, 'npc', at('')),
            count: intProp(o.properties, 'count', at(''), 1, 1000),
            respawnSeconds: intProp(o.properties, 'respawn', at(''), 1, 7 * 86_400, 60),
            jitterSeconds: intProp(o.properties, 'jitter', at(''), 0, 86_400, 0),
          });
          break;
        }
        case ObjectClass.NPC:
          npcObjects.push([layer, o]);
          break;
        case ObjectClass.PORTAL:
          zone.portals.push({ ...rectOf(map, o, at('')), name: o.name, zone: stringProp(o.properties, 'zone', at('')), target: stringProp(o.properties, 'target', at('')) });
          break;
        case ObjectClass.SAFE_AREA:
          zone.safeAreas.push({ ...rectOf(map, o, at('')), name: o.name });
          break;
        case ObjectClass.PVP_AREA:
          (zone.pvpAreas ??= []).push({ ...rectOf(map, o, at('')), name: o.name });
          break;
      }
    }
  }
  for (const [layer, o] of npcObjects) {
    const at = { file, position: where(layer, o) };
    // The NPC's own polyline is its patrol; or a `patrol` object property names a path object.
    let path: TiledObject | undefined = o.shape === 'polyline' ? o : undefined;
    const ref = o.properties.patrol;
    if (ref !== undefined) {
      if (ref.type !== 'object' || !paths.has(ref.value)) fail(at, 'property "patrol" must name a path object (class "path") of this map');
      path = paths.get(ref.value);
    }
    const patrol = path ? path.points.map((p, i) => ({ name: `${path.name || 'patrol'}#${i}`, ...toTiles(map, path.x + p.x, path.y + p.y) })) : [];
    zone.npcs.push({ ...pointOf(map, o), npc: stringProp(o.properties, 'npc', at), patrol });
  }
  for (const p of [...zone.spawnPoints, ...zone.points, ...zone.npcs, ...zone.npcs.flatMap((n) => n.patrol)]) {
    if (p.x < 0 || p.y < 0 || p.x >= map.width || p.y >= map.height) fail({ file, position: `object[name=${p.name}]` }, `lies outside the ${map.width}x${map.height} map`);
  }
  for (const p of zone.spawnPoints) {
    if (tiles[Math.floor(p.y) * map.width + Math.floor(p.x)] !== Terrain.GRASS) fail({ file, position: `object[name=${p.name}]` }, `spawn point ${p.x},${p.y} is on a blocked tile`);
  }
  if (zone.spawnPoints.length === 0) {
    zone.spawnPoints.push({ name: 'default', x: map.width / 2, y: map.height / 2 });
    warnings.push(`${file}: no object of class "spawn": players spawn in the middle of the map`);
  }
  return zone;
}

/** The walkability map the cells load (map-format.ts), spawning at the first spawn point. */
export function gameMapOf(zone: ZoneMap): GameMap {
  const spawn = zone.spawnPoints[0];
  return { width: zone.width, height: zone.height, spawnX: Math.floor(spawn.x), spawnY: Math.floor(spawn.y), tiles: zone.tiles };
}

/** A zone map of a bare walkability map (generated maps, benchmarks): its spawn, nothing else. */
export function zoneMapOfGameMap(map: GameMap, file: string): ZoneMap {
  const spawn = { name: 'spawn', x: map.spawnX, y: map.spawnY };
  return { file, width: map.width, height: map.height, tiles: map.tiles, spawnPoints: [spawn], points: [], spawnAreas: [], npcs: [], portals: [], safeAreas: [], warnings: [] };
}

/**
 * Blocked tiles: every non-empty tile of a tile layer named "collision", and
 * every tile whose tileset tile says `collides: true` or `walkable: false`,
 * on any tile layer. With neither, everything is walkable (and a warning says so).
 */
function collisionOf(map: TiledMap, warnings: string[]): Uint8Array {
  const tiles = new Uint8Array(map.width * map.height);
  const blockingGids = blockingTiles(map);
  let collisionLayer = false;
  for (const layer of map.layers) {
    if (layer.kind !== 'tile') continue;
    const isCollision = layer.name.toLowerCase() === COLLISION_LAYER;
    collisionLayer ||= isCollision;
    if (!isCollision && blockingGids.size === 0) continue;
    markBlocked(layer, tiles, isCollision, blockingGids);
  }
  if (!collisionLayer && blockingGids.size === 0) {
    warnings.push(`${map.file}: no "${COLLISION_LAYER}" tile layer and no tile with a "collides" or "walkable" property: every tile is walkable`);
  }
  return tiles;
}

function markBlocked(layer: TileLayer, tiles: Uint8Array, all: boolean, blocking: Set<number>): void {
  const gids = layer.gids;
  for (let i = 0; i < gids.length && i < tiles.length; i++) {
    const gid = gids[i];
    if (gid !== 0 && (all || blocking.has(gid))) tiles[i] = Terrain.ROCK;
  }
}

/** Global ids of tiles whose properties block movement. */
function blockingTiles(map: TiledMap): Set<number> {
  const out = new Set<number>();
  for (const ts of map.tilesets) {
    for (const t of ts.tiles) {
      const collides = t.properties.collides;
      const walkable = t.properties.walkable;
      if ((collides?.type === 'bool' && collides.value) || (walkable?.type === 'bool' && !walkable.value)) {
        const gid = ts.firstGid + t.id;
        if (resolveGid(map.tilesets, gid)) out.add(gid);
      }
    }
  }
  return out;
}

/** Pixels (Tiled's object coordinates) to tiles, shifted for an infinite map's origin. */
function toTiles(map: TiledMap, px: number, py: number): { x: number; y: number } {
  return { x: px / map.tileWidth - map.originX, y: py / map.tileHeight - map.originY };
}

function pointOf(map: TiledMap, o: TiledObject): NamedPoint {
  // A rectangle or tile object used as a point stands for its centre.
  const cx = o.shape === 'point' || o.shape === 'polyline' || o.shape === 'polygon' ? o.x : o.x + o.width / 2;
  const cy = o.shape === 'point' || o.shape === 'polyline' || o.shape === 'polygon' ? o.y : o.shape === 'tile' ? o.y - o.height / 2 : o.y + o.height / 2;
  return { name: o.name, ...toTiles(map, cx, cy) };
}

function rectOf(map: TiledMap, o: TiledObject, at: { file: string; position: string }): Rect {
  if (o.rotation !== 0) fail(at, 'a rotated area is not supported; draw it unrotated');
  let x0 = o.x;
  let y0 = o.y;
  let x1 = o.x + o.width;
  let y1 = o.y + o.height;
  if (o.shape === 'polygon' && o.points.length > 0) {
    // A polygon area counts as its bounding box.
    x0 = Math.min(...o.points.map((p) => o.x + p.x));
    x1 = Math.max(...o.points.map((p) => o.x + p.x));
    y0 = Math.min(...o.points.map((p) => o.y + p.y));
    y1 = Math.max(...o.points.map((p) => o.y + p.y));
  } else if (o.shape !== 'rectangle' && o.shape !== 'ellipse') fail(at, `an area must be a rectangle, ellipse or polygon, not a ${o.shape}`);
  const a = toTiles(map, x0, y0);
  const b = toTiles(map, x1, y1);
  if (!(b.x > a.x && b.y > a.y)) fail(at, 'an area needs a width and a height');
  const r = { x: Math.max(0, a.x), y: Math.max(0, a.y), width: Math.min(map.width, b.x) - Math.max(0, a.x), height: Math.min(map.height, b.y) - Math.max(0, a.y) };
  if (!(r.width > 0 && r.height > 0)) fail(at, `lies outside the ${map.width}x${map.height} map`);
  return r;
}

function where(layer: ObjectLayer, o: TiledObject): string {
  return `objectgroup[name=${layer.name}]/object[id=${o.id}${o.name ? ` name=${o.name}` : ''}]`;
}

function stringProp(props: Properties, name: string, at: { file: string; position: string }): string {
  const p: PropertyValue | undefined = props[name];
  if (p === undefined || p.type !== 'string' || p.value.trim() === '') fail(at, `needs a string property "${name}"`);
  return p.value.trim();
}

function intProp(props: Properties, name: string, at: { file: string; position: string }, min: number, max: number, fallback?: number): number {
  const p = props[name];
  if (p === undefined) {
    if (fallback !== undefined) return fallback;
    fail(at, `needs an int property "${name}"`);
  }
  if ((p.type !== 'int' && p.type !== 'float') || !Number.isInteger(p.value) || p.value < min || p.value > max) {
    fail(at, `property "${name}" must be a whole number in ${min}..${max}`);
  }
  return p.value;
}
