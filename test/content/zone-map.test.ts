/**
 * What Tessera reads from a Tiled map: collision, spawn points, spawn
 * areas, NPC placements with patrol paths, portals and safe areas; defaults
 * (with warnings) for a map that has none of them; errors that name the
 * file and the object. And a zone started from a .tmx map.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Terrain } from '../../src/content/map-format.ts';
import { decodeZonePack, encodeZonePack } from '../../src/content/pack/zone-pack.ts';
import { readTiledMap, TiledError } from '../../src/content/tiled/index.ts';
import { gameMapOf, zoneMapOf } from '../../src/content/zone-map.ts';
import { loadConfig } from '../../src/main/config.ts';
import { zonesFromConfig } from '../../src/main/zones/zones.ts';
import { fixturePath, fixtureText, FIXTURES, overlayLoader } from './tiled/fixtures.ts';

const ZONE = 'tessera-zone.tmx';

/** The zone fixture with one text replacement, read from memory. */
function variant(from: string, to: string) {
  const text = fixtureText(ZONE);
  expect(text).toContain(from);
  return () => zoneMapOf(readTiledMap(fixturePath(ZONE), { loader: overlayLoader({ [ZONE]: text.replace(from, to) }) }));
}

function refusal(fn: () => unknown): TiledError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TiledError);
    return err as TiledError;
  }
  throw new Error('expected a TiledError');
}

describe('a Tiled map as a zone', () => {
  const zone = zoneMapOf(readTiledMap(fixturePath(ZONE)));

  it('blocks the collision layer\'s tiles and tiles that say collides or not walkable', () => {
    const blocked: [number, number][] = [];
    for (let y = 0; y < zone.height; y++) for (let x = 0; x < zone.width; x++) if (zone.tiles[y * zone.width + x] !== Terrain.GRASS) blocked.push([x, y]);
    expect(blocked).toEqual([
      [7, 0], // collision layer
      [2, 1], // collides: true
      [7, 1], // collision layer
      [2, 2], // collides: true
      [5, 2], // walkable: false
    ]);
  });

  it('reads a pvp-area object as a PvP area, and a map without one has none', () => {
    const pvp = variant('class="safe-area" x="0" y="0" width="48" height="48"', 'class="pvp-area" x="0" y="0" width="48" height="48"')();
    expect(pvp.pvpAreas).toEqual([{ name: 'square', x: 0, y: 0, width: 3, height: 3 }]);
    expect(pvp.safeAreas).toEqual([]);
    expect(decodeZonePack(encodeZonePack(pvp, 'z')).pvpAreas).toEqual(pvp.pvpAreas);
    expect(zone.pvpAreas ?? []).toEqual([]);
    expect(decodeZonePack(encodeZonePack(zone, 'z')).pvpAreas ?? []).toEqual([]);
  });

  it('reads spawn points, spawn areas, NPCs with patrols, portals, safe areas and named points in tile units', () => {
    expect(zone.spawnPoints).toEqual([{ name: 'start', x: 1.5, y: 3.5 }]);
    expect(zone.spawnAreas).toEqual([{ name: 'wolves', x: 4, y: 1, width: 2, height: 2, npc: 'npc.wolf', count: 3, respawnSeconds: 30, jitterSeconds: 5 }]);
    expect(zone.npcs.map((n) => [n.name, n.npc, n.x, n.y, n.patrol.map((p) => [p.x, p.y])])).toEqual([
      ['guard', 'npc.guard', 6.25, 2.5, [[6, 5], [7, 5], [7, 4]]], // a path object named by `patrol`
      ['walker', 'npc.wolf', 0.5, 5.5, [[0.5, 5.5], [2.5, 5.5]]], // its own polyline
    ]);
    expect(zone.portals).toEqual([{ name: 'to-field', x: 7, y: 4, width: 1, height: 1, zone: 'field', target: 'arrival' }]);
    expect(zone.safeAreas).toEqual([{ name: 'square', x: 0, y: 0, width: 3, height: 3 }]);
    expect(zone.points).toEqual([{ name: 'boss', x: 7.5, y: 5.5 }]);
  });

  it('keeps unknown object classes for the client with a warning, not an error', () => {
    expect(zone.warnings).toHaveLength(1);
    expect(zone.warnings[0]).toMatch(/tessera-zone\.tmx: objectgroup\[name=world\]\/object\[id=8 name=well\]: object class "decoration"/);
  });

  it('a map with none of Tessera\'s layers still makes a zone: all walkable, spawning in the middle, and says so', () => {
    const plain = zoneMapOf(readTiledMap(fixturePath('plain.tmx')));
    expect(plain.tiles.every((t) => t === Terrain.GRASS)).toBe(true);
    expect(plain.spawnPoints).toEqual([{ name: 'default', x: 2.5, y: 2.5 }]);
    expect(plain.warnings.join('\n')).toMatch(/every tile is walkable/);
    expect(plain.warnings.join('\n')).toMatch(/players spawn in the middle/);
  });

  it('every fixture map either makes a zone or is refused with a TiledError', () => {
    const maps = readdirSync(FIXTURES).filter((f) => /\.tm[xj]$/.test(f));
    expect(maps.length).toBeGreaterThan(5);
    for (const f of maps) {
      try {
        zoneMapOf(readTiledMap(fixturePath(f)));
      } catch (err) {
        expect(err, f).toBeInstanceOf(TiledError);
      }
    }
  });

  it('refuses what it cannot use, naming the file and the object', () => {
    const cases: [() => unknown, RegExp][] = [
      [variant('<property name="npc" value="npc.wolf"/>\n    <property name="respawn"', '<property name="respawn"'), /object\[id=2 name=wolves\]: needs a string property "npc"/],
      [variant('<property name="count" type="int" value="3"/>', '<property name="count" type="int" value="0"/>'), /property "count" must be a whole number in 1\.\.1000/],
      [variant('<property name="zone" value="field"/>', ''), /object\[id=4 name=to-field\]: needs a string property "zone"/],
      [variant('<property name="patrol" type="object" value="7"/>', '<property name="patrol" type="object" value="5"/>'), /object\[id=3 name=guard\]: property "patrol" must name a path object/],
      [variant('name="boss" class="point" x="120" y="88"', 'name="boss" class="point" x="520" y="88"'), /object\[name=boss\]: lies outside the 8x6 map/],
      [variant('class="safe-area" x="0" y="0" width="48" height="48"', 'class="safe-area" x="0" y="0" width="48" height="48" rotation="30"'), /rotated area is not supported/],
      [variant('class="safe-area" x="0" y="0" width="48" height="48"', 'class="safe-area" x="0" y="0" width="0" height="48"'), /needs a width and a height/],
      [variant('orientation="orthogonal"', 'orientation="isometric"'), /orientation "isometric" is not supported/],
      [variant('class="spawn" x="24" y="56"', 'class="spawn" x="40" y="40"'), /object\[name=start\]: spawn point 2\.5,2\.5 is on a blocked tile/],
    ];
    for (const [fn, message] of cases) {
      const err = refusal(fn);
      expect(err.message).toMatch(/tessera-zone\.tmx/);
      expect(err.message).toMatch(message);
    }
  });
});

describe('a zone started from a Tiled map (MAP_FILE, MAP_DIR)', () => {
  it('gets the map\'s collision and first spawn point, and its warnings are reported', () => {
    const warnings: string[] = [];
    const cfg = loadConfig({ ZONE_NAME: 'town', ZONE_WIDTH: '16', ZONE_HEIGHT: '16', ZONE_CELLS: '1x1', MAP_FILE: fixturePath(ZONE) });
    // 8x6 is below the smallest zone edge (16), so the size check speaks first.
    expect(() => zonesFromConfig(cfg)).toThrow(/tessera-zone\.tmx is 8x6 but the zone is configured 16x16/);
    const sized = { ...cfg, zones: cfg.zones.map((z) => ({ ...z, width: 8, height: 6 })) };
    const [launch] = zonesFromConfig(sized, (w) => warnings.push(w));
    const zone = zoneMapOf(readTiledMap(fixturePath(ZONE)));
    const packed = decodeZonePack(launch.map as Uint8Array); // configured zones carry bytes
    expect(packed).toEqual({ ...zone, name: 'town', warnings: [] });
    const map = gameMapOf(packed);
    expect([map.width, map.height, map.spawnX, map.spawnY]).toEqual([8, 6, 1, 3]);
    expect(warnings).toEqual([`zone town: ${zone.warnings[0]}`]);
  });

  it('names the zone and the file when the map is broken', () => {
    const cfg = loadConfig({ ZONE_NAME: 'cave', ZONE_WIDTH: '16', ZONE_HEIGHT: '16', ZONE_CELLS: '1x1', MAP_FILE: fixturePath('broken-zstd.tmx') });
    expect(() => zonesFromConfig(cfg)).toThrow(/zone cave: .*broken-zstd\.tmx: .*zstd/);
  });
});
