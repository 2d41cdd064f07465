import { ResourceKind } from '../../content/class-table.ts';
import { NPC_MAX_SKILLS } from '../../content/npc-table.ts';
import { Rng } from '../../shared/random.ts';
import { EntityKind, StatSlot } from '../../shared/layout.ts';
import type { CellContext } from '../system.ts';
import { pvpTiles, safeTiles } from '../safe-tiles.ts';
import { WalkGrid } from '../walk-grid.ts';
import { Auras } from './auras.ts';
import { CombatLog } from './log.ts';
import type { PlayerCombat } from './player-combat.ts';
import { CombatStats } from './stats.ts';

/** Seconds an entity stays in combat after it last dealt or took damage. */
export const COMBAT_LINGER_S = 5;

/**
 * What a kind of entity does when combat kills it: each kind registers its
 * own (players here, NPCs in the NPC AI: a corpse, experience to those who
 * fought it), so combat never branches on what an entity is. `credit` is
 * false for a death nobody earned (a KILL event).
 */
export interface DeathRules {
  die(slot: number, killer: number, credit: boolean): void;
}

/**
 * One cell's combat state, shared by the combat modules: auras and current
 * stats of every fighting entity it owns, each player's fighting state, the
 * combat log, the time each entity stays in combat, the cell's combat RNG,
 * the safe-area tiles and the walkability grid (line of sight). Built once
 * per cell; everything in typed arrays indexed by slot, except one
 * PlayerCombat per player (made when it arrives, pooled).
 */
export class CombatState {
  readonly ctx: CellContext;
  readonly auras: Auras;
  readonly stats: CombatStats;
  readonly log: CombatLog;
  readonly rng: Rng;
  readonly grid: WalkGrid;
  /** PlayerCombat by slot (players only). */
  readonly players: (PlayerCombat | undefined)[];
  /** Zone tick until which an entity counts as in combat (regeneration is slower, rage does not decay). */
  readonly inCombatUntil: Int32Array;
  /** Zone tick each NPC's skill is ready again: NPC_MAX_SKILLS per slot, in its template's order (npc-skills.ts). */
  readonly npcSkillReady: Int32Array;
  /** 1 per tile inside a safe area (no fighting there). */
  readonly safe: Uint8Array;
  /** 1 per tile where players may attack players (a PvP area, outside the safe ones). */
  readonly pvp: Uint8Array;
  /**
   * Per slot, a counter bumped whenever anything a player's self record
   * shows may change (stats, auras, experience, cooldowns, its newest
   * action, auto-attack): the self section compares these instead of
   * encoding every record every tick (snapshot-extras.ts).
   */
  readonly selfStamp: Uint32Array;
  /**
   * Per player slot, the experience it has been told (its self record's, and
   * what its levels come from): the store's `xp` once the coordinator
   * confirmed it durable, or at once without confirmation
   * (experience.ts). Never above the store's `xp`.
   */
  readonly xpShown: Uint32Array;
  /** Per player slot, the source (an NPC's handle; 0: a quest) of its newest gain not told yet, for the event that tells it. */
  readonly xpSource: Uint32Array;
  /** Experience is told only once confirmed durable (ZoneSpec.confirmExperience). */
  readonly confirmExperience: boolean;
  /** Death rules by EntityKind. */
  readonly deaths: (DeathRules | undefined)[] = [];
  readonly lingerTicks: number;

  constructor(ctx: CellContext, grid?: WalkGrid) {
    this.ctx = ctx;
    const cap = ctx.store.capacity;
    this.selfStamp = new Uint32Array(cap);
    this.auras = new Auras(cap, this.selfStamp);
    this.stats = new CombatStats(ctx.store, ctx.classes, ctx.npcs, ctx.skills, this.auras, this.selfStamp);
    this.log = new CombatLog(ctx.views.combatLog[ctx.cell], ctx.views.geometry, ctx.stats, StatSlot.combatLogged, StatSlot.combatDropped);
    this.rng = new Rng(0xc0ba7 ^ Math.imul(ctx.cell + 1, 0x9e3779b1));
    this.grid = grid ?? new WalkGrid(ctx.map);
    this.players = new Array<PlayerCombat | undefined>(cap).fill(undefined);
    this.inCombatUntil = new Int32Array(cap);
    this.npcSkillReady = new Int32Array(cap * NPC_MAX_SKILLS);
    this.xpShown = new Uint32Array(cap);
    this.xpSource = new Uint32Array(cap);
    this.confirmExperience = ctx.views.init.spec.confirmExperience === true;
    this.safe = safeTiles(ctx.zoneMap, ctx.map.width, ctx.map.height);
    this.pvp = pvpTiles(ctx.zoneMap, ctx.map.width, ctx.map.height);
    this.lingerTicks = Math.round(COMBAT_LINGER_S * ctx.tickHz);
  }

  /** AOI tile of an owned entity's position. */
  tileOf(slot: number): number {
    const f = this.ctx.store.f;
    return this.ctx.views.geometry.tileOf(f.x[slot], f.y[slot]);
  }

  /** True when the point stands in a safe area. */
  safeAt(x: number, y: number): boolean {
    return this.tileIs(this.safe, x, y);
  }

  /** True when the point stands where players may fight players. */
  pvpAt(x: number, y: number): boolean {
    return this.tileIs(this.pvp, x, y);
  }

  private tileIs(tiles: Uint8Array, x: number, y: number): boolean {
    const w = this.ctx.map.width;
    const tx = Math.floor(x);
    const ty = Math.floor(y);
    if (tx < 0 || ty < 0 || tx >= w || ty >= this.ctx.map.height) return false;
    return tiles[ty * w + tx] === 1;
  }

  /** True when there is a free line between two points (tile centres) on the walkability grid. */
  lineOfSight(x0: number, y0: number, x1: number, y1: number): boolean {
    return this.grid.straight(Math.floor(x0), Math.floor(y0), Math.floor(x1), Math.floor(y1));
  }

  /** The class of a player slot (its template), as the class table has it. */
  classOf(slot: number): number {
    const t = this.ctx.store.f.template[slot];
    return t < this.ctx.classes.count ? t : 0;
  }

  /** The resource kind of an entity: its class's for a player; NPCs use mana. */
  resourceOf(slot: number): number {
    const f = this.ctx.store.f;
    return f.kind[slot] === EntityKind.PLAYER ? this.ctx.classes.resource[this.classOf(slot)] : ResourceKind.MANA;
  }

  /** Something a player's self record shows changed (see selfStamp). */
  touch(slot: number): void {
    this.selfStamp[slot]++;
  }

  /** Marks an entity as fighting now (a player shows it in its IN_COMBAT flag). */
  engage(slot: number): void {
    this.inCombatUntil[slot] = this.ctx.tick + this.lingerTicks;
  }

  /** Registers what happens when an entity of `kind` dies. */
  onDeath(kind: number, rules: DeathRules): void {
    this.deaths[kind] = rules;
  }
}
