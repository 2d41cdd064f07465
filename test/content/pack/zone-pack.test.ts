/**
 * Zone packs: every part of a ZoneMap round-trips, tiles are a view into
 * the bytes, and what the cells rely on is checked on decode; random and
 * mutated packs give only ContentFileError.
 */
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Terrain } from '../../../src/content/map-format.ts';
import { generateZonePack } from '../../../src/content/map-generate.ts';
import { readContainer, tableEnd, TableEntry } from '../../../src/content/pack/container.ts';
import { AREAS, NPCS, PORTALS, SPAWNS, ZoneSection, decodeZonePack, encodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import { readTiledMap } from '../../../src/content/tiled/index.ts';
import { zoneMapOf, type ZoneMap } from '../../../src/content/zone-map.ts';
import { fixturePath } from '../tiled/fixtures.ts';
import { onlyContentErrors, refusal } from './helpers.ts';

const F = 'zones/town.tpak';

function tiny(): ZoneMap {
  const tiles = new Uint8Array(8 * 6);
  tiles[5] = Terrain.ROCK;
  tiles[6] = Terrain.WATER;
  tiles[3 * 8 + 5] = Terrain.ROCK;
  return {
    file: 'maps/town.tmx',
    width: 8,
    height: 6,
    tiles,
    spawnPoints: [{ name: 'start', x: 1.5, y: 3.25 }],
    points: [{ name: 'boss', x: 7.5, y: 5.5 }, { name: 'ünïcode ✓', x: 0, y: 0 }],
    spawnAreas: [{ name: 'wolves', npc: 'npc.wolf', x: 2, y: 0.5, width: 2, height: 2, count: 3, respawnSeconds: 30, jitterSeconds: 5 }],
    npcs: [
      { name: 'guard', npc: 'npc.guard', x: 3.125, y: 1.25, patrol: [{ name: 'round#0', x: 3, y: 2.5 }, { name: 'round#1', x: 5, y: 2.5 }] },
      { name: 'walker', npc: 'npc.guard', x: 0.25, y: 5.5, patrol: [] },
    ],
    portals: [{ name: 'to-field', zone: 'field', target: 'gate', x: 7, y: 4, width: 1, height: 1 }],
    safeAreas: [{ name: 'square', x: 0, y: 0, width: 1.5, height: 1.5 }],
    pvpAreas: [{ name: 'arena', x: 4, y: 3, width: 2, height: 2.5 }],
    warnings: ['not stored'],
  };
}

/** Replaces one record field of a section and fixes the CRC, so only the value is wrong. */
function patchRecord(bytes: Uint8Array, id: string, index: number, value: number): Uint8Array {
  const out = bytes.slice();
  const c = readContainer(out, F);
  const off = c.offsets.get(id)!;
  new DataView(out.buffer).setFloat64(off + index * 8, value, true);
  const i = [...c.sections.keys()].indexOf(id);
  new DataView(out.buffer).setUint32(tableEnd(i) + TableEntry.crc, crc32(out.subarray(off, off + c.sections.get(id)!.length)), true);
  return out;
}

describe('zone packs', () => {
  it('round-trip every part of a zone map, tiles viewed in place', () => {
    const zone = tiny();
    const bytes = encodeZonePack(zone, 'town');
    const back = decodeZonePack(bytes, F);
    expect(back).toEqual({ ...zone, name: 'town', warnings: [] });
    expect(back.tiles.buffer).toBe(bytes.buffer);
  });

  it('round-trip the Tiled fixture and a generated map read from shared memory', () => {
    const zone = zoneMapOf(readTiledMap(fixturePath('tessera-zone.tmx')));
    expect(decodeZonePack(encodeZonePack(zone, 'town'))).toEqual({ ...zone, name: 'town', warnings: [] });
    const gen = generateZonePack('meadow', 64, 32, 3);
    const sab = new SharedArrayBuffer(gen.length);
    new Uint8Array(sab).set(gen);
    const back = decodeZonePack(new Uint8Array(sab));
    expect([back.name, back.width, back.height, back.spawnPoints[0].x]).toEqual(['meadow', 64, 32, 32]);
    expect(back.tiles.buffer).toBe(sab);
  });

  it('the same zone gives the same bytes', () => {
    expect(encodeZonePack(tiny(), 'town')).toEqual(encodeZonePack(tiny(), 'town'));
  });

  it('refuses what the cells could not run on, naming section and offset', () => {
    const good = encodeZonePack(tiny(), 'town');
    const fields = (t: { fields: readonly string[] }, f: string) => t.fields.indexOf(f);
    const cases: [string, number, number, RegExp][] = [
      [SPAWNS.id, fields(SPAWNS, 'x'), 8, /outside the 8x6 map/],
      [SPAWNS.id, fields(SPAWNS, 'x'), 5, /on a blocked tile/],
      [SPAWNS.id, fields(SPAWNS, 'name'), 999, /string index 999 is outside the string table/],
      [SPAWNS.id, fields(SPAWNS, 'name'), 0.5, /string index 0.5/],
      [SPAWNS.id, fields(SPAWNS, 'y'), Number.NaN, /not a finite number/],
      [AREAS.id, fields(AREAS, 'width'), 7, /leaves the 8x6 map/],
      [AREAS.id, fields(AREAS, 'count'), 0, /count 0 is not a whole number in 1..1000/],
      [NPCS.id, fields(NPCS, 'patrolCount'), 5, /patrol 0\+5 is outside the 2 path points/],
      [PORTALS.id, fields(PORTALS, 'target'), 1e6, /string index 1000000/],
    ];
    for (const [id, index, value, message] of cases) {
      const bad = patchRecord(good, id, index, value);
      const err = refusal(() => decodeZonePack(bad, F), F, id);
      expect(err.message).toMatch(message);
      // The offset is the field's, or its record's for a check over several fields (record 0 here).
      const base = readContainer(good, F).offsets.get(id)!;
      expect(err.offset === base + index * 8 || err.offset === base || (err.offset > base && err.offset < base + index * 8)).toBe(true);
    }
  });

  it('refuses an unknown terrain and a wrong tile count', () => {
    const zone = tiny();
    zone.tiles[9] = 7;
    const err = refusal(() => decodeZonePack(encodeZonePack(zone, 'town'), F), F, ZoneSection.TILES);
    expect(err.message).toMatch(/unknown terrain 7 at tile 1,1/);
    expect(err.offset).toBe(readContainer(encodeZonePack(zone, 'town'), F).offsets.get(ZoneSection.TILES)! + 9);
    expect(() => encodeZonePack({ ...tiny(), width: 9 }, 'town')).toThrow(/48 tiles for 9x6/);
  });

  it('refuses a content pack given as a zone pack', () => {
    const bytes = encodeZonePack(tiny(), 'town');
    new DataView(bytes.buffer).setUint16(6, 2, true);
    expect(refusal(() => decodeZonePack(bytes, F), F, 'header').message).toMatch(/expected a zone file/);
  });

  it('random and mutated packs give only ContentFileError', () => {
    const base = encodeZonePack(tiny(), 'town');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => void onlyContentErrors(() => decodeZonePack(b, F))), { numRuns: 300 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(base.length), (flips, len) => {
        const b = base.slice(0, Math.max(len, 1));
        for (const [at, x] of flips) if (at < b.length) b[at] ^= x;
        onlyContentErrors(() => decodeZonePack(b, F));
      }),
      { numRuns: 1000 },
    );
    // Mutations that keep the CRCs right reach the record checks.
    fc.assert(
      fc.property(fc.constantFrom(SPAWNS, AREAS, NPCS, PORTALS), fc.nat(40), fc.double(), (t, i, v) => {
        const c = readContainer(base, F);
        const n = c.sections.get(t.id)!.length / 8;
        if (n > 0) onlyContentErrors(() => decodeZonePack(patchRecord(base, t.id, i % n, v), F));
      }),
      { numRuns: 500 },
    );
  });
});
