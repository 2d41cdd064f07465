import { describe, expect, it } from 'vitest';
import { chooseStart, defaultWorldEnv, startSpot, startZoneFor, worldStart } from '../../../bench/lib/default-world.ts';
import { loadWorldBook, type BookZone } from '../../../src/bots/world-book.ts';

const zone = (rows: string[]): BookZone => ({
  name: 'z',
  width: rows[0].length,
  height: rows.length,
  tiles: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
  portals: [],
  npcs: [],
  spawnAreas: [],
  areas: [],
});

describe('where the bench characters start', () => {
  it('the centre tile when it is walkable, else the nearest walkable one', () => {
    expect(startSpot(zone(['.....', '.....', '.....', '.....', '.....']))).toEqual({ zone: 'z', x: 2.5, y: 2.5 });
    expect(startSpot(zone(['#####', '#...#', '#.###', '#####', '#####']))).toEqual({ zone: 'z', x: 1.5, y: 1.5 });
    expect(() => startSpot(zone(['###', '###', '###']))).toThrow(/no walkable tile/);
  });

  it('on the default world: questers in the town the world starts in, the others in the field with the spawn areas', () => {
    const book = loadWorldBook('data')!;
    const start = worldStart('data');
    expect(start).toBe('town');
    expect(startZoneFor('quest', book, start)).toBe('town');
    for (const b of ['fight', 'mixed', 'wander'] as const) expect(startZoneFor(b, book, start)).toBe('field');
    const field = book.zones.find((z) => z.name === 'field')!;
    const spot = chooseStart('fight', book, start, null);
    expect(spot.zone).toBe('field');
    expect(field.tiles[Math.floor(spot.y) * field.width + Math.floor(spot.x)]).toBe(0);
    expect(chooseStart('fight', book, start, 'town').zone).toBe('town');
    expect(() => chooseStart('fight', book, start, 'moon')).toThrow(/--start moon: the world has zones town, field/);
  });

  it('lifts the account limits for the bench child only, as existing variables', () => {
    const env = defaultWorldEnv('/c', '/b', { zone: 'field', x: 64.5, y: 48.5 }, 3000);
    expect(env).toMatchObject({ CONTENT_DIR: '/c', CONTENT_BUILD_DIR: '/b', ALLOW_GUESTS: '0', SPAWN: 'field:64.5:48.5', SCRYPT_LOG2N: '10', HASH_MAX_QUEUE: '6000' });
    expect(Number(env.REGISTER_LIMIT_PER_IP)).toBeGreaterThanOrEqual(1_000_000);
    expect(Number(env.LOGIN_LIMIT_PER_IP)).toBeGreaterThanOrEqual(1_000_000);
  });
});
