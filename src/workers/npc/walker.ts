import { MoveKind } from '../../protocol/opcodes.ts';
import { EntityFlags } from '../../shared/layout.ts';
import type { NpcTable } from '../../content/npc-table.ts';
import type { CellContext } from '../system.ts';
import { PathState, WAYPOINTS, type NpcMemory } from './memory.ts';
import { PlanArg, type NpcPaths } from './paths.ts';

/** Out of combat an NPC walks at this share of its speed. */
const WALK_SHARE = 0.5;
/** A waypoint is reached within this distance (movement lands exactly on it). */
const ARRIVE = 0.05;

/** What following a path did this tick. */
export const Walk = { MOVING: 0, WAITING: 1, ARRIVED: 2, BLOCKED: 3 } as const;

/**
 * Walks NPCs along their planned paths: one waypoint at a time as a
 * destination intent for the movement system, the next leg of a long path
 * planned on arrival, and "blocked" told when movement stopped short.
 * No doubles cross a call here (V8 boxes those it passes to calls it does
 * not inline): positions are read from the store, goals from NpcPaths.args.
 */
export class NpcWalker {
  private readonly ctx: CellContext;
  private readonly mem: NpcMemory;
  private readonly paths: NpcPaths;
  private readonly npcs: NpcTable;

  constructor(ctx: CellContext, mem: NpcMemory, paths: NpcPaths) {
    this.ctx = ctx;
    this.mem = mem;
    this.paths = paths;
    this.npcs = ctx.npcs;
  }

  /** Follows the slot's path, running (1) or walking (0); see Walk. */
  follow(slot: number, template: number, run: number): number {
    const m = this.mem;
    const c = this.ctx;
    if (m.pathState[slot] === PathState.PENDING) return Walk.WAITING;
    if (m.pathState[slot] !== PathState.READY || m.wpAt[slot] >= m.wpCount[slot]) return Walk.BLOCKED;
    const f = c.store.f;
    const intents = c.intents;
    let at = slot * WAYPOINTS + m.wpAt[slot];
    if ((m.wpX[at] - f.x[slot]) ** 2 + (m.wpY[at] - f.y[slot]) ** 2 <= ARRIVE * ARRIVE) {
      if (++m.wpAt[slot] >= m.wpCount[slot]) {
        intents.stop(slot);
        const gx = f.x[slot] - m.goalX[slot];
        const gy = f.y[slot] - m.goalY[slot];
        if (gx * gx + gy * gy <= 0.25) return Walk.ARRIVED;
        // A long path walked in legs: plan the next one.
        this.paths.args[PlanArg.GX] = m.goalX[slot];
        this.paths.args[PlanArg.GY] = m.goalY[slot];
        this.plan(slot);
        return Walk.WAITING;
      }
      at++;
    } else if (intents.move[slot] === MoveKind.DESTINATION && intents.a[slot] === m.wpX[at] && intents.b[slot] === m.wpY[at]) {
      return Walk.MOVING;
    } else if (intents.a[slot] === m.wpX[at] && intents.b[slot] === m.wpY[at] && (f.flags[slot] & EntityFlags.MOVING) === 0) {
      // Movement stopped short of this waypoint without moving: something is in the way.
      return Walk.BLOCKED;
    }
    // Written in place, not through intents.set(): see NpcPaths.args on boxed doubles.
    intents.move[slot] = MoveKind.DESTINATION;
    intents.a[slot] = m.wpX[at];
    intents.b[slot] = m.wpY[at];
    intents.speed[slot] = run === 1 ? this.npcs.speed[template] : this.npcs.speed[template] * WALK_SHARE;
    return Walk.MOVING;
  }

  /** Within half a tile of home. */
  atHome(slot: number): boolean {
    const f = this.ctx.store.f;
    const dx = f.x[slot] - this.mem.homeX[slot];
    const dy = f.y[slot] - this.mem.homeY[slot];
    return dx * dx + dy * dy <= 0.25;
  }

  /** Plans a walk from where the NPC stands to the goal in `goal` (NpcPaths.args: no doubles passed). */
  plan(slot: number): void {
    const a = this.paths.args;
    const f = this.ctx.store.f;
    a[PlanArg.X] = f.x[slot];
    a[PlanArg.Y] = f.y[slot];
    this.paths.plan(slot);
  }
}
