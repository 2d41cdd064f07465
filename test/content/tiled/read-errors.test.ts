import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TiledError, readTiledMap, type ReadTiledOptions } from '../../../src/content/tiled/index.ts';
import { fixturePath, fixtureText, overlayLoader, tmjWith, tmxWith } from './fixtures.ts';

/** Reads `name` (with `files` laid over the fixtures) and returns the TiledError it must throw. */
function refuse(name: string, files: Record<string, string | Uint8Array> = {}, options: ReadTiledOptions = {}): TiledError {
  try {
    readTiledMap(fixturePath(name), { loader: overlayLoader(files), ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(TiledError);
    return err as TiledError;
  }
  throw new Error(`${name} was read without error`);
}

function b64(values: number[], compress = false): string {
  const raw = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => raw.writeUInt32LE(v >>> 0, i * 4));
  return (compress ? deflateSync(raw) : raw).toString('base64');
}

describe('broken fixtures', () => {
  it('refuses zstd with a message naming file, layer and what to do', () => {
    const err = refuse('broken-zstd.tmx');
    expect(err.file).toBe(fixturePath('broken-zstd.tmx'));
    expect(err.position).toBe('map/layer[name=ground]/data');
    expect(err.message).toContain('zstd');
    expect(err.message).toContain('Base64 (zlib compressed)');
  });

  it('refuses truncated base64', () => {
    const err = refuse('broken-truncated-base64.tmx');
    expect(err.position).toBe('map/layer[name=ground]/data');
    expect(err.reason).toMatch(/not valid base64/);
  });

  it('refuses data of the wrong length, naming the JSON path', () => {
    const err = refuse('broken-length.tmj');
    expect(err.message).toBe(`${fixturePath('broken-length.tmj')}: $.layers[0].data: layer data is 20 bytes, expected 6 tiles × 4 = 24`);
  });

  it('refuses a missing external tileset where it is referenced', () => {
    const err = refuse('broken-missing-tileset.tmx');
    expect(err.file).toBe(fixturePath('broken-missing-tileset.tmx'));
    expect(err.position).toBe('map/tileset');
    expect(err.reason).toContain(fixturePath('missing/nowhere.tsx'));
  });

  it('refuses malformed XML with line and column', () => {
    const err = refuse('broken-malformed.tmx');
    expect(err.position).toMatch(/^line \d+, column \d+$/);
    expect(err.reason).toMatch(/^malformed XML/);
  });
});

describe('inconsistent or wrongly typed content', () => {
  const cases: [what: string, files: Record<string, string>, position: string, reason: RegExp][] = [
    ['malformed JSON', { 'x.tmj': '{"type":"map",' }, '$', /malformed JSON/],
    ['neither XML nor JSON', { 'x.tmj': 'hello' }, '', /neither XML nor JSON/],
    ['a JSON array as map', { 'x.tmj': '[1,2]' }, '$', /expected an object/],
    ['a tileset as map', { 'x.tmj': fixtureText('tilesets/terrain.tsx') }, 'tileset[name=terrain]', /expected a TMX map/],
    ['wrong JSON type', { 'x.tmj': tmjWith({ width: '3' }) }, '$.width', /expected an integer/],
    ['missing attribute', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5,6</data>', { tileset: '<tileset source="terrain.tsx"/>' }) }, 'map/tileset', /missing attribute "firstgid"/],
    ['gid out of range (CSV)', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5,99</data>') }, 'map/layer[name=ground]/data', /gid 99 at tile \(2, 1\) is not in any tileset/],
    ['flagged gid out of range (JSON)', { 'x.tmj': tmjWith({ layers: [{ data: [1, 2, 3, 4, 5, 0x8000_0000 + 17], height: 2, name: 'g', type: 'tilelayer', width: 3 }] }) }, '$.layers[0].data', /gid 17/],
    ['negative gid in JSON', { 'x.tmj': tmjWith({ layers: [{ data: [1, 2, 3, 4, 5, -1], height: 2, name: 'g', type: 'tilelayer', width: 3 }] }) }, '$.layers[0].data[5]', /tile id must be an integer/],
    ['too few CSV values', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5</data>') }, 'map/layer[name=ground]/data', /5 tiles, expected 6/],
    ['too many CSV values', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5,6,7</data>') }, 'map/layer[name=ground]/data', /more than the 6/],
    ['garbage in CSV', { 'x.tmj': tmxWith('<data encoding="csv">1,2,x,4,5,6</data>') }, 'map/layer[name=ground]/data', /unexpected character "x"/],
    ['CSV value over 32 bits', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5,99999999999</data>') }, 'map/layer[name=ground]/data', /does not fit in 32 bits/],
    ['unknown compression', { 'x.tmj': tmxWith(`<data encoding="base64" compression="lz4">${b64([1, 2, 3, 4, 5, 6])}</data>`) }, 'map/layer[name=ground]/data', /unknown layer data compression "lz4"/],
    ['unknown encoding', { 'x.tmj': tmxWith('<data encoding="hex">00</data>') }, 'map/layer[name=ground]/data', /unknown layer data encoding "hex"/],
    ['corrupt zlib', { 'x.tmj': tmxWith(`<data encoding="base64" compression="zlib">${b64([1, 2, 3, 4, 5, 6])}</data>`) }, 'map/layer[name=ground]/data', /corrupt zlib/],
    ['zlib longer than the layer', { 'x.tmj': tmxWith(`<data encoding="base64" compression="zlib">${b64(new Array(1000).fill(1), true)}</data>`) }, 'map/layer[name=ground]/data', /inflates to more than the 24 bytes/],
    ['layer size differs from map', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5,6</data>').replace('name="ground" width="3"', 'name="ground" width="2"') }, 'map/layer[name=ground]', /layer is 2×2 tiles but the map is 3×2/],
    ['wrong XML tile count', { 'x.tmj': tmxWith('<data><tile gid="1"/></data>') }, 'map/layer[name=ground]/data', /1 <tile> elements, expected 6/],
    ['bad int property', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5,6</data>').replace(' <tileset', ' <properties><property name="n" type="int" value="abc"/></properties>\n <tileset') }, 'map/properties/property[name=n]', /int property must be an integer/],
    ['bad colour property', { 'x.tmj': tmjWith({ properties: [{ name: 'c', type: 'color', value: 'red' }] }) }, '$.properties[0].value', /colour/],
    ['unknown property type', { 'x.tmj': tmjWith({ properties: [{ name: 'c', type: 'vector', value: 1 }] }) }, '$.properties[0].type', /unknown property type "vector"/],
    ['unknown layer type', { 'x.tmj': tmjWith({ layers: [{ type: 'sound', name: 's' }] }) }, '$.layers[0].type', /unknown layer type "sound"/],
    ['missing template', { 'x.tmj': tmjWith({ layers: [{ type: 'objectgroup', name: 'o', objects: [{ id: 1, template: 'nope.tj', x: 0, y: 0 }] }] }) }, '$.layers[0].objects[0]', /cannot read .*nope\.tj/],
    ['object gid out of range', { 'x.tmj': tmjWith({ layers: [{ type: 'objectgroup', name: 'o', objects: [{ id: 1, gid: 500, x: 0, y: 0 }] }] }) }, '$.layers[0].objects[0]', /gid 500 is not in any tileset/],
    ['overlapping tilesets', { 'x.tmj': tmjWith({ tilesets: [{ firstgid: 1, source: 'tilesets/terrain.tsj' }, { firstgid: 10, source: 'tilesets/terrain.tsx' }] }) }, '$', /overlaps/],
    ['bad polyline point', { 'x.tmj': tmxWith('<data encoding="csv">1,2,3,4,5,6</data>').replace('</map>', '<objectgroup id="2" name="o"><object id="1" x="0" y="0"><polyline points="0,0 5"/></object></objectgroup></map>') }, 'map/objectgroup[name=o]/object[id=1]/polyline', /point 2 must be "x,y"/],
  ];
  it.each(cases)('%s', (_what, files, position, reason) => {
    const err = refuse('x.tmj', files);
    expect(err.file).toBe(fixturePath('x.tmj'));
    expect(err.position).toBe(position);
    expect(err.reason).toMatch(reason);
    expect(err.message.startsWith(`${fixturePath('x.tmj')}: `)).toBe(true);
  });

  it('reports errors inside an external tileset at its own file and position', () => {
    const tsx = fixtureText('tilesets/terrain.tsx').replace('duration="250"/>\n   <frame', 'duration="soon"/>\n   <frame');
    const err = refuse('town.tmx', { 'tilesets/terrain.tsx': tsx });
    expect(err.file).toBe(fixturePath('tilesets/terrain.tsx'));
    expect(err.position).toBe('tileset[name=terrain]/tile[id=3]/animation/frame[0]');
    expect(err.reason).toMatch(/"duration" must be an integer/);
  });

  it('refuses bytes that are not UTF-8', () => {
    const err = refuse('x.tmx', { 'x.tmx': new Uint8Array([0x3c, 0x6d, 0xff, 0xfe]) });
    expect(err.reason).toMatch(/not valid UTF-8/);
  });
});

describe('hostile sizes and nesting', () => {
  it('refuses a huge declared map before allocating', () => {
    const tmx = tmxWith('<data encoding="base64" compression="zlib"></data>', { width: 100_000, height: 100_000 });
    const err = refuse('x.tmx', { 'x.tmx': tmx });
    expect(err.position).toBe('map');
    expect(err.reason).toMatch(/100000×100000 tiles, more than the 16777216 allowed/);
    expect(refuse('x.tmj', { 'x.tmj': tmjWith({ width: 70_000, height: 70_000 }) }).reason).toMatch(/more than the 16777216 allowed/);
  });

  it('refuses a huge declared chunk before allocating', () => {
    const tmj = tmjWith({ infinite: true, layers: [{ type: 'tilelayer', name: 'g', chunks: [{ x: 0, y: 0, width: 50_000, height: 50_000, data: [] }] }] });
    const err = refuse('x.tmj', { 'x.tmj': tmj });
    expect(err.position).toBe('$.layers[0].chunks[0].data');
    expect(err.reason).toMatch(/50000×50000 tiles is more than/);
  });

  it('refuses chunks spread too far apart for one grid', () => {
    const chunk = (x: number): object => ({ x, y: 0, width: 1, height: 1, data: [1] });
    const tmj = tmjWith({ infinite: true, layers: [{ type: 'tilelayer', name: 'g', chunks: [chunk(-(2 ** 29)), chunk(2 ** 29)] }] });
    expect(refuse('x.tmj', { 'x.tmj': tmj }).reason).toMatch(/chunks span 1073741825×1 tiles/);
  });

  it('refuses a zlib bomb at the layer size', () => {
    const bomb = deflateSync(Buffer.alloc(16 * 1024 * 1024)).toString('base64');
    const err = refuse('x.tmx', { 'x.tmx': tmxWith(`<data encoding="base64" compression="zlib">${bomb}</data>`) });
    expect(err.reason).toMatch(/inflates to more than/);
  });

  it('caps the total tiles of all layers', () => {
    const err = refuse('x.tmj', { 'x.tmj': tmjWith({ layers: [0, 1, 2].map((i) => ({ data: [1, 2, 3, 4, 5, 6], height: 2, name: `l${i}`, type: 'tilelayer', width: 3 })) }) }, { limits: { maxTotalTiles: 12 } });
    expect(err.position).toBe('$.layers[2].data');
    expect(err.reason).toMatch(/more than the 12 tiles allowed/);
  });

  it('caps group nesting in JSON and XML', () => {
    let layers: object[] = [];
    for (let i = 0; i < 40; i++) layers = [{ type: 'group', name: `g${i}`, layers }];
    expect(refuse('x.tmj', { 'x.tmj': tmjWith({ layers }) }).reason).toMatch(/nested deeper than 32/);
    const groups = (n: number): string => '<group id="9" name="g">'.repeat(n) + '</group>'.repeat(n);
    const xml = (n: number): string => tmxWith('<data encoding="csv">1,2,3,4,5,6</data>').replace('</map>', `${groups(n)}</map>`);
    expect(refuse('x.tmx', { 'x.tmx': xml(40) }).reason).toMatch(/nested deeper than 32/);
    expect(refuse('x.tmx', { 'x.tmx': xml(5000) }).reason).toMatch(/malformed XML/);
  });

  it('caps class property nesting', () => {
    let value: object = {};
    for (let i = 0; i < 30; i++) value = { inner: value };
    const err = refuse('x.tmj', { 'x.tmj': tmjWith({ properties: [{ name: 'deep', type: 'class', value }] }) });
    expect(err.reason).toMatch(/nested deeper than 16/);
  });

  it('treats hostile property names as plain names', () => {
    const map = readTiledMap(fixturePath('x.tmj'), {
      loader: overlayLoader({ 'x.tmj': tmjWith({ properties: [{ name: '__proto__', value: 'p' }, { name: 'constructor', type: 'int', value: 1 }] }) }),
    });
    expect(Object.keys(map.properties)).toEqual(['__proto__', 'constructor']);
    expect(map.properties['__proto__']?.value).toBe('p');
    expect(Object.getPrototypeOf(map.properties)).toBeNull();
  });

  it('refuses files over the byte cap', () => {
    const err = refuse('town.tmx', {}, { limits: { maxFileBytes: 100 } });
    expect(err.reason).toMatch(/more than the 100 allowed/);
  });
});
