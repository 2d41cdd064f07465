import { AiKind, Hostility, type NpcTable } from '../../content/npc-table.ts';
import { indexOf } from '../../shared/entity-store.ts';
import { EntityFlags, NPC_STATE_NAMES, StatSlot } from '../../shared/layout.ts';
import type { Rng } from '../../shared/random.ts';
import { EventType } from '../event-types.ts';
import type { CellContext } from '../system.ts';
import { NpcState, PathState, Spawner, type NpcMemory } from './memory.ts';
import { PlanArg, type NpcPaths } from './paths.ts';
import { NpcWalker, Walk } from './walker.ts';
import { NpcAggro } from './aggro.ts';
import type { NpcSenses } from './senses.ts';
import type { NpcSpawners } from './spawners.ts';
import { NO_TARGET, THREAT_ENTRIES } from './threat.ts';
import { CORPSE_S, DEFAULT_WANDER_RADIUS, EVADE_REGEN, PATROL_PAUSE_S, RANGE_SLACK, REACTION_S, REPLAN_DISTANCE, SCAN_EVERY, WANDER_PAUSE_S, WANDER_PAUSE_SPREAD_S } from './ai-tuning.ts';

/**
 * One cell's NPC AI, state by state (memory.ts names the states). Runs in
 * the simulate phase before movement: it decides each NPC's movement intent
 * and speed, switches targets by threat, leashes, attacks through the event
 * channel and respawns the dead. It reads other cells' players only through
 * NpcSenses (taken in the replicate half), never directly. Allocates nothing
 * per NPC per tick.
 */
export class NpcBrain {
  private readonly ctx: CellContext;
  private readonly mem: NpcMemory;
  private readonly senses: NpcSenses;
  private readonly paths: NpcPaths;
  private readonly spawners: NpcSpawners;
  private readonly npcs: NpcTable;
  private readonly rng: Rng;
  /** Whom it may pick a fight with, and whether a foe stepped into a safe area. */
  private readonly aggro: NpcAggro;
  private readonly walker: NpcWalker;
  /** Where walker.plan() walks to: NpcPaths.args (see there). */
  private readonly goal: Float64Array;
  /** NPC being thought about (read by inMelee, which threat selection calls). */
  private cur = 0;
  /** True when threat entry `at` of the NPC being thought about stands in its melee range. */
  private readonly inMelee = (at: number): boolean => {
    const slot = this.cur;
    const ts = indexOf(this.mem.threat.handles[at]);
    const f = this.ctx.store.f;
    const dx = this.senses.seenX[ts] - f.x[slot];
    const dy = this.senses.seenY[ts] - f.y[slot];
    const range = this.npcs.attackRange[f.template[slot]];
    return dx * dx + dy * dy <= range * range;
  };

  /** Carries out a swing (combat's auto-attack: the same damage path as players'). */
  private readonly swing: (slot: number, target: number, damage: number) => void;

  constructor(ctx: CellContext, mem: NpcMemory, senses: NpcSenses, paths: NpcPaths, spawners: NpcSpawners, rng: Rng, swing?: (slot: number, target: number, damage: number) => void) {
    this.ctx = ctx;
    this.swing = swing ?? ((slot, target, damage) => void ctx.events.send(EventType.MELEE, target, ctx.store.handleAt(slot), damage, 0, -1));
    this.mem = mem;
    this.senses = senses;
    this.paths = paths;
    this.spawners = spawners;
    this.npcs = ctx.npcs;
    this.rng = rng;
    this.goal = paths.args;
    this.walker = new NpcWalker(ctx, mem, paths);
    this.aggro = new NpcAggro(ctx, senses, paths.finder);
  }

  /** Starts an NPC's life at its spawner (a fresh spawn or a respawn). */
  begin(slot: number, template: number, spawnKind: number, spawnIndex: number, x: number, y: number): void {
    const m = this.mem;
    m.active[slot] = 1;
    m.spawnKind[slot] = spawnKind;
    m.spawnIndex[slot] = spawnIndex;
    m.homeX[slot] = x;
    m.homeY[slot] = y;
    m.patrolAt[slot] = 0;
    m.patrolDir[slot] = 1;
    m.attackTick[slot] = 0;
    this.calm(slot, template);
  }

  /** Back to the template's peaceful behaviour, threat forgotten. */
  private calm(slot: number, template: number): void {
    const m = this.mem;
    const ai = this.npcs.ai[template];
    const patrols = ai === AiKind.PATROL && this.spawners.patrol(m.spawnKind[slot], m.spawnIndex[slot]).length > 0;
    m.state[slot] = patrols ? NpcState.PATROL : ai === AiKind.WANDER ? NpcState.WANDER : NpcState.IDLE;
    m.target[slot] = NO_TARGET;
    m.threat.clear(slot);
    m.clearPath(slot);
    m.wakeTick[slot] = this.ctx.tick + this.rng.int(2 * this.ctx.tickHz);
    this.ctx.store.f.flags[slot] &= ~(EntityFlags.IN_COMBAT | EntityFlags.EVADING);
    this.ctx.intents.stop(slot);
  }

  /** One tick of every NPC this cell owns; counts them by state into the cell's stats. */
  think(): void {
    const c = this.ctx;
    const f = c.store.f;
    const list = c.owned.list;
    const byState = StatSlot.npcsByState;
    for (let k = 0; k < NPC_STATE_NAMES.length; k++) c.stats[byState + k] = 0;
    for (let i = 0; i < c.owned.count; i++) {
      const slot = list[i];
      if (this.mem.active[slot] === 0) continue;
      this.cur = slot;
      const template = f.template[slot];
      switch (this.mem.state[slot]) {
        case NpcState.DEAD:
          this.dead(slot, template);
          break;
        case NpcState.AGGRO:
        case NpcState.CHASE:
        case NpcState.ATTACK:
          this.fight(slot, template);
          break;
        case NpcState.EVADE:
          this.evade(slot, template);
          break;
        default:
          this.peaceful(slot, template);
      }
      c.stats[byState + this.mem.state[slot]]++;
      // Whom it fights, for everyone to see (the store's replicated target).
      const target = this.mem.target[slot];
      f.target[slot] = target === NO_TARGET ? 0 : target;
    }
  }

  // ---- out of combat -------------------------------------------------------

  private peaceful(slot: number, template: number): void {
    const c = this.ctx;
    const m = this.mem;
    if (this.npcs.hostility[template] === Hostility.AGGRESSIVE && (c.tick + slot) % SCAN_EVERY === 0) {
      const seen = this.aggro.scan(slot, this.npcs.aggroRadius[template]);
      if (seen !== NO_TARGET) {
        m.threat.add(slot, seen, 1);
        this.engage(slot, seen, Math.max(1, Math.round(REACTION_S * c.tickHz)));
        return;
      }
    }
    const state = m.state[slot];
    if (m.pathState[slot] !== PathState.NONE || this.paths.noWay(slot)) {
      const r = this.walker.follow(slot, template, 0);
      if (r === Walk.MOVING || r === Walk.WAITING) return;
      m.clearPath(slot);
      if (state === NpcState.RETURN && r === Walk.ARRIVED) return this.calm(slot, template);
      if (state === NpcState.PATROL && r === Walk.ARRIVED) this.nextPatrolPoint(slot);
      m.wakeTick[slot] = c.tick + (state === NpcState.PATROL ? PATROL_PAUSE_S * c.tickHz : WANDER_PAUSE_S * c.tickHz + this.rng.int(WANDER_PAUSE_SPREAD_S * c.tickHz));
      return;
    }
    if (c.tick < m.wakeTick[slot]) return;
    if (state === NpcState.WANDER) {
      this.wanderPoint(slot, template);
      this.goal[PlanArg.GX] = this.px;
      this.goal[PlanArg.GY] = this.py;
      this.walker.plan(slot);
    } else if (state === NpcState.PATROL) {
      const points = this.spawners.patrol(m.spawnKind[slot], m.spawnIndex[slot]);
      const p = points[m.patrolAt[slot]] ?? points[0];
      if (p) {
        this.goal[PlanArg.GX] = p.x;
        this.goal[PlanArg.GY] = p.y;
        this.walker.plan(slot);
      }
    } else if (state === NpcState.RETURN || !this.walker.atHome(slot)) {
      m.state[slot] = NpcState.RETURN;
      this.goal[PlanArg.GX] = m.homeX[slot];
      this.goal[PlanArg.GY] = m.homeY[slot];
      this.walker.plan(slot);
    }
  }

  private px = 0;
  private py = 0;

  /** A random walkable point to wander to, into px/py: in its spawn area, or around home. */
  private wanderPoint(slot: number, template: number): void {
    const m = this.mem;
    const area = this.spawners.area(m.spawnKind[slot], m.spawnIndex[slot]);
    const radius = this.npcs.wanderRadius[template] || DEFAULT_WANDER_RADIUS;
    for (let i = 0; i < 8; i++) {
      if (area && this.npcs.wanderRadius[template] === 0) {
        this.px = area.x + this.rng.float() * area.width;
        this.py = area.y + this.rng.float() * area.height;
      } else {
        const a = this.rng.float() * Math.PI * 2;
        const r = this.rng.float() * radius;
        this.px = m.homeX[slot] + Math.cos(a) * r;
        this.py = m.homeY[slot] + Math.sin(a) * r;
      }
      if (this.paths.finder.walkable(Math.floor(this.px), Math.floor(this.py))) return;
    }
    this.px = m.homeX[slot];
    this.py = m.homeY[slot];
  }

  private nextPatrolPoint(slot: number): void {
    const m = this.mem;
    const points = this.spawners.patrol(m.spawnKind[slot], m.spawnIndex[slot]);
    const n = points.length;
    if (n < 2) return;
    const first = points[0];
    const last = points[n - 1];
    // A closed path (ends meet) loops; an open one is walked back and forth.
    const loops = (first.x - last.x) ** 2 + (first.y - last.y) ** 2 < 0.25;
    let next = m.patrolAt[slot] + m.patrolDir[slot];
    if (loops) next = ((next % n) + n) % n;
    else if (next >= n || next < 0) {
      m.patrolDir[slot] = -m.patrolDir[slot] as -1 | 1;
      next = m.patrolAt[slot] + m.patrolDir[slot];
    }
    m.patrolAt[slot] = next;
  }

  // ---- combat -----------------------------------------------------------------

  /**
   * Threat on an NPC from `source` (combat's hits and heals, through the
   * event channel). A fighting NPC takes it; a calm one that fights back
   * joins the fight at once; a passive one only remembers it (who fought it
   * shares its experience); an evading, dead or friendly one ignores it.
   */
  onThreat(slot: number, source: number, amount: number, tauntTicks: number): void {
    const m = this.mem;
    if (m.active[slot] === 0) return;
    const state = m.state[slot];
    const template = this.ctx.store.f.template[slot];
    const h = this.npcs.hostility[template];
    if (state === NpcState.DEAD || state === NpcState.EVADE || h === Hostility.FRIENDLY) return;
    m.threat.add(slot, source, amount);
    if (h === Hostility.PASSIVE) return;
    if (tauntTicks > 0) m.threat.taunt(slot, source, this.ctx.tick + tauntTicks);
    if (state !== NpcState.AGGRO && state !== NpcState.CHASE && state !== NpcState.ATTACK) this.engage(slot, source, 0);
  }

  private engage(slot: number, target: number, reactionTicks: number): void {
    const m = this.mem;
    m.target[slot] = target;
    m.state[slot] = reactionTicks > 0 ? NpcState.AGGRO : NpcState.CHASE;
    m.wakeTick[slot] = this.ctx.tick + reactionTicks;
    m.clearPath(slot);
    this.ctx.intents.stop(slot);
    this.ctx.store.f.flags[slot] |= EntityFlags.IN_COMBAT;
  }

  private fight(slot: number, template: number): void {
    const c = this.ctx;
    const m = this.mem;
    const f = c.store.f;
    const hx = f.x[slot] - m.homeX[slot];
    const hy = f.y[slot] - m.homeY[slot];
    const leash = this.npcs.leashRadius[template];
    if (hx * hx + hy * hy > leash * leash) return this.startEvade(slot);
    // Forget whoever is gone, dead, out of sight or in a safe area (handles
    // read in place: see ThreatTables.handles).
    const s = this.senses;
    const hs = m.threat.handles;
    for (let at = slot * THREAT_ENTRIES; at < (slot + 1) * THREAT_ENTRIES; at++) {
      if (hs[at] === NO_TARGET) continue;
      const ts = indexOf(hs[at]);
      if (s.seenTick[ts] !== s.tick || s.seenHandle[ts] !== hs[at] || this.aggro.seenSafe(ts)) m.threat.drop(slot, at);
    }
    if (m.threat.select(slot, m.target, c.tick, this.inMelee)) m.clearPath(slot);
    if (m.target[slot] === NO_TARGET) return this.startEvade(slot);
    if (m.state[slot] === NpcState.AGGRO) {
      if (c.tick < m.wakeTick[slot]) return;
      m.state[slot] = NpcState.CHASE;
    }
    const ts = indexOf(m.target[slot]);
    const tx = s.seenX[ts];
    const ty = s.seenY[ts];
    const d2 = (tx - f.x[slot]) ** 2 + (ty - f.y[slot]) ** 2;
    const range = this.npcs.attackRange[template];
    if (m.state[slot] === NpcState.ATTACK && d2 > range * RANGE_SLACK * range * RANGE_SLACK) m.state[slot] = NpcState.CHASE;
    if (m.state[slot] === NpcState.CHASE && d2 <= range * range) {
      m.state[slot] = NpcState.ATTACK;
      m.clearPath(slot);
      c.intents.stop(slot);
    }
    if (m.state[slot] === NpcState.ATTACK) {
      if (c.tick >= m.attackTick[slot] && this.npcs.attackIntervalMs[template] > 0) {
        const min = this.npcs.attackMin[template];
        const damage = min + this.rng.int(this.npcs.attackMax[template] - min + 1);
        this.swing(slot, m.target[slot], damage);
        m.attackTick[slot] = c.tick + Math.max(1, Math.round((this.npcs.attackIntervalMs[template] / 1000) * c.tickHz));
      }
      return;
    }
    // Chase: re-plan when the target has moved off the planned goal.
    if (m.pathState[slot] === PathState.NONE && this.paths.noWay(slot)) return this.startEvade(slot);
    if (m.pathState[slot] === PathState.NONE || (m.goalX[slot] - tx) ** 2 + (m.goalY[slot] - ty) ** 2 > REPLAN_DISTANCE * REPLAN_DISTANCE) {
      if (m.pathState[slot] !== PathState.PENDING || c.tick >= m.wakeTick[slot]) {
        this.goal[PlanArg.GX] = tx;
        this.goal[PlanArg.GY] = ty;
        this.walker.plan(slot);
        m.wakeTick[slot] = c.tick + c.tickHz;
      }
    }
    const r = this.walker.follow(slot, template, 1);
    if (r === Walk.BLOCKED || r === Walk.ARRIVED) m.clearPath(slot);
  }

  private startEvade(slot: number): void {
    const m = this.mem;
    m.state[slot] = NpcState.EVADE;
    m.target[slot] = NO_TARGET;
    m.threat.clear(slot);
    m.clearPath(slot);
    const f = this.ctx.store.f;
    f.flags[slot] = (f.flags[slot] & ~EntityFlags.IN_COMBAT) | EntityFlags.EVADING;
    this.ctx.intents.stop(slot);
  }

  /** Walks home immune, regenerating; teleported home when no path leads there. */
  private evade(slot: number, template: number): void {
    const c = this.ctx;
    const m = this.mem;
    const f = c.store.f;
    f.hp[slot] = Math.min(f.maxHp[slot], f.hp[slot] + Math.ceil(f.maxHp[slot] * EVADE_REGEN * c.dt));
    if (this.walker.atHome(slot)) {
      f.hp[slot] = f.maxHp[slot];
      return this.calm(slot, template);
    }
    if (this.paths.noWay(slot)) {
      c.lifecycle.teleport(slot, m.homeX[slot], m.homeY[slot]);
      m.clearPath(slot);
      return;
    }
    if (m.pathState[slot] === PathState.NONE) {
      this.goal[PlanArg.GX] = m.homeX[slot];
      this.goal[PlanArg.GY] = m.homeY[slot];
      this.walker.plan(slot);
      return;
    }
    const r = this.walker.follow(slot, template, 1);
    if (r === Walk.BLOCKED || r === Walk.ARRIVED) m.clearPath(slot);
  }

  // ---- death and respawn ------------------------------------------------------

  /** Kills an NPC: a corpse for a while, then hidden until it respawns. */
  die(slot: number): void {
    const c = this.ctx;
    const m = this.mem;
    if (m.active[slot] === 0 || m.state[slot] === NpcState.DEAD) return;
    const f = c.store.f;
    const template = f.template[slot];
    m.state[slot] = NpcState.DEAD;
    m.target[slot] = NO_TARGET;
    m.threat.clear(slot);
    m.clearPath(slot);
    c.intents.stop(slot);
    f.hp[slot] = 0;
    f.flags[slot] = EntityFlags.DEAD;
    f.vx[slot] = 0;
    f.vy[slot] = 0;
    const corpse = Math.min(CORPSE_S, this.npcs.respawnSeconds[template] / 2);
    m.wakeTick[slot] = c.tick + Math.max(1, Math.round(corpse * c.tickHz));
  }

  private dead(slot: number, template: number): void {
    const c = this.ctx;
    const m = this.mem;
    if (c.tick < m.wakeTick[slot]) return;
    const f = c.store.f;
    if (m.spawnKind[slot] === Spawner.SCRIPTED) {
      // A scripted NPC (a world event's boss) lies as a corpse, then is gone.
      m.active[slot] = 0;
      c.lifecycle.despawn(slot);
      return;
    }
    if ((f.flags[slot] & EntityFlags.HIDDEN) === 0) {
      f.flags[slot] |= EntityFlags.HIDDEN;
      const jitter = this.npcs.respawnJitterSeconds[template];
      const corpse = Math.min(CORPSE_S, this.npcs.respawnSeconds[template] / 2);
      const rest = this.npcs.respawnSeconds[template] - corpse + (this.rng.float() * 2 - 1) * jitter;
      m.wakeTick[slot] = c.tick + Math.max(1, Math.round(rest * c.tickHz));
      return;
    }
    this.spawners.point(m.spawnKind[slot], m.spawnIndex[slot]);
    const x = m.spawnKind[slot] === 0 ? m.homeX[slot] : this.spawners.px;
    const y = m.spawnKind[slot] === 0 ? m.homeY[slot] : this.spawners.py;
    c.lifecycle.teleport(slot, x, y);
    f.hp[slot] = f.maxHp[slot];
    f.flags[slot] = 0;
    this.begin(slot, template, m.spawnKind[slot], m.spawnIndex[slot], x, y);
  }
}
