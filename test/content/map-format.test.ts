import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAP_HEADER_BYTES, MAP_MAX_EDGE, MapFormatError, Terrain, decodeMap, encodeMap, isBlocked, type GameMap } from '../../src/content/map-format.ts';
import { generateMap } from '../../src/content/map-generate.ts';

const mapArb: fc.Arbitrary<GameMap> = fc
  .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }))
  .chain(([w, h]) =>
    fc.record({
      width: fc.constant(w),
      height: fc.constant(h),
      spawnX: fc.integer({ min: 0, max: w - 1 }),
      spawnY: fc.integer({ min: 0, max: h - 1 }),
      tiles: fc.uint8Array({ minLength: w * h, maxLength: w * h, max: Terrain.WATER }),
    }),
  )
  .map((m) => {
    m.tiles[m.spawnY * m.width + m.spawnX] = Terrain.GRASS;
    return m;
  });

function onlyMapErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof MapFormatError)) throw new Error(`decodeMap threw ${String(e)}`, { cause: e });
  }
}

describe('binary map format', () => {
  it('round-trips any valid map, from any buffer offset', () => {
    fc.assert(
      fc.property(mapArb, fc.integer({ min: 0, max: 7 }), fc.boolean(), (m, offset, shared) => {
        const bytes = encodeMap(m);
        expect(bytes.length).toBe(MAP_HEADER_BYTES + m.width * m.height);
        const buf = shared ? new SharedArrayBuffer(bytes.length + offset) : new ArrayBuffer(bytes.length + offset);
        const view = new Uint8Array(buf, offset, bytes.length);
        view.set(bytes);
        for (const b of [bytes, view]) {
          const d = decodeMap(b);
          expect({ ...d, tiles: [...d.tiles] }).toEqual({ ...m, tiles: [...m.tiles] });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the generated default map is valid and walled', () => {
    const m = decodeMap(encodeMap(generateMap(64, 48, 3)));
    expect(m.width).toBe(64);
    expect(isBlocked(m, 0, 10)).toBe(true);
    expect(isBlocked(m, m.spawnX, m.spawnY)).toBe(false);
    expect(isBlocked(m, -1, 0)).toBe(true);
    expect(isBlocked(m, 64, 0)).toBe(true);
  });

  it('random bytes throw only MapFormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => onlyMapErrors(() => decodeMap(bytes))),
      { numRuns: 5000 },
    );
  });

  it('mutated valid maps (bit flips, truncation, extension) throw only MapFormatError', () => {
    fc.assert(
      fc.property(
        mapArb.map(encodeMap),
        fc.oneof(
          fc.record({ t: fc.constant('flip' as const), i: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
          fc.record({ t: fc.constant('cut' as const), n: fc.nat() }),
          fc.record({ t: fc.constant('grow' as const), tail: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
        ),
        (bytes, m) => {
          let b = bytes.slice();
          if (m.t === 'flip') b[m.i % b.length] ^= 1 << m.bit;
          else if (m.t === 'cut') b = b.slice(0, m.n % b.length);
          else b = new Uint8Array([...b, ...m.tail]);
          onlyMapErrors(() => decodeMap(b));
          if (m.t !== 'flip') expect(() => decodeMap(b)).toThrow(MapFormatError);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('names what is wrong', () => {
    const good = encodeMap(generateMap(16, 16, 1));
    const v = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    expect(() => decodeMap(good.subarray(0, 10))).toThrow(/shorter than the header/);
    const magic = good.slice();
    magic[0] ^= 1;
    expect(() => decodeMap(magic)).toThrow(/bad magic/);
    const ver = good.slice();
    v(ver).setUint16(4, 2, true);
    expect(() => decodeMap(ver)).toThrow(/unsupported version 2/);
    const size = good.slice();
    v(size).setUint16(6, MAP_MAX_EDGE + 1, true);
    expect(() => decodeMap(size)).toThrow(/out of 1\.\./);
    const zero = good.slice();
    v(zero).setUint16(8, 0, true);
    expect(() => decodeMap(zero)).toThrow(/out of 1\.\./);
    const crc = good.slice();
    crc[MAP_HEADER_BYTES + 20] ^= 1;
    expect(() => decodeMap(crc)).toThrow(/checksum/);
    const spawn = good.slice();
    v(spawn).setUint16(10, 0, true); // the rock border
    expect(() => decodeMap(spawn)).toThrow(/spawn 0,\d+ is not walkable/);
    const terrain = generateMap(16, 16, 1);
    terrain.tiles[5] = 9;
    expect(() => decodeMap(encodeMap(terrain))).toThrow(/unknown terrain 9 at tile 5,0/);
    expect(() => encodeMap({ ...terrain, width: 15 })).toThrow(MapFormatError);
  });
});
