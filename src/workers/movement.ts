import { isBlocked, type GameMap } from '../content/map-format.ts';
import type { EntityStore } from '../shared/entity-store.ts';
import { EntityFlags } from '../shared/layout.ts';

/** Keeps entities this far from the map edge. */
const EDGE = 0.5;

/** Indices of Mover.args. */
export const MoveArg = { X: 0, Y: 1, STEP: 2 } as const;

/**
 * Server-authoritative movement over the zone's map. The arguments of each
 * call travel in `args` (X, Y, STEP) instead of as parameters: V8 boxes the
 * doubles it passes to a call it does not inline, which would allocate per
 * entity per tick. Callers write args, then call along() or toward().
 */
export class Mover {
  readonly store: EntityStore;
  readonly map: GameMap;
  readonly args = new Float64Array(3);

  constructor(store: EntityStore, map: GameMap) {
    this.store = store;
    this.map = map;
  }

  /**
   * Moves `slot` by the unit direction (X, Y) times STEP, clamped to the map
   * and blocked by unwalkable tiles one axis at a time, so an entity slides
   * along a wall instead of sticking to it. Returns true when it moved at all.
   */
  along(slot: number): boolean {
    const f = this.store.f;
    const map = this.map;
    const step = this.args[MoveArg.STEP];
    const x0 = f.x[slot];
    const y0 = f.y[slot];
    let x = x0 + this.args[MoveArg.X] * step;
    let y = y0 + this.args[MoveArg.Y] * step;
    if (x < EDGE) x = EDGE;
    else if (x > map.width - EDGE) x = map.width - EDGE;
    if (y < EDGE) y = EDGE;
    else if (y > map.height - EDGE) y = map.height - EDGE;
    if (isBlocked(map, Math.floor(x), Math.floor(y0))) x = x0;
    if (isBlocked(map, Math.floor(x), Math.floor(y))) y = y0;
    const moved = x !== x0 || y !== y0;
    f.x[slot] = x;
    f.y[slot] = y;
    f.vx[slot] = moved && step > 0 ? (x - x0) / step : 0;
    f.vy[slot] = moved && step > 0 ? (y - y0) / step : 0;
    f.flags[slot] = moved ? f.flags[slot] | EntityFlags.MOVING : f.flags[slot] & ~EntityFlags.MOVING;
    return moved;
  }

  /**
   * Moves `slot` toward the destination (X, Y) by up to STEP; returns true
   * when it arrived (exactly on the spot) or cannot get closer, so the caller
   * can clear the intent.
   */
  toward(slot: number): boolean {
    const f = this.store.f;
    const a = this.args;
    const dx = a[MoveArg.X] - f.x[slot];
    const dy = a[MoveArg.Y] - f.y[slot];
    const dist = Math.sqrt(dx * dx + dy * dy); // not Math.hypot: it allocates a boxed result per call
    const step = a[MoveArg.STEP];
    if (dist <= step) {
      a[MoveArg.X] = dist === 0 ? 0 : dx / dist;
      a[MoveArg.Y] = dist === 0 ? 0 : dy / dist;
      a[MoveArg.STEP] = dist;
      this.along(slot);
      a[MoveArg.STEP] = step;
      return true;
    }
    a[MoveArg.X] = dx / dist;
    a[MoveArg.Y] = dy / dist;
    return !this.along(slot);
  }
}

/**
 * Finds the walkable spot nearest (x, y): (x, y) itself when it is walkable
 * and inside the map, otherwise the centre of the closest walkable tile,
 * searching outward ring by ring. Used at spawn and join, never per tick.
 */
export function nearestWalkable(map: GameMap, x: number, y: number): [number, number] {
  const cx = Math.min(Math.max(Math.floor(x), 0), map.width - 1);
  const cy = Math.min(Math.max(Math.floor(y), 0), map.height - 1);
  const inside = x >= EDGE && y >= EDGE && x <= map.width - EDGE && y <= map.height - EDGE;
  if (inside && !isBlocked(map, cx, cy)) return [x, y];
  for (let r = 0; r < Math.max(map.width, map.height); r++) {
    let best = Infinity;
    let bx = 0;
    let by = 0;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r || isBlocked(map, cx + dx, cy + dy)) continue;
        const px = cx + dx + 0.5;
        const py = cy + dy + 0.5;
        const d = (px - x) * (px - x) + (py - y) * (py - y);
        if (d < best) {
          best = d;
          bx = px;
          by = py;
        }
      }
    }
    if (best < Infinity) return [bx, by];
  }
  return [map.spawnX + 0.5, map.spawnY + 0.5];
}
