/** Zones from a compiled world: start zone first, the packs shared as they are, the cell grid checked against AOI_TILE. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileContent } from '../../../src/content/compile.ts';
import { loadWorld, type LoadedWorld } from '../../../src/content/load-world.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { zonesFromWorld } from '../../../src/main/zones/zones.ts';
import { copyWorld, type WorldCopy } from '../../content/build/world-fixture.ts';

let world: WorldCopy;
let loaded: LoadedWorld;

beforeAll(() => {
  world = copyWorld();
  if (!compileContent({ dataDir: world.dataDir, buildDir: world.buildDir }).ok) throw new Error('fixture world does not compile');
  loaded = loadWorld(world.buildDir);
});
afterAll(() => world.remove());

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
