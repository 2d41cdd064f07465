/**
 * A cell reads its zone pack and the shared content pack: the zone's map
 * with its objects, and the NPC templates viewed in the content buffer.
 */
import { describe, expect, it } from 'vitest';
import { encodeContentPack } from '../../src/content/pack/content-pack.ts';
import { encodeZonePack } from '../../src/content/pack/zone-pack.ts';
import { readTiledMap } from '../../src/content/tiled/index.ts';
import { gameMapOf, zoneMapOf } from '../../src/content/zone-map.ts';
import { allocateZoneMemory, type ZoneSpec } from '../../src/shared/zone-memory.ts';
import { CellRuntime } from '../../src/workers/cell-runtime.ts';
import { fixtureContent } from '../content/pack/helpers.ts';
import { fixturePath } from '../content/tiled/fixtures.ts';

const spec: ZoneSpec = { id: 1, name: 'town', width: 8, height: 6, aoiTile: 4, cellCols: 1, cellRows: 1, capacity: 64, tickHz: 20 };

function shared(bytes: Uint8Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(bytes.length);
  new Uint8Array(sab).set(bytes);
  return sab;
}

describe('a cell on content packs', () => {
  it('has the zone map, its game map and the NPC table', () => {
    const zone = zoneMapOf(readTiledMap(fixturePath('tessera-zone.tmx')));
    const init = allocateZoneMemory(spec, encodeZonePack(zone, 'town'));
    const content = shared(encodeContentPack(fixtureContent()));
    const cell = new CellRuntime({ zone: init, cell: 0, content });
    expect(cell.zoneMap.spawnAreas).toEqual(zone.spawnAreas);
    expect(cell.zoneMap.npcs).toEqual(zone.npcs);
    expect(cell.zoneMap.tiles.buffer).toBe(init.map);
    expect(cell.map).toEqual(gameMapOf(zone));
    expect(cell.npcs.ids.slice(1)).toEqual(fixtureContent().npcs.map((n) => n.id));
    expect(cell.npcs.level.buffer).toBe(content);
  });

  it('has only the reserved template without a content pack', () => {
    const zone = zoneMapOf(readTiledMap(fixturePath('tessera-zone.tmx')));
    const cell = new CellRuntime({ zone: allocateZoneMemory(spec, encodeZonePack(zone, 'town')), cell: 0 });
    expect(cell.npcs.count).toBe(1);
  });

  it('refuses a corrupt zone pack, naming it', () => {
    const zone = zoneMapOf(readTiledMap(fixturePath('tessera-zone.tmx')));
    const init = allocateZoneMemory(spec, encodeZonePack(zone, 'town'));
    new Uint8Array(init.map)[init.map.byteLength - 1] ^= 1;
    expect(() => new CellRuntime({ zone: init, cell: 0 })).toThrow(/zone town pack: \w{4} at offset \d+: CRC32 mismatch/);
  });
});
