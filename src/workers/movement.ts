import { isBlocked, type GameMap } from '../content/map-format.ts';
import type { EntityStore } from '../shared/entity-store.ts';
import { EntityFlags } from '../shared/layout.ts';

/** Keeps entities this far from the map edge. */
const EDGE = 0.5;

/**
 * Moves an entity by (dirX, dirY) × speed × dt, clamped to the map and
 * blocked by unwalkable tiles one axis at a time, so an entity slides along
 * a wall instead of sticking to it. Returns true when it moved at all.
 */
export function moveEntity(store: EntityStore, slot: number, map: GameMap, dirX: number, dirY: number, step: number): boolean {
  const f = store.f;
  const x0 = f.x[slot];
  const y0 = f.y[slot];
  let x = x0 + dirX * step;
  let y = y0 + dirY * step;
  if (x < EDGE) x = EDGE;
  else if (x > map.width - EDGE) x = map.width - EDGE;
  if (y < EDGE) y = EDGE;
  else if (y > map.height - EDGE) y = map.height - EDGE;
  if (isBlocked(map, Math.floor(x), Math.floor(y0))) x = x0;
  if (isBlocked(map, Math.floor(x), Math.floor(y))) y = y0;
  const moved = x !== x0 || y !== y0;
  f.x[slot] = x;
  f.y[slot] = y;
  f.vx[slot] = moved ? (x - x0) / step : 0;
  f.vy[slot] = moved ? (y - y0) / step : 0;
  f.flags[slot] = moved ? f.flags[slot] | EntityFlags.MOVING : f.flags[slot] & ~EntityFlags.MOVING;
  return moved;
}

/**
 * Moves toward a destination; returns true when it arrived (or cannot get
 * closer), so the caller can clear the intent.
 */
export function moveToward(store: EntityStore, slot: number, map: GameMap, destX: number, destY: number, step: number): boolean {
  const dx = destX - store.f.x[slot];
  const dy = destY - store.f.y[slot];
  const dist = Math.hypot(dx, dy);
  if (dist <= step) {
    moveEntity(store, slot, map, dx / (dist || 1), dy / (dist || 1), dist);
    return true;
  }
  return !moveEntity(store, slot, map, dx / dist, dy / dist, step);
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
