import { SkillTarget } from '../../content/skill-table.ts';
import { ActionReason } from '../../protocol/combat-codes.ts';
import { indexOf } from '../../shared/entity-store.ts';
import { ActionCheck, EntityFlags, EntityKind } from '../../shared/layout.ts';
import { LOS_WALL_TILES, rockTilesAlong } from '../anticheat/wall-thickness.ts';
import type { CombatSenses } from './senses.ts';
import type { CombatState } from './state.ts';

/** Slack added to every range (positions are a tick old, and the client's a little older). */
export const RANGE_SLACK = 0.5;
/** Past range + this, a client cannot have believed its target in range: an impossible action. */
export const IMPOSSIBLE_RANGE = 5;

/**
 * Where an actor's target is and whether it may be acted on. An entity this
 * cell owns is read from the store; another cell's from what CombatSenses
 * took in the last replicate half (the actor's selected target, or the
 * target of its cast). look() fills the fields below; check() says why an
 * action on it is refused (0 when it is not), counting impossible ones as
 * anti-cheat violations.
 */
export class Targeting {
  private readonly s: CombatState;
  private readonly senses: CombatSenses;
  x = 0;
  y = 0;
  flags = 0;
  kind = 0;
  template = 0;
  level = 0;
  /** The target's distance from the actor, set by check(). */
  distance = 0;

  constructor(s: CombatState, senses: CombatSenses) {
    this.s = s;
    this.senses = senses;
  }

  /** Reads what is known of `handle` for actor `slot`; false when nothing is (gone, or not sensed). */
  look(slot: number, handle: number): boolean {
    const c = this.s.ctx;
    const store = c.store;
    if (handle === 0 || !store.isValid(handle)) return false;
    const t = indexOf(handle);
    if (c.owned.has(t)) {
      const f = store.f;
      this.x = f.x[t];
      this.y = f.y[t];
      this.flags = f.flags[t];
      this.kind = f.kind[t];
      this.template = f.template[t];
      this.level = f.level[t];
      return true;
    }
    const k = this.senses.find(slot, handle);
    if (k < 0) return false;
    const sn = this.senses;
    this.x = sn.x[k];
    this.y = sn.y[k];
    this.flags = sn.flags[k];
    this.kind = sn.kind[k];
    this.template = sn.template[k];
    this.level = sn.level[k];
    return true;
  }

  /**
   * Why actor `slot` may not act on what look() found with a skill of
   * `targetKind` (SkillTarget; auto-attacks are ENEMY) and `range`; 0 when
   * it may. `self` is true when the target is the actor itself. `strict`:
   * the client asked for this action now, so a target far out of range is
   * an impossible action (counted); an auto-attack waiting for its target
   * to come into range is not.
   */
  check(slot: number, targetKind: number, range: number, lineOfSight: boolean, self: boolean, strict = false): number {
    const s = this.s;
    const f = s.ctx.store.f;
    if ((this.flags & EntityFlags.HIDDEN) !== 0) return ActionReason.NO_TARGET;
    if ((this.flags & EntityFlags.DEAD) !== 0) return ActionReason.TARGET_DEAD;
    if (targetKind === SkillTarget.ENEMY) {
      if (self) return ActionReason.BAD_TARGET;
      if (this.kind === EntityKind.PLAYER) {
        // A player only where the map marks PvP, both of them inside it (pvpAt is never true in a safe area).
        if (!s.pvpAt(f.x[slot], f.y[slot]) || !s.pvpAt(this.x, this.y)) return ActionReason.NOT_ATTACKABLE;
      } else {
        if (this.kind !== EntityKind.NPC) return ActionReason.BAD_TARGET;
        if (!this.senses.hostile(this.kind, this.template, this.flags)) return ActionReason.NOT_ATTACKABLE;
        if (s.safeAt(f.x[slot], f.y[slot]) || s.safeAt(this.x, this.y)) return ActionReason.SAFE_AREA;
      }
    } else if (targetKind === SkillTarget.ALLY) {
      if (this.kind !== EntityKind.PLAYER) return ActionReason.BAD_TARGET;
    }
    if (self) return 0;
    const dx = this.x - f.x[slot];
    const dy = this.y - f.y[slot];
    this.distance = Math.sqrt(dx * dx + dy * dy);
    if (this.distance > range + RANGE_SLACK) {
      if (strict && this.distance > range + IMPOSSIBLE_RANGE) this.violation(slot, ActionCheck.OUT_OF_RANGE);
      return ActionReason.OUT_OF_RANGE;
    }
    if (lineOfSight && !s.lineOfSight(f.x[slot], f.y[slot], this.x, this.y)) {
      if (strict) this.throughWall(slot, this.x, this.y);
      return ActionReason.NO_LINE_OF_SIGHT;
    }
    return 0;
  }

  /** Why actor `slot` may not act at point (x, y) within `range`; 0 when it may (`strict` as for check()). */
  checkPoint(slot: number, x: number, y: number, range: number, lineOfSight: boolean, strict = false): number {
    const s = this.s;
    const f = s.ctx.store.f;
    if (s.safeAt(f.x[slot], f.y[slot])) return ActionReason.SAFE_AREA;
    const dx = x - f.x[slot];
    const dy = y - f.y[slot];
    const d = Math.sqrt(dx * dx + dy * dy);
    if (d > range + RANGE_SLACK) {
      if (strict && d > range + IMPOSSIBLE_RANGE) this.violation(slot, ActionCheck.OUT_OF_RANGE);
      return ActionReason.OUT_OF_RANGE;
    }
    if (lineOfSight && !s.lineOfSight(f.x[slot], f.y[slot], x, y)) {
      if (strict) this.throughWall(slot, x, y);
      return ActionReason.NO_LINE_OF_SIGHT;
    }
    return 0;
  }

  /** A refused line of sight from `slot` to (x, y): an impossible action when a wall at least LOS_WALL_TILES thick stands between. */
  private throughWall(slot: number, x: number, y: number): void {
    const c = this.s.ctx;
    const f = c.store.f;
    if (rockTilesAlong(c.map, Math.floor(f.x[slot]), Math.floor(f.y[slot]), Math.floor(x), Math.floor(y)) >= LOS_WALL_TILES) this.violation(slot, ActionCheck.LINE_OF_SIGHT);
  }

  /** An impossible action (ActionCheck) of actor `slot`: counted in the cell's anti-cheat slots and reported with its player (anticheat/cell-violations.ts). */
  violation(slot: number, check: number): void {
    this.s.ctx.players.violations.report(slot, check);
  }
}
