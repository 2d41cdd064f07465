import type { GameMap } from '../../content/map-format.ts';
import { Pathfinder, type PathfinderOptions } from '../pathfinding.ts';
import { PathState, WAYPOINTS, type NpcMemory } from './memory.ts';

/** Indices of NpcPaths.args. */
export const PlanArg = { X: 0, Y: 1, GX: 2, GY: 3 } as const;

/** Slot bits of a request id; the rest is the slot's request counter. */
const SLOT_BITS = 20;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const SEQ_MASK = 0x7ff;

/**
 * The NPCs' way across the map: a straight walk when the line is free,
 * otherwise an A* search (pathfinding.ts) queued under the cell's per-tick
 * node budget, its answer string-pulled into at most WAYPOINTS corners of
 * the NPC's memory. A longer path is walked in legs: reaching the last
 * waypoint short of the goal asks again. Searches are answered by id
 * (slot and a per-slot counter), so an answer for a search the NPC has
 * abandoned (new goal, handed off, died) is dropped.
 */
export class NpcPaths {
  readonly finder: Pathfinder;
  private readonly mem: NpcMemory;
  /**
   * Arguments of plan(): from (X, Y) to (GX, GY). In an array, not as
   * parameters: V8 boxes the doubles it passes to a call it does not inline.
   */
  readonly args = new Float64Array(4);
  /** Tile each slot's search started from (where its string-pulling starts). */
  private readonly startTile: Int32Array;
  /** A* searches (straight walks excluded) that found a way, and those that found none, since start (metrics). */
  found = 0;
  failures = 0;

  constructor(map: GameMap, mem: NpcMemory, o: PathfinderOptions = {}) {
    this.mem = mem;
    this.startTile = new Int32Array(mem.state.length);
    this.finder = new Pathfinder(map, (id, found, path, length) => this.answer(id, found, path, length), o);
  }

  /**
   * Plans a walk of `slot` from args (X, Y) to (GX, GY): READY at once on a free
   * straight line (one waypoint: the goal), PENDING while a search runs.
   * False when the search queue is full (try again next tick).
   */
  plan(slot: number): boolean {
    const m = this.mem;
    const a = this.args;
    const x = a[PlanArg.X];
    const y = a[PlanArg.Y];
    const gx = a[PlanArg.GX];
    const gy = a[PlanArg.GY];
    m.clearPath(slot);
    m.goalX[slot] = gx;
    m.goalY[slot] = gy;
    const sx = Math.floor(x);
    const sy = Math.floor(y);
    const tx = Math.floor(gx);
    const ty = Math.floor(gy);
    if (this.finder.straight(sx, sy, tx, ty) && this.finder.walkable(tx, ty)) {
      m.wpX[slot * WAYPOINTS] = gx;
      m.wpY[slot * WAYPOINTS] = gy;
      m.wpCount[slot] = 1;
      m.pathState[slot] = PathState.READY;
      return true;
    }
    m.pathState[slot] = PathState.PENDING;
    this.startTile[slot] = sy * this.finder.width + sx;
    const id = slot | ((m.pathSeq[slot] & SEQ_MASK) << SLOT_BITS);
    if (this.finder.request(id, sx, sy, tx, ty)) return true;
    m.pathState[slot] = PathState.NONE;
    return false;
  }

  /** Runs queued searches for up to `budget` nodes (the cell's budget for this tick). */
  step(budget: number): number {
    return this.finder.step(budget);
  }

  private answer(id: number, found: boolean, path: Int32Array, length: number): void {
    const slot = id & SLOT_MASK;
    const m = this.mem;
    if (m.pathState[slot] !== PathState.PENDING || ((id >>> SLOT_BITS) & SEQ_MASK) !== (m.pathSeq[slot] & SEQ_MASK)) return;
    if (!found) {
      this.failures++;
      m.pathState[slot] = PathState.NONE;
      m.wpCount[slot] = 0;
      // NONE with a goal set and no waypoints: the AI reads this as "no way".
      m.wpAt[slot] = 1;
      return;
    }
    this.found++;
    const w = this.finder.width;
    const base = slot * WAYPOINTS;
    let n = 0;
    if (length === 0) {
      m.wpX[base] = m.goalX[slot];
      m.wpY[base] = m.goalY[slot];
      n = 1;
    } else {
      // String-pull: from each corner, go as far along the path as a straight line allows.
      let ax = this.startTile[slot] % w;
      let ay = Math.floor(this.startTile[slot] / w);
      let i = 0;
      while (i < length && n < WAYPOINTS) {
        let j = i;
        while (j + 1 < length && this.finder.straight(ax, ay, path[j + 1] % w, Math.floor(path[j + 1] / w))) j++;
        ax = path[j] % w;
        ay = Math.floor(path[j] / w);
        const last = j === length - 1;
        m.wpX[base + n] = last ? m.goalX[slot] : ax + 0.5;
        m.wpY[base + n] = last ? m.goalY[slot] : ay + 0.5;
        n++;
        i = j + 1;
      }
    }
    m.wpCount[slot] = n;
    m.wpAt[slot] = 0;
    m.pathState[slot] = PathState.READY;
  }

  /** True when the last plan of `slot` found no way (the NPC should give up). */
  noWay(slot: number): boolean {
    const m = this.mem;
    return m.pathState[slot] === PathState.NONE && m.wpCount[slot] === 0 && m.wpAt[slot] === 1;
  }
}
