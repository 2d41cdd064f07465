/**
 * The default world shipped in data/: world.json names two zones drawn in
 * Tiled; their maps read without warnings, name only NPC templates that
 * exist, link to each other through portals whose arrival points are
 * walkable and outside the portal there, and every portal, spawn area, NPC,
 * named point and quest area can be walked to from the zone's spawn point.
 * The content loads and cross-checks clean, its references into the maps
 * resolve, and the tileset atlases match their TSX files and the script that
 * built them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPRITES, TERRAIN, tsx } from '../../scripts/build-tilesets.ts';
import type { ClientEntities } from '../../src/content/build/client-entities.ts';
import { compileContent } from '../../src/content/compile.ts';
import { Terrain } from '../../src/content/map-format.ts';
import { crossCheck, loadContent, mapReferences, type Content } from '../../src/content/schema/index.ts';
import { readTiledMap, type TiledLoader } from '../../src/content/tiled/index.ts';
import { gameMapOf, zoneMapOf, type Rect, type ZoneMap } from '../../src/content/zone-map.ts';
import { Pathfinder } from '../../src/workers/pathfinding.ts';

const DATA = fileURLToPath(new URL('../../data/', import.meta.url));

interface WorldFile {
  $schema?: string;
  start: string;
  zones: { name: string; map: string; cells: { cols: number; rows: number } }[];
}

const world = JSON.parse(readFileSync(join(DATA, 'world.json'), 'utf8')) as WorldFile;

function loadDefaultContent(): Content {
  const result = loadContent((name) => {
    try {
      return readFileSync(join(DATA, name), 'utf8');
    } catch {
      return undefined;
    }
  });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.file} ${e.path}: ${e.message}`).join('\n'));
  expect(result.missing).toEqual([]);
  return result.content;
}

const inside = (r: Rect, x: number, y: number) => x >= r.x && y >= r.y && x < r.x + r.width && y < r.y + r.height;
const walkable = (z: ZoneMap, x: number, y: number) =>
  x >= 0 && y >= 0 && x < z.width && y < z.height && z.tiles[Math.floor(y) * z.width + Math.floor(x)] === Terrain.GRASS;

/** Tiles reachable from (x, y) on the walkability grid, 8 directions without cutting corners (as the A* Pathfinder moves). */
function reachable(z: ZoneMap, x: number, y: number): Uint8Array {
  const seen = new Uint8Array(z.width * z.height);
  const sx = Math.floor(x);
  const sy = Math.floor(y);
  if (!walkable(z, sx, sy)) return seen;
  const queue = [sy * z.width + sx];
  seen[queue[0]!] = 1;
  while (queue.length > 0) {
    const i = queue.pop()!;
    const cx = i % z.width;
    const cy = (i - cx) / z.width;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0) continue;
        const nx = cx + dx;
        const ny = cy + dy;
        if (!walkable(z, nx, ny)) continue;
        if (dx !== 0 && dy !== 0 && (!walkable(z, cx + dx, cy) || !walkable(z, cx, cy + dy))) continue;
        const j = ny * z.width + nx;
        if (seen[j] === 0) {
          seen[j] = 1;
          queue.push(j);
        }
      }
    }
  }
  return seen;
}

function someTileReached(z: ZoneMap, seen: Uint8Array, r: Rect): boolean {
  for (let y = Math.floor(r.y); y < Math.ceil(r.y + r.height); y++) {
    for (let x = Math.floor(r.x); x < Math.ceil(r.x + r.width); x++) if (seen[y * z.width + x] === 1) return true;
  }
  return false;
}

/** Area objects a quest "reach" objective can name: rectangles with a name and a meaning to the server. */
const areasOf = (z: ZoneMap) => [...z.spawnAreas, ...z.safeAreas, ...z.portals];
const pointsOf = (z: ZoneMap) => [...z.spawnPoints, ...z.points];

describe('the default world', () => {
  let content: Content;
  const zones = new Map<string, ZoneMap>();

  beforeAll(() => {
    content = loadDefaultContent();
    for (const zone of world.zones) zones.set(zone.name, zoneMapOf(readTiledMap(join(DATA, zone.map))));
  });

  it('world.json names its schema, a start zone it lists, and each zone once with a map and a cell grid', () => {
    expect(world.$schema).toBe('schemas/world.schema.json');
    const names = world.zones.map((z) => z.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(world.start);
    expect(world.zones).toEqual([
      { name: 'town', map: 'maps/town.tmx', cells: { cols: 1, rows: 1 } },
      { name: 'field', map: 'maps/field.tmx', cells: { cols: 2, rows: 1 } },
    ]);
  });

  it('every zone map reads without warnings, at the size the design calls for, with its layers', () => {
    for (const zone of world.zones) {
      const map = readTiledMap(join(DATA, zone.map));
      expect(map.tileWidth).toBe(32);
      expect(map.layers.map((l) => `${l.kind}:${l.name}`)).toEqual(['tile:ground', 'tile:walls', 'tile:above', 'object:zones', 'object:npcs']);
      expect(zones.get(zone.name)!.warnings).toEqual([]);
      // The "above" layer never blocks: roofs and tree crowns are drawn over entities, not walked into.
      const above = map.layers.find((l) => l.name === 'above')!;
      if (above.kind !== 'tile') throw new Error('above is a tile layer');
      const terrain = map.tilesets[0]!;
      for (const gid of new Set(above.gids)) {
        if (gid === 0) continue;
        const tile = terrain.tiles.find((t) => t.id === gid - terrain.firstGid);
        expect(tile?.properties.collides).toBeUndefined();
      }
    }
    expect([zones.get('town')!.width, zones.get('town')!.height]).toEqual([64, 64]);
    expect([zones.get('field')!.width, zones.get('field')!.height]).toEqual([128, 96]);
  });

  it('has what the design asks of each zone', () => {
    const town = zones.get('town')!;
    const field = zones.get('field')!;
    expect(town.spawnPoints.length).toBeGreaterThan(0);
    expect(town.safeAreas.some((s) => s.x === 0 && s.y === 0 && s.width === town.width && s.height === town.height)).toBe(true);
    expect(town.npcs.some((n) => n.npc === 'npc.town_guard' && n.patrol.length >= 2)).toBe(true);
    expect(town.portals.map((p) => [p.zone, p.target])).toEqual([['field', 'from_town']]);
    expect(field.portals.map((p) => [p.zone, p.target])).toEqual([['town', 'from_field']]);
    expect(new Set(field.spawnAreas.map((a) => a.npc)).size).toBeGreaterThanOrEqual(4);
  });

  it('every spawn area and NPC placement names an NPC template; spawn areas spawn only NPCs that fight or flee, placements stand on walkable tiles', () => {
    const npcs = new Map(content.npcs.map((n) => [n.id, n]));
    for (const [name, z] of zones) {
      for (const area of z.spawnAreas) {
        expect(npcs.has(area.npc), `${name}: spawn area ${area.name} names ${area.npc}`).toBe(true);
        expect(npcs.get(area.npc)!.hostility, `${name}: spawn area ${area.name}`).not.toBe('friendly');
      }
      for (const n of z.npcs) {
        expect(npcs.has(n.npc), `${name}: NPC ${n.name} names ${n.npc}`).toBe(true);
        expect(walkable(z, n.x, n.y), `${name}: NPC ${n.name} at ${n.x},${n.y}`).toBe(true);
        for (const p of n.patrol) expect(walkable(z, p.x, p.y), `${name}: patrol point ${p.name}`).toBe(true);
        if (npcs.get(n.npc)!.ai === 'patrol') expect(n.patrol.length, `${name}: ${n.name} patrols`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('every portal leads to a zone of world.json and a point there that is walkable and outside every portal of that zone', () => {
    const names = new Set(world.zones.map((z) => z.name));
    for (const [name, z] of zones) {
      for (const portal of z.portals) {
        expect(names.has(portal.zone), `${name}: portal ${portal.name} leads to ${portal.zone}`).toBe(true);
        const there = zones.get(portal.zone)!;
        const arrival = pointsOf(there).find((p) => p.name === portal.target);
        expect(arrival, `${name}: portal ${portal.name} targets ${portal.target} in ${portal.zone}`).toBeDefined();
        expect(walkable(there, arrival!.x, arrival!.y)).toBe(true);
        for (const other of there.portals) expect(inside(other, arrival!.x, arrival!.y), `${portal.target} lies inside ${other.name}`).toBe(false);
      }
    }
  });

  it('from each zone\'s spawn point every portal, spawn area, NPC and named point can be walked to', () => {
    for (const [name, z] of zones) {
      const spawn = z.spawnPoints[0]!;
      const seen = reachable(z, spawn.x, spawn.y);
      for (const p of z.portals) expect(someTileReached(z, seen, p), `${name}: portal ${p.name}`).toBe(true);
      for (const a of z.spawnAreas) expect(someTileReached(z, seen, a), `${name}: spawn area ${a.name}`).toBe(true);
      for (const a of z.safeAreas) expect(someTileReached(z, seen, a), `${name}: safe area ${a.name}`).toBe(true);
      for (const p of [...pointsOf(z), ...z.npcs]) expect(seen[Math.floor(p.y) * z.width + Math.floor(p.x)], `${name}: ${p.name}`).toBe(1);
    }
  });

  it('the NPCs\' A* finds a path from each zone\'s spawn point to a walkable tile of every portal', () => {
    for (const [name, z] of zones) {
      const results = new Map<number, boolean>();
      const finder = new Pathfinder(gameMapOf(z), (id, found) => results.set(id, found), { maxNodes: z.width * z.height, maxPath: z.width * z.height });
      const spawn = z.spawnPoints[0]!;
      z.portals.forEach((p, id) => {
        let goal: [number, number] | undefined;
        for (let y = Math.floor(p.y); y < p.y + p.height && goal === undefined; y++) for (let x = Math.floor(p.x); x < p.x + p.width && goal === undefined; x++) if (walkable(z, x, y)) goal = [x, y];
        expect(goal, `${name}: portal ${p.name} has a walkable tile`).toBeDefined();
        expect(finder.request(id, Math.floor(spawn.x), Math.floor(spawn.y), goal![0], goal![1])).toBe(true);
      });
      while (finder.queued > 0) finder.step(100_000);
      z.portals.forEach((p, id) => expect(results.get(id), `${name}: path to portal ${p.name}`).toBe(true));
    }
  });

  it('the content loads and cross-checks clean', () => {
    expect(crossCheck(content)).toEqual([]);
    expect(content.classes.map((c) => c.id)).toEqual(['class.warrior', 'class.mage', 'class.rogue']);
    const objectives = new Set(content.quests.flatMap((q) => q.objectives.map((o) => o.type)));
    expect([...objectives].sort()).toEqual(['collect', 'kill', 'reach', 'talk']);
    expect(content.events.some((e) => e.boss !== undefined)).toBe(true);
  });

  it('the content\'s references into the maps resolve: quest areas, event maps and boss points', () => {
    const refs = mapReferences(content);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const z = zones.get(ref.map);
      expect(z, `${ref.file} ${ref.path}: map ${ref.map}`).toBeDefined();
      if (ref.kind === 'area') expect(areasOf(z!).map((a) => a.name), `${ref.file} ${ref.path}`).toContain(ref.id);
      if (ref.kind === 'point') expect(pointsOf(z!).map((p) => p.name), `${ref.file} ${ref.path}`).toContain(ref.id);
    }
  });

  it('quest givers and turn-ins stand in some zone, and every NPC, class and item the world uses has a sprite', () => {
    const placed = new Set([...zones.values()].flatMap((z) => z.npcs.map((n) => n.npc)));
    for (const q of content.quests) {
      expect(placed, `${q.id} giver`).toContain(q.giver);
      if (q.turnIn !== undefined) expect(placed, `${q.id} turn-in`).toContain(q.turnIn);
    }
    const sprites = new Set(SPRITES.map((s) => s.sprite));
    for (const id of [...content.npcs.map((n) => n.id), ...content.classes.map((c) => c.id), ...content.items.map((i) => i.id)]) expect(sprites, id).toContain(id);
    for (const key of ['gold', 'corpse']) expect(sprites).toContain(key);
  });
});

describe('the default world\'s tilesets', () => {
  /** Reads a TSX with the project's reader through a one-tile probe map. */
  function readTileset(name: string) {
    const probe = join(DATA, 'maps', 'probe.tmx');
    const loader: TiledLoader = (path) =>
      path === probe
        ? `<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" orientation="orthogonal" renderorder="right-down" width="1" height="1" tilewidth="32" tileheight="32" infinite="0" nextlayerid="2" nextobjectid="1">
 <tileset firstgid="1" source="../tilesets/${name}.tsx"/>
 <layer id="1" name="ground" width="1" height="1"><data encoding="csv">1</data></layer>
</map>`
        : readFileSync(path);
    return readTiledMap(probe, { loader }).tilesets[0]!;
  }

  function pngSize(path: string): [number, number] {
    const bytes = readFileSync(path);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  }

  it.each([
    ['terrain', TERRAIN],
    ['sprites', SPRITES],
  ] as const)('%s.png is columns × tile size wide and holds every tile; %s.tsx is what build-tilesets.ts writes', (name, defs) => {
    const ts = readTileset(name);
    const [width, height] = pngSize(join(DATA, 'tilesets', `${name}.png`));
    expect([ts.tileWidth, ts.tileHeight]).toEqual([32, 32]);
    expect(ts.image).not.toBeNull();
    expect([ts.image!.width, ts.image!.height]).toEqual([width, height]);
    expect(width).toBe(ts.columns * ts.tileWidth);
    expect(height).toBe(Math.ceil(ts.tileCount / ts.columns) * ts.tileHeight);
    expect(ts.tileCount).toBe(defs.length);
    expect(readFileSync(join(DATA, 'tilesets', `${name}.tsx`), 'utf8')).toBe(tsx(name, `${name}.png`, defs));
    // Every tile says where it came from (data/tilesets/LICENSE.md).
    for (const t of ts.tiles) expect(t.properties.crawl?.type).toBe('string');
  });

  it('blocking tiles say so with the bool property collides', () => {
    const ts = readTileset('terrain');
    const blocking = ts.tiles.filter((t) => t.properties.collides?.type === 'bool' && t.properties.collides.value).map((t) => t.class);
    for (const type of ['deep-water', 'town-wall', 'house-wall', 'ruin-wall', 'tree', 'boulder', 'door-closed']) expect(blocking).toContain(type);
    for (const type of ['grass', 'path', 'street', 'shallow-water', 'door-open', 'roof-red', 'canopy']) expect(blocking).not.toContain(type);
  });
});

describe('the default world as the browser client gets it', () => {
  it('the build carries the sprite atlas with a sprite for every NPC template and class, and names in wire order', () => {
    const build = mkdtempSync(join(tmpdir(), 'tessera-entities-'));
    try {
      const r = compileContent({ dataDir: DATA, buildDir: build });
      if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
      const client = join(build, 'client', r.hash);
      const entities = JSON.parse(readFileSync(join(client, 'entities.json'), 'utf8')) as ClientEntities;
      const content = loadDefaultContent();
      expect(entities.npcs.map((n) => n.id)).toEqual(content.npcs.map((n) => n.id));
      expect(entities.sprites).not.toBeNull();
      const atlas = entities.sprites!;
      expect(existsSync(join(client, atlas.image.path))).toBe(true);
      for (const id of [...content.npcs.map((n) => n.id), ...content.classes.map((c) => c.id), 'corpse']) expect(atlas.tiles[id], id).toBeTypeOf('number');
      expect(r.warnings.filter((w) => w.includes('sprite'))).toEqual([]);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  });
});
