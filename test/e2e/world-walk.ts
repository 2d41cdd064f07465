/** Walking a TestClient about a zone of the default world: A* routes on the zone's own map, corner by corner. */
import type { ZoneMap } from '../../src/content/zone-map.ts';
import { gameMapOf } from '../../src/content/zone-map.ts';
import { Pathfinder } from '../../src/workers/pathfinding.ts';
import type { TestClient } from '../helpers/client.ts';

/** Corners of an A* path from (x, y) to the middle of `goal` on a zone's map (tile centres). */
export function route(zone: ZoneMap, x: number, y: number, gx: number, gy: number): { x: number; y: number }[] {
  let corners: { x: number; y: number }[] | undefined;
  const finder = new Pathfinder(
    gameMapOf(zone),
    (_id, found, path, length) => {
      if (!found) return;
      corners = Array.from(path.subarray(0, length), (t) => ({ x: (t % zone.width) + 0.5, y: Math.floor(t / zone.width) + 0.5 }));
    },
    { maxNodes: 100_000, maxPath: 4096 },
  );
  finder.request(1, Math.floor(x), Math.floor(y), Math.floor(gx), Math.floor(gy));
  finder.step(1_000_000);
  if (!corners) throw new Error(`no path from ${x},${y} to ${gx},${gy} on ${zone.file}`);
  return corners;
}

/** Walks a client along a route, corner by corner (destination inputs), until `done`. */
export async function walk(c: TestClient, corners: { x: number; y: number }[], done: () => boolean, what: string): Promise<void> {
  for (const p of corners) {
    if (done()) return;
    c.moveTo(p.x, p.y);
    await c.until(() => done() || near(c.positionOf(c.me), p.x, p.y, 0.3), 5000, `${what}: corner ${p.x},${p.y}`);
  }
  await c.until(done, 5000, what);
}

export function near(p: { x: number; y: number } | undefined, x: number, y: number, within = 0.5): boolean {
  return p !== undefined && Math.hypot(p.x - x, p.y - y) <= within;
}

export const centre = (r: { x: number; y: number; width: number; height: number }) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

/** A route from (x, y) to the tile nearest (gx, gy) that can be walked to (a tile may be free but walled in). */
export function routeNear(zone: ZoneMap, x: number, y: number, gx: number, gy: number): { x: number; y: number }[] {
  for (let r = 0; r < 12; r++) {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        try {
          return route(zone, x, y, gx + dx, gy + dy);
        } catch {
          // walled in, or blocked: the next tile out
        }
      }
    }
  }
  throw new Error(`no way near ${gx},${gy}`);
}

