/** Zones from a compiled world: start zone first, the packs shared as they are, the cell grid checked against AOI_TILE. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileContent } from '../../../src/content/compile.ts';
import { loadWorld, type LoadedWorld } from '../../../src/content/load-world.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { zonesFromConfig, zonesFromWorld } from '../../../src/main/zones/zones.ts';
import { decodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import { copyWorld, type WorldCopy } from '../../content/build/world-fixture.ts';

let world: WorldCopy;
let loaded: LoadedWorld;

beforeAll(() => {
  world = copyWorld();
  if (!compileContent({ dataDir: world.dataDir, buildDir: world.buildDir }).ok) throw new Error('fixture world does not compile');
  loaded = loadWorld(world.buildDir);
});
afterAll(() => world.remove());

describe('zonesFromConfig with NPC_TEMPLATE', () => {
  it('gives a generated map spawn areas of the template over the whole map, and the cells no generic wanderers', () => {
    const cfg = loadConfig({ ZONE_WIDTH: '200', ZONE_HEIGHT: '130', NPC_COUNT: '50', NPC_TEMPLATE: 'npc.wolf' });
    const [z] = zonesFromConfig(cfg, () => {}, loaded.catalogue.npcs.map((n) => n.id));
    expect(z.cell?.wanderers).toBe(0);
    const map = decodeZonePack(z.map as Uint8Array);
    // 198 × 128 playable tiles in 64-tile blocks: 4 × 2 areas, 50 wolves shared 7,7,6,6,6,6,6,6.
    expect(map.spawnAreas.map((a) => a.count)).toEqual([7, 7, 6, 6, 6, 6, 6, 6]);
    expect(map.spawnAreas.every((a) => a.npc === 'npc.wolf' && a.x >= 1 && a.y >= 1 && a.x + a.width <= 199 && a.y + a.height <= 129)).toBe(true);
    expect(map.spawnAreas.reduce((n, a) => n + a.width * a.height, 0)).toBe(198 * 128);
  });

  it('refuses a template the content does not have, and keeps generic wanderers without one', () => {
    expect(() => zonesFromConfig(loadConfig({ NPC_TEMPLATE: 'npc.dragon' }), () => {}, loaded.catalogue.npcs.map((n) => n.id))).toThrow('NPC_TEMPLATE npc.dragon: the content has no such NPC template');
    expect(() => zonesFromConfig(loadConfig({ NPC_TEMPLATE: 'npc.wolf' }))).toThrow(/no such NPC template/);
    const [z] = zonesFromConfig(loadConfig({ NPC_COUNT: '12' }));
    expect(z.cell?.wanderers).toBe(12);
    expect(decodeZonePack(z.map as Uint8Array).spawnAreas).toEqual([]);
  });
});

describe('zonesFromWorld', () => {
  it('runs the world\'s zones, start first, on its packs, each cell with the content pack', () => {
    const cfg = loadConfig({ TICK_HZ: '10', ZONE_CAPACITY: '512' });
    expect(cfg.zonesFromContent).toBe(true);
    const zones = zonesFromWorld(cfg, loaded);
    expect(zones.map((z) => [z.spec.id, z.spec.name, z.spec.width, z.spec.height, z.spec.cellCols, z.spec.cellRows])).toEqual([
      [1, 'town', 12, 8, 1, 1],
      [2, 'field', 32, 16, 2, 1],
    ]);
    expect(zones.map((z) => [z.spec.tickHz, z.spec.capacity, z.spec.aoiTile])).toEqual([
      [10, 512, 16],
      [10, 512, 16],
    ]);
    expect(zones[1].map).toBe(loaded.zones[1].pack);
    expect(zones[0].cell?.content).toBe(loaded.content);
  });

  it('refuses a cell grid the AOI tiles cannot hold, naming the zone', () => {
    const cfg = loadConfig({ AOI_TILE: '32' });
    expect(() => zonesFromWorld(cfg, loaded)).toThrow(
      'zone field (world.json): a 2x1 cell grid needs at least that many AOI tiles; its 32x16 map over AOI_TILE 32 gives 1x1',
    );
  });
});

describe('configuration', () => {
  it('takes zones from the content unless a zone variable is set', () => {
    for (const name of ['ZONES', 'ZONE_NAME', 'ZONE_CELLS', 'NPC_COUNT', 'MAP_FILE', 'MAP_DIR']) {
      const env = name === 'ZONES' ? { ZONES: 'a:64x64:1x1' } : name === 'ZONE_CELLS' ? { ZONE_CELLS: '1x1' } : name === 'NPC_COUNT' ? { NPC_COUNT: '3' } : { [name]: 'x' };
      expect(loadConfig(env).zonesFromContent, name).toBe(false);
    }
    const cfg = loadConfig({ CONTENT_DIR: 'worlds/test', CONTENT_BUILD_DIR: '/tmp/b' });
    expect([cfg.zonesFromContent, cfg.contentDir, cfg.contentBuildDir]).toEqual([true, 'worlds/test', '/tmp/b']);
  });
});
