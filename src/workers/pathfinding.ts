import type { GameMap } from '../content/map-format.ts';
import { WalkGrid } from './walk-grid.ts';

/**
 * A* on a cell's walkability grid, for NPCs that chase and return (issue 9).
 * Eight directions without cutting corners (a diagonal step needs both of
 * its orthogonal neighbours free), octile distance as the heuristic. All
 * state lives in typed arrays sized once to the map and reused by every
 * search: a visit stamp per tile instead of clearing, a binary heap of tile
 * indices, no per-node objects. Searches are queued and share a per-tick
 * node budget: step(budget) expands at most that many nodes over the queue,
 * and a search that runs out resumes where it stopped on the next step.
 * A straight line that is free is taken without searching; a search that
 * expands more than maxNodes, or whose path would be longer than maxPath
 * steps, finds nothing (the NPC gives up: evade).
 */

export interface PathfinderOptions {
  /** Nodes one search may expand before it gives up. */
  maxNodes?: number;
  /** Longest path, in steps. */
  maxPath?: number;
  /** Searches that may wait in the queue. */
  maxQueued?: number;
  /** The cell's walkability grid, when it already has one (else one is built from the map). */
  grid?: WalkGrid;
}

/**
 * Called when a search ends: `path[0 .. length)` are waypoints (tile
 * indices) from the start (exclusive) to the goal, each in a free straight
 * line from the one before: every tile of an A* path, or the goal alone when
 * the straight line is free. Valid during the call only; length 0 when none
 * was found (or start is the goal).
 */
export type PathDone = (id: number, found: boolean, path: Int32Array, length: number) => void;

const ORTHO = 1;
const DIAG = Math.SQRT2;
const DX = [1, -1, 0, 0, 1, 1, -1, -1];
const DY = [0, 0, 1, -1, 1, -1, 1, -1];

export class Pathfinder {
  readonly width: number;
  readonly height: number;
  readonly maxNodes: number;
  readonly maxPath: number;
  /** The walkability grid searched (shared with line-of-sight checks). */
  readonly grid: WalkGrid;
  private readonly blocked: Uint8Array;
  private readonly g: Float32Array;
  private readonly f: Float32Array;
  private readonly parent: Int32Array;
  /** Search stamp per tile: seen in this search (open or closed). */
  private readonly seen: Uint32Array;
  /** Stamp per tile: closed in this search. */
  private readonly closed: Uint32Array;
  private readonly heap: Int32Array;
  /** Position of each tile in the heap, or -1. */
  private readonly heapAt: Int32Array;
  private heapSize = 0;
  private stamp = 0;
  private readonly path: Int32Array;
  private readonly done: PathDone;
  // The queue: a ring of requests (id, start, goal).
  private readonly qId: Int32Array;
  private readonly qStart: Int32Array;
  private readonly qGoal: Int32Array;
  private qHead = 0;
  private qCount = 0;
  /** The search in progress (the queue's head), and the nodes it expanded so far. */
  private active = false;
  private expanded = 0;
  /** Nodes expanded over all searches (for benchmarks and metrics). */
  nodesTotal = 0;

  constructor(map: GameMap, done: PathDone, o: PathfinderOptions = {}) {
    this.width = map.width;
    this.height = map.height;
    this.maxNodes = o.maxNodes ?? 4096;
    this.maxPath = o.maxPath ?? 512;
    const n = map.width * map.height;
    this.grid = o.grid ?? new WalkGrid(map);
    if (this.grid.width !== map.width || this.grid.height !== map.height) throw new Error('pathfinder: the walkability grid is not of this map');
    this.blocked = this.grid.blocked;
    this.g = new Float32Array(n);
    this.f = new Float32Array(n);
    this.parent = new Int32Array(n);
    this.seen = new Uint32Array(n);
    this.closed = new Uint32Array(n);
    this.heap = new Int32Array(Math.min(n, this.maxNodes * 8 + 8));
    this.heapAt = new Int32Array(n).fill(-1);
    this.path = new Int32Array(this.maxPath + 1);
    this.done = done;
    const q = o.maxQueued ?? 1024;
    this.qId = new Int32Array(q);
    this.qStart = new Int32Array(q);
    this.qGoal = new Int32Array(q);
  }

  /** Searches waiting, the one in progress included. */
  get queued(): number {
    return this.qCount;
  }

  /**
   * Queues a search from tile (sx, sy) to tile (gx, gy); false when the
   * queue is full (ask again next tick). A free straight line, an unwalkable
   * end or start == goal is answered at once.
   */
  request(id: number, sx: number, sy: number, gx: number, gy: number): boolean {
    const w = this.width;
    if (!this.walkable(sx, sy) || !this.walkable(gx, gy)) {
      this.done(id, false, this.path, 0);
      return true;
    }
    const start = sy * w + sx;
    const goal = gy * w + gx;
    if (start === goal) {
      this.done(id, true, this.path, 0);
      return true;
    }
    if (this.straight(sx, sy, gx, gy)) {
      this.path[0] = goal;
      this.done(id, true, this.path, 1);
      return true;
    }
    if (this.qCount === this.qId.length) return false;
    const at = (this.qHead + this.qCount) % this.qId.length;
    this.qId[at] = id;
    this.qStart[at] = start;
    this.qGoal[at] = goal;
    this.qCount++;
    return true;
  }

  /** Expands at most `budget` nodes over the queued searches; returns how many it expanded. */
  step(budget: number): number {
    let used = 0;
    while (this.qCount > 0 && used < budget) {
      if (!this.active) this.begin();
      used += this.expand(budget - used);
    }
    return used;
  }

  /** True when tile (x, y) is on the map and walkable. */
  walkable(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height && this.blocked[y * this.width + x] === 0;
  }

  /**
   * True when a walker can go straight from (x0, y0) to (x1, y1): every tile
   * the segment passes through is walkable, and where it crosses a corner
   * exactly, both tiles beside the corner are too (no corner cutting).
   */
  straight(x0: number, y0: number, x1: number, y1: number): boolean {
    return this.grid.straight(x0, y0, x1, y1);
  }


  private begin(): void {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      // Wrapped after four billion searches: clear once.
      this.seen.fill(0);
      this.closed.fill(0);
      this.stamp = 1;
    }
    this.heapSize = 0;
    this.expanded = 0;
    const start = this.qStart[this.qHead];
    this.g[start] = 0;
    this.parent[start] = -1;
    this.seen[start] = this.stamp;
    this.f[start] = this.heuristic(start, this.qGoal[this.qHead]);
    this.push(start);
    this.active = true;
  }

  private finish(found: boolean, goal: number): void {
    const id = this.qId[this.qHead];
    let length = 0;
    if (found) {
      for (let t = goal; this.parent[t] !== -1; t = this.parent[t]) length++;
      if (length > this.maxPath) found = false;
      else for (let t = goal, k = length - 1; k >= 0; t = this.parent[t], k--) this.path[k] = t;
    }
    // Leave the heap's positions clean for the next search.
    for (let i = 0; i < this.heapSize; i++) this.heapAt[this.heap[i]] = -1;
    this.heapSize = 0;
    this.active = false;
    this.qHead = (this.qHead + 1) % this.qId.length;
    this.qCount--;
    this.done(id, found, this.path, found ? length : 0);
  }

  /** Expands up to `budget` nodes of the active search; returns how many. */
  private expand(budget: number): number {
    const w = this.width;
    const goal = this.qGoal[this.qHead];
    const { g, f, parent, seen, closed, blocked } = this;
    const stamp = this.stamp;
    let used = 0;
    while (used < budget) {
      if (this.heapSize === 0 || this.expanded >= this.maxNodes) {
        this.finish(false, goal);
        return used;
      }
      const cur = this.pop();
      if (cur === goal) {
        this.finish(true, goal);
        return used;
      }
      closed[cur] = stamp;
      used++;
      this.expanded++;
      this.nodesTotal++;
      const cx = cur % w;
      const cy = (cur - cx) / w;
      for (let k = 0; k < 8; k++) {
        const nx = cx + DX[k];
        const ny = cy + DY[k];
        if (nx < 0 || ny < 0 || nx >= w || ny >= this.height) continue;
        const nb = ny * w + nx;
        if (blocked[nb] !== 0 || closed[nb] === stamp) continue;
        // No corner cutting: a diagonal needs both orthogonal tiles free.
        if (k >= 4 && (blocked[cy * w + nx] !== 0 || blocked[ny * w + cx] !== 0)) continue;
        const cost = g[cur] + (k >= 4 ? DIAG : ORTHO);
        if (seen[nb] === stamp && cost >= g[nb]) continue;
        g[nb] = cost;
        f[nb] = cost + this.heuristic(nb, goal);
        parent[nb] = cur;
        if (seen[nb] !== stamp) {
          seen[nb] = stamp;
          if (this.heapSize === this.heap.length) {
            this.finish(false, goal); // the open set outgrew its bound: give up like a capped search
            return used;
          }
          this.push(nb);
        } else this.siftUp(this.heapAt[nb]);
      }
    }
    return used;
  }

  /** Octile distance, consistent with the step costs. */
  private heuristic(a: number, b: number): number {
    const w = this.width;
    const ax = a % w;
    const bx = b % w;
    const dx = Math.abs(ax - bx);
    const dy = Math.abs((a - ax) / w - (b - bx) / w);
    return dx > dy ? dx + (DIAG - 1) * dy : dy + (DIAG - 1) * dx;
  }

  // ---- binary min-heap of tiles keyed by f -----------------------------------

  private push(t: number): void {
    const i = this.heapSize++;
    this.heap[i] = t;
    this.heapAt[t] = i;
    this.siftUp(i);
  }

  private pop(): number {
    const heap = this.heap;
    const top = heap[0];
    this.heapAt[top] = -1;
    const last = heap[--this.heapSize];
    if (this.heapSize > 0) {
      heap[0] = last;
      this.heapAt[last] = 0;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const f = this.f;
    const t = heap[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (f[heap[p]] <= f[t]) break;
      heap[i] = heap[p];
      this.heapAt[heap[i]] = i;
      i = p;
    }
    heap[i] = t;
    this.heapAt[t] = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const f = this.f;
    const n = this.heapSize;
    const t = heap[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && f[heap[c + 1]] < f[heap[c]]) c++;
      if (f[heap[c]] >= f[t]) break;
      heap[i] = heap[c];
      this.heapAt[heap[i]] = i;
      i = c;
    }
    heap[i] = t;
    this.heapAt[t] = i;
  }
}
