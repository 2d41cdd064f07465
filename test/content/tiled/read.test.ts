import { describe, expect, it } from 'vitest';
import {
  TileFlag,
  readTiledMap,
  resolveGid,
  type Layer,
  type ObjectLayer,
  type TileLayer,
  type TiledMap,
  type TiledObject,
} from '../../../src/content/tiled/index.ts';
import { fixturePath } from './fixtures.ts';

function read(name: string): TiledMap {
  return readTiledMap(fixturePath(name));
}

function layer<K extends Layer['kind']>(map: TiledMap, path: string, kind: K): Extract<Layer, { kind: K }> {
  const found = map.layers.find((l) => l.path === path);
  if (found === undefined || found.kind !== kind) throw new Error(`no ${kind} layer ${path}`);
  return found as Extract<Layer, { kind: K }>;
}

function cell(map: TiledMap, l: TileLayer, x: number, y: number): [gid: number, flags: number] {
  return [l.gids[y * map.width + x]!, l.flags[y * map.width + x]!];
}

function object(l: ObjectLayer, name: string): TiledObject {
  const o = l.objects.find((obj) => obj.name === name);
  if (o === undefined) throw new Error(`no object ${name}`);
  return o;
}

/** The model without what necessarily differs between a TMX and a TMJ reading. */
function comparable(map: TiledMap): unknown {
  return { ...map, file: '', format: '', tilesets: map.tilesets.map((t) => ({ ...t, source: t.source.replace(/\.ts[xj]$/, '') })) };
}

describe('town.tmx: CSV, external TSX, groups, flips, objects, template', () => {
  const map = read('town.tmx');

  it('reads the map header and typed properties', () => {
    expect(map).toMatchObject({
      format: 'tmx',
      version: '1.10',
      tiledVersion: '1.10.2',
      class: 'zone',
      orientation: 'orthogonal',
      width: 6,
      height: 4,
      tileWidth: 16,
      tileHeight: 16,
      infinite: false,
      originX: 0,
      originY: 0,
      backgroundColor: '#203040',
    });
    expect(map.properties).toEqual({
      ambient: { type: 'color', value: '#ff112233', propertyType: '' },
      gravity: { type: 'float', value: 9.5, propertyType: '' },
      intro: { type: 'string', value: 'Welcome to town.\nMind the well.', propertyType: '' },
      music: { type: 'file', value: 'music/town.ogg', propertyType: '' },
      pvp: { type: 'bool', value: false, propertyType: '' },
      safe: { type: 'bool', value: true, propertyType: '' },
      stats: {
        type: 'class',
        propertyType: 'ZoneStats',
        value: { level: { type: 'int', value: 1, propertyType: '' }, name: { type: 'string', value: 'Town', propertyType: '' } },
      },
      target: { type: 'object', value: 2, propertyType: '' },
      'zone-id': { type: 'int', value: 1, propertyType: '' },
    });
  });

  it('reads embedded and external tilesets with tile properties, classes and animations', () => {
    expect(map.tilesets.map((t) => [t.name, t.firstGid, t.source])).toEqual([
      ['markers', 1, ''],
      ['terrain', 5, fixturePath('tilesets/terrain.tsx')],
    ]);
    expect(map.tilesets[0]!.image).toEqual({ source: 'markers.png', path: fixturePath('markers.png'), width: 64, height: 16, transparentColor: '#ff00ff' });
    const terrain = map.tilesets[1]!;
    expect(terrain).toMatchObject({ tileWidth: 16, tileHeight: 16, tileCount: 16, columns: 4 });
    expect(terrain.image?.path).toBe(fixturePath('tilesets/terrain.png'));
    expect(terrain.properties['biome']).toEqual({ type: 'string', value: 'temperate', propertyType: '' });
    expect(terrain.tiles.map((t) => t.id)).toEqual([2, 3, 9]);
    const [rock, water, crate] = terrain.tiles;
    expect(rock).toMatchObject({ class: 'Rock', properties: { collides: { type: 'bool', value: true } }, animation: [] });
    expect(water).toMatchObject({ class: 'Water', probability: 0.5, properties: { walkable: { type: 'bool', value: false } } });
    expect(water!.animation).toEqual([
      { tileId: 3, duration: 250 },
      { tileId: 7, duration: 250 },
    ]);
    expect(crate!.objects).toMatchObject([{ id: 1, shape: 'rectangle', x: 2, y: 2, width: 12, height: 12 }]);
  });

  it('splits flip flags from gids and resolves gids through firstgid', () => {
    const ground = layer(map, 'ground', 'tile');
    expect(Array.from(ground.gids.subarray(0, 6))).toEqual([5, 5, 5, 5, 5, 6]);
    expect(ground.flags.every((f) => f === 0)).toBe(true);
    const collision = layer(map, 'world/collision', 'tile');
    expect(cell(map, collision, 0, 0)).toEqual([7, 0]);
    expect(cell(map, collision, 0, 1)).toEqual([7, TileFlag.FLIP_HORIZONTAL]);
    expect(cell(map, collision, 5, 1)).toEqual([7, TileFlag.FLIP_VERTICAL]);
    expect(cell(map, collision, 0, 2)).toEqual([7, TileFlag.FLIP_HORIZONTAL | TileFlag.FLIP_VERTICAL | TileFlag.FLIP_DIAGONAL]);
    expect(cell(map, collision, 2, 2)).toEqual([8, TileFlag.FLIP_DIAGONAL]);
    expect(cell(map, collision, 5, 2)).toEqual([7, TileFlag.FLIP_VERTICAL | TileFlag.FLIP_DIAGONAL]);
    expect(cell(map, collision, 5, 3)).toEqual([7, TileFlag.ROTATE_HEX_120]);
    expect(cell(map, collision, 2, 3)).toEqual([0, 0]);
    expect(resolveGid(map.tilesets, 7)).toEqual({ tileset: 1, localId: 2 });
    expect(resolveGid(map.tilesets, 0x8000_0007)).toEqual({ tileset: 1, localId: 2 });
    expect(resolveGid(map.tilesets, 4)).toEqual({ tileset: 0, localId: 3 });
    expect(resolveGid(map.tilesets, 0)).toBeNull();
    expect(resolveGid(map.tilesets, 21)).toBeNull();
  });

  it('flattens groups, keeping their own and composed offsets, opacity and visibility', () => {
    expect(map.layers.map((l) => `${l.kind}:${l.path}`)).toEqual([
      'tile:ground',
      'tile:world/collision',
      'image:world/overlays/sky',
      'object:entities',
      'tile:roof',
    ]);
    expect(map.groups.map((g) => [g.path, g.parent, g.visible, g.offsetX, g.offsetY, g.opacity])).toEqual([
      ['world', -1, true, 8, -4, 0.5],
      ['world/overlays', 0, false, 0, 0, 1],
    ]);
    expect(map.groups[0]!.properties['note']?.value).toBe('group props');
    const collision = layer(map, 'world/collision', 'tile');
    expect(collision).toMatchObject({ class: 'blocking', parent: 0, visible: false, offsetX: 2, offsetY: 2 });
    expect(collision.effective).toEqual({ visible: false, opacity: 0.5, offsetX: 10, offsetY: -2, parallaxX: 1, parallaxY: 1 });
    const sky = layer(map, 'world/overlays/sky', 'image');
    expect(sky).toMatchObject({ parent: 1, visible: true, repeatX: true, repeatY: false });
    expect(sky.effective).toEqual({ visible: false, opacity: 0.5, offsetX: 12, offsetY: -4, parallaxX: 0.5, parallaxY: 1 });
    expect(sky.image).toEqual({ source: 'sky.png', path: fixturePath('sky.png'), width: 64, height: 32, transparentColor: '' });
    const roof = layer(map, 'roof', 'tile');
    expect(roof).toMatchObject({ opacity: 0.75, tintColor: '#80ffffff', parent: -1 });
    expect([roof.gids[0], roof.gids[23]]).toEqual([1, 4]);
  });

  it('reads points, rectangles, polylines, ellipses, polygons and merges the template', () => {
    const entities = layer(map, 'entities', 'object');
    expect(entities.color).toBe('#ff0000');
    expect(entities.objects.map((o) => [o.id, o.shape])).toEqual([
      [1, 'point'],
      [2, 'rectangle'],
      [3, 'polyline'],
      [4, 'tile'],
      [5, 'ellipse'],
      [6, 'polygon'],
    ]);
    expect(object(entities, 'player-spawn')).toMatchObject({ class: 'spawn', x: 24, y: 40, width: 0, height: 0 });
    expect(object(entities, 'wolves')).toMatchObject({
      class: 'spawn-area',
      x: 48,
      y: 8,
      width: 32,
      height: 24,
      properties: { count: { type: 'int', value: 3 }, npc: { type: 'string', value: 'wolf' }, respawn: { type: 'float', value: 30.5 } },
    });
    expect(object(entities, 'patrol').points).toEqual([
      { x: 0, y: 0 },
      { x: 32, y: 0 },
      { x: 32, y: -16 },
      { x: 0, y: -16 },
    ]);
    expect(object(entities, 'well')).toMatchObject({ rotation: 45, visible: false, class: 'portal' });
    expect(object(entities, 'lake').points[2]).toEqual({ x: 16, y: 8.5 });
    // guard.tx: gid 10 with the template's firstgid 1 is local tile 9, which is gid 14 here (terrain firstgid 5).
    expect(object(entities, 'guard')).toEqual({
      id: 4,
      name: 'guard',
      class: 'npc',
      x: 72,
      y: 48,
      width: 16,
      height: 16,
      rotation: 0,
      visible: true,
      shape: 'tile',
      points: [],
      gid: 14,
      flags: 0,
      text: '',
      template: fixturePath('guard.tx'),
      properties: {
        level: { type: 'int', value: 5, propertyType: '' },
        npc: { type: 'string', value: 'town-guard', propertyType: '' },
      },
    });
    expect(resolveGid(map.tilesets, 14)).toEqual({ tileset: 1, localId: 9 });
  });

  it('reads the same model from the TMJ save of the same map', () => {
    const tmj = read('town.tmj');
    expect(tmj.format).toBe('tmj');
    expect(comparable(tmj)).toEqual(comparable(map));
  });
});

describe('field-zlib.tmx: base64 + zlib, embedded tileset', () => {
  const map = read('field-zlib.tmx');

  it('inflates both layers', () => {
    const ground = layer(map, 'ground', 'tile');
    expect(Array.from(ground.gids.subarray(0, 8))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    const collision = layer(map, 'collision', 'tile');
    const blocked = [...collision.gids.keys()].filter((i) => collision.gids[i] === 8);
    expect(blocked).toEqual([0, 9, 18, 27, 36, 45, 54, 63]);
  });

  it('keeps tileset geometry and nested class properties with their types', () => {
    const ts = map.tilesets[0]!;
    expect(ts).toMatchObject({ name: 'field', tileWidth: 32, spacing: 1, margin: 1, tileCount: 8, columns: 4, tileOffsetX: 0, tileOffsetY: 4, source: '' });
    expect(ts.image?.path).toBe(fixturePath('art/field.png'));
    expect(ts.tiles[0]).toMatchObject({ id: 7, properties: { collides: { type: 'bool', value: true } } });
    expect(map.properties['spawn']).toEqual({
      type: 'class',
      propertyType: 'SpawnRule',
      value: {
        npc: { type: 'string', value: 'wolf', propertyType: '' },
        pack: {
          type: 'class',
          propertyType: 'Pack',
          value: {
            leader: { type: 'bool', value: true, propertyType: '' },
            size: { type: 'int', value: 4, propertyType: '' },
            tint: { type: 'color', value: '#ff808080', propertyType: '' },
          },
        },
      },
    });
  });
});

describe('dungeon-gzip.tmj: base64 + gzip, external TSJ', () => {
  const map = read('dungeon-gzip.tmj');

  it('inflates gzip data and splits flags', () => {
    expect(map).toMatchObject({ format: 'tmj', tiledVersion: '1.11.0', width: 10, height: 6 });
    expect(map.tilesets[0]).toMatchObject({ name: 'terrain', firstGid: 1, source: fixturePath('tilesets/terrain.tsj') });
    const ground = layer(map, 'ground', 'tile');
    expect(cell(map, ground, 0, 0)).toEqual([3, 0]);
    expect(cell(map, ground, 1, 0)).toEqual([1, 0]);
    expect(cell(map, ground, 2, 1)).toEqual([4, TileFlag.FLIP_HORIZONTAL]);
    expect(cell(map, ground, 3, 1)).toEqual([4, TileFlag.FLIP_VERTICAL | TileFlag.FLIP_DIAGONAL]);
  });

  it('reads tile objects, text objects and class written as "class"', () => {
    const things = layer(map, 'things', 'object');
    expect(things.drawOrder).toBe('index');
    expect(object(things, 'chest')).toMatchObject({ shape: 'tile', gid: 10, flags: TileFlag.FLIP_HORIZONTAL, class: 'loot' });
    expect(object(things, 'sign')).toMatchObject({ shape: 'text', text: 'Beware', width: 60 });
    expect(object(things, 'boss')).toMatchObject({ shape: 'point', class: 'boss-spot' });
  });

  it('infers class member types in JSON, which does not store them', () => {
    expect(map.properties['loot']).toEqual({
      type: 'class',
      propertyType: 'LootRule',
      value: {
        chance: { type: 'float', value: 0.25, propertyType: '' },
        rolls: { type: 'int', value: 2, propertyType: '' },
        table: { type: 'string', value: 'dungeon', propertyType: '' },
        extra: { type: 'class', propertyType: '', value: { boss: { type: 'bool', value: true, propertyType: '' } } },
      },
    });
  });
});

describe('infinite maps: chunks at negative coordinates', () => {
  const map = read('infinite.tmj');
  const chunkGid = (seed: number, i: number): number => ((i + seed) % 5 === 0 ? 0 : 1 + ((i + seed) % 16));

  it('normalises chunks to one dense grid with the origin reported', () => {
    expect(map).toMatchObject({ infinite: true, width: 32, height: 32, originX: -16, originY: -16 });
    const ground = layer(map, 'ground', 'tile');
    expect(ground.gids.length).toBe(32 * 32);
    expect(cell(map, ground, 0, 0)).toEqual([chunkGid(1, 0), 0]);
    expect(cell(map, ground, 4, 0)).toEqual([0, 0]);
    expect(cell(map, ground, 16, 0)).toEqual([chunkGid(2, 0), 0]);
    expect(cell(map, ground, 31, 15)).toEqual([chunkGid(2, 255), 0]);
    expect(cell(map, ground, 16, 16)).toEqual([chunkGid(3, 0), 0]);
    expect(cell(map, ground, 5, 20)).toEqual([0, 0]);
    const collision = layer(map, 'collision', 'tile');
    expect(cell(map, collision, 0, 16)).toEqual([3, 0]);
    expect(cell(map, collision, 1, 17)).toEqual([3, 0]);
    expect(collision.gids.filter((g) => g !== 0).length).toBe(16);
  });

  it('keeps object pixels as Tiled wrote them; the origin shifts them onto the grid', () => {
    const objects = layer(map, 'objects', 'object');
    const start = object(objects, 'start');
    expect([start.x, start.y]).toEqual([-120, -40]);
    expect([start.x - map.originX * map.tileWidth, start.y - map.originY * map.tileHeight]).toEqual([136, 216]);
  });

  it('merges a JSON template, the instance overriding fields and properties', () => {
    const objects = layer(map, 'objects', 'object');
    expect(object(objects, 'slimes')).toMatchObject({
      id: 2,
      class: 'spawn-area',
      x: 40,
      y: 24,
      width: 48,
      height: 32,
      shape: 'rectangle',
      template: fixturePath('spawn-area.tj'),
      properties: { count: { type: 'int', value: 4 }, npc: { type: 'string', value: 'slime' } },
    });
    expect(object(objects, 'big slimes')).toMatchObject({
      id: 3,
      width: 96,
      height: 32,
      properties: { count: { type: 'int', value: 8 }, npc: { type: 'string', value: 'slime' } },
    });
  });

  it('reads the same model from the TMX save (CSV chunks, TSX tileset)', () => {
    expect(comparable(read('infinite.tmx'))).toEqual(comparable(map));
  });
});

describe('maps without any of Tessera’s layers', () => {
  it('reads a plain ground-only map (base64, uncompressed)', () => {
    const map = read('plain.tmx');
    expect(map.layers.map((l) => l.name)).toEqual(['Tile Layer 1']);
    expect(map.groups).toEqual([]);
    const ground = layer(map, 'Tile Layer 1', 'tile');
    expect(Array.from(ground.gids.subarray(0, 5))).toEqual([1, 2, 1, 2, 1]);
  });

  it('reads the old XML <tile> encoding', () => {
    const map = read('legacy-xml.tmx');
    const ground = layer(map, 'ground', 'tile');
    expect(Array.from(ground.gids)).toEqual([1, 0, 3, 4, 5, 16]);
    expect(Array.from(ground.flags)).toEqual([0, 0, TileFlag.FLIP_HORIZONTAL, 0, 0, 0]);
  });
});
