import { describe, expect, it } from 'vitest';
import { newIntent } from '../../src/bots/behavior.ts';
import { Route, Routes } from '../../src/bots/routes.ts';
import type { BookZone } from '../../src/bots/world-book.ts';
import { MoveKind } from '../../src/protocol/opcodes.ts';
import { Pathfinder } from '../../src/workers/pathfinding.ts';

/** A zone of `w`×`h` from rows of '.' (free) and '#' (blocked). */
function zone(name: string, rows: string[], portals: BookZone['portals'] = []): BookZone {
  const h = rows.length;
  const w = rows[0].length;
  const tiles = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (tiles[y * w + x] = c === '#' ? 1 : 0)));
  return { name, width: w, height: h, tiles, portals, npcs: [], spawnAreas: [], areas: [] };
}

const WALLED = zone('walled', [
  '..........',
  '..........',
  '#######...',
  '..........',
  '..........',
  '...###....',
  '...#.#....',
  '...###....',
  '..........',
  '..........',
]);

/** Every leg of a route is a free straight line (what the server's mover walks). */
function legsFree(z: BookZone, r: Route, x: number, y: number): boolean {
  const f = new Pathfinder({ width: z.width, height: z.height, spawnX: 0, spawnY: 0, tiles: z.tiles }, () => {});
  let ax = Math.floor(x);
  let ay = Math.floor(y);
  for (let i = 0; i < r.count; i++) {
    const bx = Math.floor(r.xs[i]);
    const by = Math.floor(r.ys[i]);
    if (!f.straight(ax, ay, bx, by)) return false;
    [ax, ay] = [bx, by];
  }
  return true;
}

describe('Routes', () => {
  it('plans around a wall in corners joined by free straight lines, and steers along them', () => {
    const routes = new Routes([WALLED]);
    const r = new Route();
    expect(routes.plan('walled', 1.5, 0.5, 1.5, 4.5, r)).toBe(true);
    expect(r.zone).toBe('walled');
    expect(r.count).toBeGreaterThanOrEqual(2);
    expect(r.count).toBeLessThan(8);
    expect(legsFree(WALLED, r, 1.5, 0.5)).toBe(true);
    expect([r.xs[r.count - 1], r.ys[r.count - 1]]).toEqual([1.5, 4.5]);
    const it = newIntent();
    expect(r.steer({ x: 1.5, y: 0.5 }, it, 0)).toBe(false);
    expect(it).toMatchObject({ move: MoveKind.DESTINATION, x: r.xs[0], y: r.ys[0] });
    // Standing on a corner passes it.
    r.steer({ x: r.xs[0], y: r.ys[0] }, it, 0);
    expect(r.at).toBe(1);
    // Corners are passed in order: the last one reached ends the walk.
    for (let i = 1; i < r.count - 1; i++) expect(r.steer({ x: r.xs[i], y: r.ys[i] }, it, 0)).toBe(false);
    expect(r.steer({ x: 1.5, y: 4.5 }, it, 0)).toBe(true);
    expect(r.done).toBe(true);
  });

  it('goes to the nearest reachable tile when the goal is blocked or walled in, and from a free tile when standing on a wall', () => {
    const routes = new Routes([WALLED]);
    const r = new Route();
    // (4, 6) is a free tile inside a ring of rock: the route ends beside the ring.
    expect(routes.plan('walled', 0.5, 9.5, 4.5, 6.5, r)).toBe(true);
    const ex = r.xs[r.count - 1];
    const ey = r.ys[r.count - 1];
    expect(Math.max(Math.abs(ex - 4.5), Math.abs(ey - 6.5))).toBeLessThanOrEqual(2);
    expect(WALLED.tiles[Math.floor(ey) * 10 + Math.floor(ex)]).toBe(0);
    expect(routes.plan('walled', 2.5, 2.5, 8.5, 8.5, r)).toBe(true);
    expect(legsFree(WALLED, r, 2.5, 1.5)).toBe(true);
  });

  it('says no for an unknown zone or a goal with no way to it', () => {
    const cut = zone('cut', ['....#....', '....#....', '....#....']);
    const routes = new Routes([cut]);
    const r = new Route();
    expect(routes.plan('nowhere', 0, 0, 1, 1, r)).toBe(false);
    expect(routes.plan('cut', 0.5, 0.5, 8.5, 1.5, r)).toBe(false);
    expect(r.count).toBe(0);
    expect(r.done).toBe(true);
  });

  it('finds the portal to take towards a zone two portals away', () => {
    const a = zone('a', ['...'], [{ zone: 'b', x: 2, y: 0, width: 1, height: 1 }]);
    const b = zone('b', ['...'], [
      { zone: 'a', x: 0, y: 0, width: 1, height: 1 },
      { zone: 'c', x: 2, y: 0, width: 1, height: 1 },
    ]);
    const c = zone('c', ['...'], [{ zone: 'b', x: 0, y: 0, width: 1, height: 1 }]);
    const routes = new Routes([a, b, c]);
    expect(routes.portalToward('a', 'c')).toBe(a.portals[0]);
    expect(routes.portalToward('c', 'a')).toBe(c.portals[0]);
    expect(routes.portalToward('b', 'c')).toBe(b.portals[1]);
    expect(routes.portalToward('a', 'nowhere')).toBeNull();
    // Asked again: the same answer, remembered.
    expect(routes.portalToward('a', 'c')).toBe(a.portals[0]);
  });

  it('judges line of sight as the server does: tiles of the two points, blocked by rock', () => {
    const routes = new Routes([WALLED]);
    const sight = routes.sightIn('walled')!;
    // Across the wall of row 2: blocked; around its open end: clear.
    expect(sight(1.5, 0.5, 1.5, 4.5)).toBe(false);
    expect(sight(8.5, 0.5, 8.9, 4.2)).toBe(true);
    // Into the walled-in tile (4, 6): blocked from outside, clear from itself.
    expect(sight(4.5, 9.5, 4.5, 6.5)).toBe(false);
    expect(sight(4.2, 6.8, 4.9, 6.1)).toBe(true);
    expect(routes.sightIn('nowhere')).toBeNull();
  });
});
