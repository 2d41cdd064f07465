import { MoveKind } from '../protocol/opcodes.ts';
import { Pathfinder } from '../workers/pathfinding.ts';
import type { Intent } from './behavior.ts';
import type { BookZone } from './world-book.ts';

/** Most corners a route keeps (a longer path is walked to its last kept corner, then planned again). */
const MAX_CORNERS = 64;
/** A corner counts as reached this near (the last one: ARRIVE). */
const PASS = 0.6;
/** Rings of tiles searched around an unwalkable goal for a free one. */
const NEAR_RINGS = 12;
/** Goal tiles tried before a plan gives up (each one more search). */
const GOAL_TRIES = 8;

/** True when nothing blocks the line between two points (tile units) of one zone. */
export type SightLine = (x0: number, y0: number, x1: number, y1: number) => boolean;

/** A walk planned through one zone: corners in tile units, the next one at `at`. */
export class Route {
  readonly xs = new Float32Array(MAX_CORNERS);
  readonly ys = new Float32Array(MAX_CORNERS);
  count = 0;
  at = 0;
  /** Zone the route was planned in ('' when none). */
  zone = '';

  clear(): void {
    this.count = 0;
    this.at = 0;
    this.zone = '';
  }

  get done(): boolean {
    return this.at >= this.count;
  }

  /**
   * Steers `it` along the route from `pos`: a DESTINATION to the next
   * corner, passing corners as they are reached. True once the last one is.
   */
  steer(pos: { x: number; y: number }, it: Intent, now: number): boolean {
    while (this.at < this.count && Math.hypot(this.xs[this.at] - pos.x, this.ys[this.at] - pos.y) < PASS) this.at++;
    if (this.at >= this.count) return true;
    it.move = MoveKind.DESTINATION;
    it.x = this.xs[this.at];
    it.y = this.ys[this.at];
    it.until = now + 1000;
    return false;
  }
}

/**
 * A* over the zones a worker's bots walk, one pathfinder per zone shared by
 * every bot (a search runs to its end at once; routes are planned only when
 * a bot's goal changes or it gets stuck, not per snapshot). Paths come back
 * as tiles and are pulled taut into corners joined by free straight lines.
 */
export class Routes {
  private readonly zones = new Map<string, { zone: BookZone; finder: Pathfinder }>();
  private readonly book: readonly BookZone[];
  private found: Int32Array | null = null;
  private foundLength = 0;
  private readonly done = (_id: number, ok: boolean, path: Int32Array, length: number): void => {
    this.found = ok ? path : null;
    this.foundLength = length;
  };

  constructor(zones: readonly BookZone[]) {
    this.book = zones;
  }

  zone(name: string): BookZone | null {
    return this.entry(name)?.zone ?? null;
  }

  /**
   * Line of sight in zone `name` as the server's combat judges it (a free
   * straight line between the tiles of two points, in tile units); null
   * for a zone the book does not hold.
   */
  sightIn(name: string): SightLine | null {
    const e = this.entry(name);
    if (!e) return null;
    const f = e.finder;
    return (x0, y0, x1, y1) => f.straight(Math.floor(x0), Math.floor(y0), Math.floor(x1), Math.floor(y1));
  }

  private entry(name: string): { zone: BookZone; finder: Pathfinder } | null {
    let e = this.zones.get(name);
    if (e) return e;
    const zone = this.book.find((z) => z.name === name);
    if (!zone) return null;
    const finder = new Pathfinder({ width: zone.width, height: zone.height, spawnX: 0, spawnY: 0, tiles: zone.tiles }, this.done, { maxNodes: zone.width * zone.height, maxPath: 8192, maxQueued: 1 });
    e = { zone, finder };
    this.zones.set(name, e);
    return e;
  }

  /**
   * Plans `out` in zone `name` from (x, y) to the walkable tile nearest
   * (gx, gy). False when there is no way (or no such zone); `out` is then empty.
   */
  plan(name: string, x: number, y: number, gx: number, gy: number, out: Route): boolean {
    out.clear();
    const e = this.entry(name);
    if (!e) return false;
    const f = e.finder;
    const w = f.width;
    // A walker may stand on the edge of a blocked tile (slid along a wall): start from the nearest free one.
    const start = this.nearFree(f, Math.floor(x), Math.floor(y), 0);
    if (start < 0) return false;
    const sx = start % w;
    const sy = Math.floor(start / w);
    // The goal's tile, or the nearest free one that can be reached (a free tile may be walled in).
    let path: Int32Array | null = null;
    for (let k = 0; k < GOAL_TRIES && path === null; k++) {
      const goal = this.nearFree(f, Math.floor(gx), Math.floor(gy), k);
      if (goal < 0) return false;
      this.found = null;
      f.request(1, sx, sy, goal % w, Math.floor(goal / w));
      f.step(f.maxNodes);
      path = this.found as Int32Array | null;
    }
    if (path === null) return false;
    out.zone = name;
    // Pull taut: from each kept corner, jump to the furthest path tile in a free straight line.
    let ax = sx;
    let ay = sy;
    let i = 0;
    const n = this.foundLength;
    while (i < n && out.count < MAX_CORNERS) {
      let j = i;
      while (j + 1 < n && f.straight(ax, ay, path[j + 1] % w, Math.floor(path[j + 1] / w))) j++;
      ax = path[j] % w;
      ay = Math.floor(path[j] / w);
      out.xs[out.count] = ax + 0.5;
      out.ys[out.count] = ay + 0.5;
      out.count++;
      i = j + 1;
    }
    if (n === 0) {
      // Already on the goal tile: one corner, its centre (or the exact goal when that is walkable).
      out.xs[0] = gx;
      out.ys[0] = gy;
      out.count = 1;
    }
    return true;
  }

  /** Tile index of the `skip`+1-th walkable tile nearest (gx, gy), ring by ring; -1 when there are not that many near. */
  private nearFree(f: Pathfinder, gx: number, gy: number, skip: number): number {
    for (let r = 0; r <= NEAR_RINGS; r++) {
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== r || !f.walkable(gx + dx, gy + dy)) continue;
          if (skip-- === 0) return (gy + dy) * f.width + gx + dx;
        }
      }
    }
    return -1;
  }

  /** The portal of zone `from` to take towards zone `to`, or null (remembered: asked at every step of a walk). */
  portalToward(from: string, to: string): { x: number; y: number; width: number; height: number } | null {
    let byTo = this.portals.get(from);
    if (byTo === undefined) this.portals.set(from, (byTo = new Map()));
    let p = byTo.get(to);
    if (p === undefined) byTo.set(to, (p = this.searchPortal(from, to)));
    return p;
  }

  private readonly portals = new Map<string, Map<string, BookZone['portals'][number] | null>>();

  /** Breadth-first over the zones' portals: the first portal of a shortest way. */
  private searchPortal(from: string, to: string): BookZone['portals'][number] | null {
    const first = new Map<string, BookZone['portals'][number]>();
    const queue: string[] = [from];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const z = queue.shift()!;
      const zone = this.book.find((b) => b.name === z);
      if (!zone) continue;
      for (const p of zone.portals) {
        if (seen.has(p.zone)) continue;
        seen.add(p.zone);
        first.set(p.zone, z === from ? p : first.get(z)!);
        if (p.zone === to) return first.get(p.zone)!;
        queue.push(p.zone);
      }
    }
    return null;
  }
}
