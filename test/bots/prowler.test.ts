import { describe, expect, it } from 'vitest';
import { newIntent } from '../../src/bots/behavior.ts';
import { Prowler } from '../../src/bots/prowler.ts';
import { Routes } from '../../src/bots/routes.ts';
import type { BookZone } from '../../src/bots/world-book.ts';
import { mulberry32 } from '../../src/shared/random.ts';

/** How long a ground is worked (prowler.ts): a decide() this much later picks the next. */
const GROUND_MS = 45_000;
const WOLF = 2;
const BEAR = 3;
const FRIEND = 1;

// An open 200×40 zone: two wolf grounds near the way in (x 5), a bear ground far off, and a friendly NPC's.
const ZONE: BookZone = {
  name: 'field',
  width: 200,
  height: 40,
  tiles: new Uint8Array(200 * 40),
  portals: [],
  npcs: [],
  spawnAreas: [
    { template: WOLF, count: 6, x: 10, y: 5, width: 8, height: 8 },
    { template: WOLF, count: 2, x: 10, y: 25, width: 8, height: 8 },
    { template: BEAR, count: 8, x: 180, y: 15, width: 8, height: 8 },
    { template: FRIEND, count: 50, x: 100, y: 15, width: 8, height: 8 },
  ],
  areas: [],
};
const HOSTILE = [0, 0, 1, 1];

/** The grounds `hunt` picks over `n` turns from the way in, by index in ZONE.spawnAreas. */
function picks(hunt: 'spread' | 'nearest', n: number): number[] {
  const p = new Prowler(new Routes([ZONE]), HOSTILE, () => {}, hunt);
  p.onZone('field');
  const rnd = mulberry32(11);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    expect(p.decide(i * GROUND_MS, { x: 5, y: 20 }, newIntent(), rnd)).toBe(true);
    out.push(ZONE.spawnAreas.indexOf(p.ground!));
  }
  return out;
}

describe('Prowler', () => {
  it('spread: any hostile ground of the zone, as often as the prey it holds, never the same twice running', () => {
    const got = picks('spread', 600);
    const share = (k: number) => got.filter((g) => g === k).length / got.length;
    expect(share(3)).toBe(0); // friendly NPCs are not prey
    // Weights 6, 2 and 8, the last ground left out each turn: the far bears get the most, the small wolf ground the least.
    expect(share(2)).toBeGreaterThan(0.4);
    expect(share(0)).toBeGreaterThan(0.3);
    expect(share(1)).toBeGreaterThan(0.05);
    expect(share(1)).toBeLessThan(share(0));
    for (let i = 1; i < got.length; i++) expect(got[i]).not.toBe(got[i - 1]);
  });

  it('nearest: one of the two grounds nearest the bot, never the far one (the crowded case)', () => {
    const got = picks('nearest', 200);
    expect(new Set(got)).toEqual(new Set([0, 1]));
  });
});
