import { MoveKind } from '../protocol/opcodes.ts';
import type { Intent } from './behavior.ts';
import type { CombatCounter } from './fight.ts';
import { Route, type Routes } from './routes.ts';

/** Not 0.25 tiles further in this long while walking a route: planned again. */
const STUCK_MS = 2500;

/**
 * Walks one bot to a goal anywhere in the world: an A* route in its zone,
 * through the portal towards the goal's zone when that is another. Plans
 * again when the goal or zone changes, when told to (`replan`: after a
 * fight dragged the bot off its route, a respawn), and when it made no
 * headway for a while (counted as stuck_replans).
 */
export class Walker {
  /** Plan again at the next step. */
  replan = true;
  private readonly routes: Routes;
  private readonly count: CombatCounter;
  private readonly route = new Route();
  private goalZone = '';
  private goalX = NaN;
  private goalY = NaN;
  private progressX = 0;
  private progressY = 0;
  private progressAt = 0;

  constructor(routes: Routes, count: CombatCounter) {
    this.routes = routes;
    this.count = count;
  }

  /** The route's last corner was reached (or there is none). */
  get done(): boolean {
    return this.route.done;
  }

  /**
   * Steers `it` from `pos` in zone `here` towards (gx, gy) in zone `zone`:
   * true on arrival, false on the way, null when there is no way.
   */
  go(now: number, here: string, zone: string, gx: number, gy: number, pos: { x: number; y: number }, it: Intent): boolean | null {
    let tx = gx;
    let ty = gy;
    if (here !== zone) {
      const p = this.routes.portalToward(here, zone);
      if (p === null) return null;
      tx = p.x + p.width / 2;
      ty = p.y + p.height / 2;
    }
    if (!this.replan && (tx !== this.goalX || ty !== this.goalY || this.goalZone !== here)) this.replan = true;
    if (!this.replan && !this.route.done && now - this.progressAt > STUCK_MS) {
      this.count('stuck_replans');
      this.replan = true;
    }
    if (this.replan) {
      this.replan = false;
      this.goalX = tx;
      this.goalY = ty;
      this.goalZone = here;
      this.progressAt = now;
      this.progressX = pos.x;
      this.progressY = pos.y;
      if (!this.routes.plan(here, pos.x, pos.y, tx, ty, this.route)) {
        this.count('no_route');
        return null;
      }
    }
    if (Math.hypot(pos.x - this.progressX, pos.y - this.progressY) > 0.25) {
      this.progressAt = now;
      this.progressX = pos.x;
      this.progressY = pos.y;
    }
    const arrived = this.route.steer(pos, it, now);
    if (arrived) {
      it.move = MoveKind.STOP;
      it.dx = it.dy = 0;
    }
    return arrived && here === zone;
  }
}
