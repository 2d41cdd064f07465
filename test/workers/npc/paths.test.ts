import { describe, expect, it } from 'vitest';
import { Terrain, type GameMap } from '../../../src/content/map-format.ts';
import { NpcMemory, PathState, WAYPOINTS } from '../../../src/workers/npc/memory.ts';
import { NpcPaths } from '../../../src/workers/npc/paths.ts';

/** Plans from (x, y) to (gx, gy) through the paths' argument array. */
function plan(p: NpcPaths, slot: number, x: number, y: number, gx: number, gy: number): boolean {
  p.args.set([x, y, gx, gy]);
  return p.plan(slot);
}

/** A map from rows of '.' (walkable) and '#' (blocked). */
function mapOf(rows: string[]): GameMap {
  const height = rows.length;
  const width = rows[0].length;
  const tiles = new Uint8Array(width * height);
  rows.forEach((r, y) => [...r].forEach((ch, x) => (tiles[y * width + x] = ch === '#' ? Terrain.ROCK : Terrain.GRASS)));
  return { width, height, spawnX: 0, spawnY: 0, tiles };
}

const WALL = mapOf([
  '..........',
  '..........',
  '....#.....',
  '....#.....',
  '....#.....',
  '....#.....',
  '..........',
  '..........',
]);

function waypoints(m: NpcMemory, slot: number): [number, number][] {
  return Array.from({ length: m.wpCount[slot] }, (_, i) => [m.wpX[slot * WAYPOINTS + i], m.wpY[slot * WAYPOINTS + i]]);
}

describe('NpcPaths', () => {
  it('walks a free straight line without searching: one waypoint, the goal itself', () => {
    const m = new NpcMemory(4);
    const p = new NpcPaths(WALL, m);
    expect(plan(p, 1, 0.5, 0.5, 8.25, 1.75)).toBe(true);
    expect(m.pathState[1]).toBe(PathState.READY);
    expect(waypoints(m, 1)).toEqual([[8.25, 1.75]]);
    expect(p.finder.nodesTotal).toBe(0);
  });

  it('goes around a wall in a few string-pulled corners, each in a straight line from the one before, ending on the goal', () => {
    const m = new NpcMemory(4);
    const p = new NpcPaths(WALL, m);
    plan(p, 2, 2.5, 3.5, 7.5, 3.5);
    expect(m.pathState[2]).toBe(PathState.PENDING);
    p.step(10_000);
    expect(m.pathState[2]).toBe(PathState.READY);
    const wps = waypoints(m, 2);
    expect(wps.length).toBeGreaterThan(1);
    expect(wps.length).toBeLessThan(5);
    expect(wps[wps.length - 1]).toEqual([7.5, 3.5]);
    let [ax, ay] = [2, 3];
    for (const [x, y] of wps) {
      expect(p.finder.straight(ax, ay, Math.floor(x), Math.floor(y))).toBe(true);
      [ax, ay] = [Math.floor(x), Math.floor(y)];
    }
  });

  it('shares the node budget: a search that runs out resumes on the next step', () => {
    const m = new NpcMemory(4);
    const p = new NpcPaths(WALL, m);
    plan(p, 0, 2.5, 3.5, 7.5, 3.5);
    expect(p.step(3)).toBe(3);
    expect(m.pathState[0]).toBe(PathState.PENDING);
    while (m.pathState[0] === PathState.PENDING) p.step(3);
    expect(m.pathState[0]).toBe(PathState.READY);
  });

  it('drops the answer of a search the NPC abandoned', () => {
    const m = new NpcMemory(4);
    const p = new NpcPaths(WALL, m);
    plan(p, 3, 2.5, 3.5, 7.5, 3.5);
    m.clearPath(3); // new goal, death or handoff
    p.step(10_000);
    expect(m.pathState[3]).toBe(PathState.NONE);
    expect(p.noWay(3)).toBe(false);
  });

  it('says "no way" when the goal is walled in', () => {
    const closed = mapOf(['.....', '.###.', '.#.#.', '.###.', '.....']);
    const m = new NpcMemory(2);
    const p = new NpcPaths(closed, m);
    plan(p, 1, 0.5, 0.5, 2.5, 2.5);
    p.step(10_000);
    expect(p.noWay(1)).toBe(true);
    expect(p.failures).toBe(1);
  });

  it('walks a path longer than WAYPOINTS corners in legs', () => {
    // A serpentine: many corners.
    const rows: string[] = [];
    for (let y = 0; y < 21; y++) {
      if (y % 2 === 0) rows.push('.'.repeat(12));
      else rows.push(y % 4 === 1 ? '###########.' : '.###########');
    }
    const m = new NpcMemory(2);
    const p = new NpcPaths(mapOf(rows), m, { maxPath: 4096, maxNodes: 100_000 });
    plan(p, 0, 0.5, 0.5, 0.5, 20.5);
    p.step(100_000);
    expect(m.pathState[0]).toBe(PathState.READY);
    expect(m.wpCount[0]).toBe(WAYPOINTS);
    const last = waypoints(m, 0)[WAYPOINTS - 1];
    expect(last).not.toEqual([0.5, 20.5]);
  });
});
