import type { Intent } from './behavior.ts';
import type { CombatCounter } from './fight.ts';
import type { Hunt } from './options.ts';
import type { Routes } from './routes.ts';
import { Walker } from './walker.ts';
import type { BookZone } from './world-book.ts';

/** How long a hunting ground is worked before the bot looks for another (its prey may all lie dead). */
const GROUND_MS = 45_000;
/** After no way to a ground: this long before trying again (the fighter wanders meanwhile). */
const NO_WAY_MS = 10_000;

type Area = BookZone['spawnAreas'][number];

/**
 * Takes a fight bot that knows the world to where its prey lives: with
 * nothing to fight, it walks (A* routes, walker.ts) to a spawn area of a
 * hostile NPC in its zone and roams inside it until the fighter sees prey,
 * moving on to another area after a while. Without it a fight bot wanders
 * at random, and on a world of small hunting grounds most of a fight run
 * would be walking. With the `spread` hunt (the default) a bot picks any
 * of the zone's grounds, as likely as the prey each holds, so a fleet fills
 * the zone's hunting grounds the way players do; with `nearest` it picks
 * one of the two nearest, so a fleet gathers at the spawns nearest its way
 * in (the crowded case the load bench can ask for).
 */
export class Prowler {
  /** The last decide() wrote the intent. */
  steering = false;
  private readonly routes: Routes;
  private readonly hostile: readonly number[];
  private readonly walker: Walker;
  private zone = '';
  private grounds: Area[] = [];
  private current: Area | null = null;
  private groundUntil = 0;
  private noWayUntil = 0;
  private roamX = NaN;
  private roamY = NaN;

  private readonly hunt: Hunt;

  constructor(routes: Routes, hostile: readonly number[], count: CombatCounter, hunt: Hunt) {
    this.routes = routes;
    this.hostile = hostile;
    this.hunt = hunt;
    this.walker = new Walker(routes, count);
  }

  /** The zone the bot is in (WELCOME, ZONE_CHANGE): its hunting grounds. */
  onZone(name: string): void {
    this.zone = name;
    const z = this.routes.zone(name);
    this.grounds = z === null ? [] : z.spawnAreas.filter((a) => this.hostile[a.template] === 1);
    this.current = null;
    this.walker.replan = true;
  }

  /** Steers `it` towards or about a hunting ground; false (intent untouched) when there is none to go to. */
  decide(now: number, pos: { x: number; y: number }, it: Intent, rnd: () => number): boolean {
    this.steering = false;
    if (this.grounds.length === 0 || now < this.noWayUntil) return false;
    if (this.current === null || now >= this.groundUntil) {
      this.current = this.pick(pos, rnd);
      this.groundUntil = now + GROUND_MS;
      this.roamX = NaN;
      this.walker.replan = true;
    }
    const a = this.current;
    if (Number.isNaN(this.roamX) || this.walker.done) {
      // A point inside the area: the way in first, then about it.
      this.roamX = a.x + 1 + rnd() * Math.max(0, a.width - 2);
      this.roamY = a.y + 1 + rnd() * Math.max(0, a.height - 2);
      this.walker.replan = true;
    }
    if (this.walker.go(now, this.zone, this.zone, this.roamX, this.roamY, pos, it) === null) {
      this.current = null;
      this.noWayUntil = now + NO_WAY_MS;
      return false;
    }
    this.steering = true;
    return true;
  }

  /** The hunting ground being worked (null: none yet, or no way to one). */
  get ground(): Area | null {
    return this.current;
  }

  /** After a fight or a respawn dragged the bot off its route. */
  replan(): void {
    this.walker.replan = true;
  }

  /** The next ground: by the hunt (options.ts), another than the one just worked where there is another. */
  private pick(pos: { x: number; y: number }, rnd: () => number): Area {
    return this.hunt === 'spread' ? this.pickByPrey(rnd) : this.pickNear(pos, rnd);
  }

  /** Any ground of the zone, as likely as the prey it holds (its spawn count). */
  private pickByPrey(rnd: () => number): Area {
    const last = this.grounds.length > 1 ? this.current : null;
    let total = 0;
    for (const a of this.grounds) if (a !== last) total += a.count;
    let r = rnd() * total;
    let pick = this.grounds[0];
    for (const a of this.grounds) {
      if (a === last) continue;
      pick = a;
      r -= a.count;
      if (r < 0) break;
    }
    return pick;
  }

  /** One of the two nearest grounds (by centre), at random. */
  private pickNear(pos: { x: number; y: number }, rnd: () => number): Area {
    let best = 0;
    let second = -1;
    const d = (a: Area) => (a.x + a.width / 2 - pos.x) ** 2 + (a.y + a.height / 2 - pos.y) ** 2;
    for (let i = 1; i < this.grounds.length; i++) {
      if (d(this.grounds[i]) < d(this.grounds[best])) {
        second = best;
        best = i;
      } else if (second < 0 || d(this.grounds[i]) < d(this.grounds[second])) second = i;
    }
    return this.grounds[second >= 0 && rnd() < 0.4 ? second : best];
  }
}
