import { describe, expect, it } from 'vitest';
import { Terrain, type GameMap } from '../../src/content/map-format.ts';
import { EntityStore, indexOf } from '../../src/shared/entity-store.ts';
import { EntityFlags } from '../../src/shared/layout.ts';
import { MoveArg, Mover, nearestWalkable } from '../../src/workers/movement.ts';

/** 10x10 grass with a rock column at x = 5 (rows 0..7) and water at (2,2). */
function map(): GameMap {
  const tiles = new Uint8Array(100);
  for (let y = 0; y < 8; y++) tiles[y * 10 + 5] = Terrain.ROCK;
  tiles[2 * 10 + 2] = Terrain.WATER;
  return { width: 10, height: 10, spawnX: 1, spawnY: 1, tiles };
}

function entity(x: number, y: number) {
  const store = EntityStore.create(4);
  const slot = indexOf(store.allocate());
  store.f.x[slot] = x;
  store.f.y[slot] = y;
  return { store, slot, mover: new Mover(store, map()) };
}

function along(m: Mover, slot: number, dx: number, dy: number, step: number): boolean {
  m.args[MoveArg.X] = dx;
  m.args[MoveArg.Y] = dy;
  m.args[MoveArg.STEP] = step;
  return m.along(slot);
}

function toward(m: Mover, slot: number, x: number, y: number, step: number): boolean {
  m.args[MoveArg.X] = x;
  m.args[MoveArg.Y] = y;
  m.args[MoveArg.STEP] = step;
  return m.toward(slot);
}

describe('movement', () => {
  it('moves at its speed along the unit direction and flags the entity as moving', () => {
    const { store, slot, mover } = entity(1.5, 8.5);
    expect(along(mover, slot, 1, 0, 0.3)).toBe(true);
    expect(store.f.x[slot]).toBeCloseTo(1.8, 5);
    expect(store.f.y[slot]).toBeCloseTo(8.5, 5);
    expect(store.f.flags[slot] & EntityFlags.MOVING).toBe(EntityFlags.MOVING);
    expect(along(mover, slot, 0, 0, 0.3)).toBe(false);
    expect(store.f.flags[slot] & EntityFlags.MOVING).toBe(0);
  });

  it('clamps to the map edge', () => {
    const { store, slot, mover } = entity(0.7, 9.3);
    along(mover, slot, -1, 0, 5);
    along(mover, slot, 0, 1, 5);
    expect(store.f.x[slot]).toBe(0.5);
    expect(store.f.y[slot]).toBe(9.5);
  });

  it('is blocked by rock and water, and slides along a wall instead of sticking', () => {
    const { store, slot, mover } = entity(4.8, 3.5);
    // Straight into the rock column: no x progress.
    along(mover, slot, 1, 0, 0.5);
    expect(store.f.x[slot]).toBeCloseTo(4.8, 5);
    // Diagonally into it: x blocked, y still advances (slide).
    along(mover, slot, Math.SQRT1_2, Math.SQRT1_2, 0.5);
    expect(store.f.x[slot]).toBeCloseTo(4.8, 5);
    expect(store.f.y[slot]).toBeGreaterThan(3.5);
    const w = entity(1.5, 2.5);
    along(w.mover, w.slot, 1, 0, 0.8);
    expect(w.store.f.x[w.slot]).toBeCloseTo(1.5, 5);
  });

  it('walks toward a destination and reports arrival exactly on it', () => {
    const { store, slot, mover } = entity(1.5, 8.5);
    let arrived = false;
    for (let i = 0; i < 20 && !arrived; i++) arrived = toward(mover, slot, 3.25, 9.125, 0.3);
    expect(arrived).toBe(true);
    expect(store.f.x[slot]).toBe(3.25);
    expect(store.f.y[slot]).toBe(9.125);
  });

  it('gives up on a destination behind a wall once it cannot get closer', () => {
    const { store, slot, mover } = entity(4.5, 3.5);
    let done = false;
    let steps = 0;
    while (!done && steps++ < 50) done = toward(mover, slot, 6.5, 3.5, 0.3);
    expect(done).toBe(true);
    expect(store.f.x[slot]).toBeLessThan(5);
  });

  it('finds the nearest walkable spot for a blocked or outside position', () => {
    expect(nearestWalkable(map(), 1.5, 1.5)).toEqual([1.5, 1.5]);
    const [x, y] = nearestWalkable(map(), 5.5, 3.5);
    expect(Math.abs(x - 5.5)).toBeLessThanOrEqual(1);
    expect(y).toBe(3.5);
    const [ox, oy] = nearestWalkable(map(), -20, 50);
    expect(ox).toBe(0.5);
    expect(oy).toBe(9.5);
  });
});
