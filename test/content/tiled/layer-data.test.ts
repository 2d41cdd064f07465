import { describe, expect, it } from 'vitest';
import { TiledError } from '../../../src/content/tiled/index.ts';
import { decodeBase64, decodeCsv, reserveTiles } from '../../../src/content/tiled/layer-data.ts';

const at = { file: 'm.tmx', position: 'map/layer[name=g]/data' };

describe('decodeCsv', () => {
  it('reads Tiled’s layout, with or without a trailing comma', () => {
    expect(Array.from(decodeCsv('\n1,2,\n3,4\n', 4, at))).toEqual([1, 2, 3, 4]);
    expect(Array.from(decodeCsv(' 1 , 2,3,4,', 4, at))).toEqual([1, 2, 3, 4]);
    expect(Array.from(decodeCsv('4294967295', 1, at))).toEqual([4294967295]);
  });

  it.each([
    ['1 2,3,4', /missing comma/],
    ['1,,3,4', /value 2 is empty/],
    ['1,2,3,-4', /unexpected character "-"/],
    ['1,2,3,4,,', /value 5 is empty/],
  ])('refuses %j', (text, reason) => {
    expect(() => decodeCsv(text, 4, at)).toThrow(TiledError);
    expect(() => decodeCsv(text, 4, at)).toThrow(reason);
  });
});

describe('decodeBase64', () => {
  it('reads little-endian u32 with whitespace around', () => {
    const raw = Buffer.from([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]).toString('base64');
    expect(Array.from(decodeBase64(`\n   ${raw}\n  `, '', 2, at))).toEqual([1, 0xffff_ffff]);
  });

  it('refuses stray characters that Buffer.from would silently skip', () => {
    expect(() => decodeBase64('AQAA!AAA', '', 2, at)).toThrow(/not valid base64/);
  });
});

describe('reserveTiles', () => {
  it('charges every rectangle to the map budget', () => {
    const budget = { maxMapTiles: 100, maxTotalTiles: 150, used: 0 };
    expect(reserveTiles(budget, 10, 10, at)).toBe(100);
    expect(() => reserveTiles(budget, 11, 10, at)).toThrow(/110 tiles|11×10 tiles is more than the 100 allowed/);
    expect(() => reserveTiles(budget, 10, 6, at)).toThrow(/more than the 150 tiles allowed/);
  });
});
