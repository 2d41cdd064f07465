/**
 * Tile data as the client decodes it: gids and flips from the build's
 * base64, each flip combination drawn as Tiled draws it (diagonal first,
 * then horizontal, then vertical) by the PixiJS groupD8 rotation the
 * tilemap is given and by the matrix sprites get, tile frames, the layer
 * that starts what is drawn over entities, animations, zone titles.
 */
import { groupD8 } from 'pixi.js';
import { describe, expect, it } from 'vitest';
import { aboveFrom, animationFrame, d8OfFlags, FLIP_D, FLIP_H, FLIP_V, flipMatrix, layerGids, tileFrame, tilesetOf, zoneTitle } from '../../../../web/client/src/content/tile-data.ts';
import type { ClientMapJson, ClientTilesetJson } from '../../../../web/client/src/content/types.ts';

/** Where Tiled samples the tile for a screen corner (x, y in ±1), as source offsets from the tile's centre. */
function tiledCorner(flags: number, x: number, y: number): [number, number] {
  let u = (flags & FLIP_H) !== 0 ? -x : x;
  let v = (flags & FLIP_V) !== 0 ? -y : y;
  if ((flags & FLIP_D) !== 0) [u, v] = [v, u];
  return [u, v];
}

/** The source corners @pixi/tilemap samples for a quad drawn with groupD8 `r` (its Tilemap.ts: NW, then every second step). */
function tilemapCorners(r: number): [number, number][] {
  const out: [number, number][] = [];
  let rr = groupD8.add(r, groupD8.NW);
  for (let k = 0; k < 4; k++) {
    out.push([groupD8.uX(rr), groupD8.uY(rr)]);
    rr = groupD8.add(rr, 2);
  }
  return out;
}

const SCREEN: [number, number][] = [
  [-1, -1],
  [1, -1],
  [1, 1],
  [-1, 1],
];

const tileset = (o: Partial<ClientTilesetJson>): ClientTilesetJson => ({
  firstGid: 1, name: 't', tileWidth: 32, tileHeight: 32, columns: 16, tileCount: 96, spacing: 0, margin: 0, tileOffsetX: 0, tileOffsetY: 0, image: null, images: [], animations: [], ...o,
});

describe('client tile data', () => {
  it('draws every Tiled flip combination the way Tiled does, in the tilemap and as a sprite', () => {
    for (const flags of [0, 2, 4, 6, 8, 10, 12, 14]) {
      const want = SCREEN.map(([x, y]) => tiledCorner(flags, x, y));
      const r = d8OfFlags(flags);
      expect(r === 0 ? SCREEN : tilemapCorners(r), `flags ${flags}`).toEqual(want);
      // The sprite's matrix maps source offsets to screen: each wanted source corner lands on its screen corner.
      const [a, b, c, d] = flipMatrix(flags);
      for (let k = 0; k < 4; k++) {
        const [u, v] = want[k];
        expect([a * u + c * v, b * u + d * v], `flags ${flags} corner ${k}`).toEqual(SCREEN[k]);
      }
    }
  });

  it('reads gids with their flags, finds tilesets and frames', () => {
    const raw = new Uint32Array([0, 5, (0x80000000 | 17) >>> 0, 200]);
    const data = Buffer.from(raw.buffer).toString('base64');
    const gids = layerGids(data, 2, 2);
    expect(Array.from(gids)).toEqual([0, 5, 0x80000011, 200]);
    expect(gids[2] >>> 28).toBe(FLIP_H);
    expect(() => layerGids(data, 3, 2)).toThrow(/expected 24/);
    const a = tileset({ firstGid: 1, tileCount: 96 });
    const b = tileset({ firstGid: 97, name: 'sprites', tileCount: 42, columns: 16, spacing: 2, margin: 1 });
    expect(tilesetOf([a, b], 0)).toBeUndefined();
    expect(tilesetOf([a, b], 96)).toBe(a);
    expect(tilesetOf([a, b], 97)).toBe(b);
    expect(tilesetOf([a, b], 97 + 42)).toBeUndefined();
    expect(tileFrame(a, 17)).toEqual({ x: 32, y: 32, w: 32, h: 32 });
    expect(tileFrame(b, 17)).toEqual({ x: 1 + 34, y: 1 + 34, w: 32, h: 32 });
  });

  it('draws the "above" layer and every layer after it over the entities', () => {
    const layer = (name: string, above = false) => ({ kind: 'object', name, properties: above ? { above: { type: 'bool', value: true } } : {} }) as unknown as ClientMapJson['layers'][number];
    const map = (layers: ClientMapJson['layers']) => ({ layers }) as ClientMapJson;
    expect(aboveFrom(map([layer('ground'), layer('walls'), layer('above'), layer('birds')]))).toBe(2);
    expect(aboveFrom(map([layer('ground'), layer('roofs', true)]))).toBe(1);
    expect(aboveFrom(map([layer('ground')]))).toBe(1);
  });

  it('plays animations on Tiled\'s clock and names zones by their title', () => {
    const frames = [{ tileId: 4, duration: 100 }, { tileId: 5, duration: 300 }];
    expect([0, 99, 100, 399, 400, 550].map((t) => animationFrame(frames, t))).toEqual([4, 4, 5, 5, 4, 5]);
    expect(zoneTitle({ name: 'town', properties: { title: { type: 'string', value: 'Emberwick' } } })).toBe('Emberwick');
    expect(zoneTitle({ name: 'field', properties: {} })).toBe('Field');
  });
});
