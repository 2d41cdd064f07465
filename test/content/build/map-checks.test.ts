/** References between maps and content, on hand-made zone maps: each problem once, with the object and its place. */
import { describe, expect, it } from 'vitest';
import { checkMapReferences, type CheckedZone } from '../../../src/content/build/map-checks.ts';
import type { ZoneMap } from '../../../src/content/zone-map.ts';
import { fixtureContent } from '../pack/helpers.ts';

function zone(name: string, over: Partial<ZoneMap>): CheckedZone {
  const map: ZoneMap = {
    file: `/abs/${name}.tmx`, width: 16, height: 16, tiles: new Uint8Array(256), spawnPoints: [{ name: 'start', x: 1, y: 1 }],
    points: [], spawnAreas: [], npcs: [], portals: [], safeAreas: [], warnings: [], ...over,
  };
  return { name, file: `maps/${name}.tmx`, map };
}

describe('checkMapReferences', () => {
  const field = zone('field', {
    points: [{ name: 'alpha_den', x: 5, y: 5 }],
    spawnAreas: [{ name: 'old_camp', npc: 'npc.wolf', x: 2, y: 2, width: 2, height: 2, count: 1, respawnSeconds: 60, jitterSeconds: 0 }],
  });

  it('accepts the fixture content against matching zones, a portal to a spawn point', () => {
    const town = zone('town', { portals: [{ name: 'p', zone: 'field', target: 'start', x: 0, y: 0, width: 1, height: 1 }] });
    expect(checkMapReferences([town, field], fixtureContent())).toEqual([]);
  });

  it('names the zones a quest or event names that do not exist, once each', () => {
    expect(checkMapReferences([field], fixtureContent())).toEqual([
      { file: 'events.json', path: '$.events[1].map', message: 'names no zone of world.json: "town" (zones: field)' },
    ]);
  });

  it('names a placed NPC whose template is an item, with the object and its place', () => {
    const town = zone('town', { npcs: [{ name: 'odd', npc: 'item.wolf_pelt', x: 3.5, y: 4.25, patrol: [] }] });
    const errors = checkMapReferences([town, field], fixtureContent());
    expect(errors).toHaveLength(1);
    expect(errors[0].file).toBe('maps/town.tmx');
    expect(errors[0].path).toBe('object[class=npc name=odd] at 3.5,4.25');
    expect(errors[0].message).toMatch(/^property "npc": "item\.wolf_pelt" is an item \(items\.json \$\.items\[\d+\]\.id\), not an NPC$/);
  });
});
