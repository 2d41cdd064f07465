import { ResourceKind } from '../../content/class-table.ts';
import { School } from '../../content/skill-table.ts';
import { CombatEvent, HitFlags } from '../../protocol/combat-codes.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import type { EventMessage } from '../../shared/messages/cell-to-cell.ts';
import { EventType } from '../event-types.ts';
import { Formula, missChance, mitigation } from './formula.ts';
import { hitCrit, hitLevel, hitPeriodic, hitSchool, hitSkill } from './hit-info.ts';
import { HealThreat } from './heal-threat.ts';
import type { CombatState } from './state.ts';
import { Derived } from './stats.ts';

/** Rage a player gains per point of damage it takes, and per auto-attack it lands. */
export const RAGE_PER_DAMAGE_TAKEN = 0.5;
export const RAGE_PER_SWING = 8;

/**
 * The one way damage and healing reach an entity: applied by the cell that
 * owns it, at the start of its simulate, from the event channel (DAMAGE and
 * HEAL from players' attacks and skills, MELEE from NPCs' swings, KILL) or
 * from its own periodic auras. A hit can miss (level difference) or be
 * dodged (physical, not periodic), is mitigated by armor (physical) or
 * resistance (the other schools), and kills at 0 health through the dead
 * kind's DeathRules. Every outcome goes to the combat log.
 */
export class DamagePath {
  private readonly s: CombatState;
  /** Who is fighting each player, for the threat its heals cause. */
  readonly healThreat: HealThreat;

  constructor(s: CombatState) {
    this.s = s;
    this.healThreat = new HealThreat(s);
    const ev = s.ctx.events;
    ev.on(EventType.DAMAGE, (e, slot) => this.onHit(e, slot));
    ev.on(EventType.MELEE, (e, slot) => this.onHit(e, slot));
    ev.on(EventType.HEAL, (e, slot) => this.heal(slot, e.source, e.a, e.b, e.c));
    ev.on(EventType.KILL, (e, slot) => this.kill(slot, e.source, false));
  }

  private onHit(e: EventMessage, slot: number): void {
    this.hit(slot, e.source, e.a, e.b, e.c);
  }

  /** True when `slot` can take damage now: alive, seen, not an NPC evading home. */
  canBeHit(slot: number): boolean {
    const flags = this.s.ctx.store.f.flags[slot];
    return (flags & (EntityFlags.DEAD | EntityFlags.HIDDEN | EntityFlags.EVADING)) === 0;
  }

  /**
   * A hit of `raw` (the attacker's amount) on owned `slot` from `source`
   * (`info` a HitInfo word, `sourceTile` where the source stood or -1).
   */
  hit(slot: number, source: number, raw: number, info: number, sourceTile: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    if (!this.canBeHit(slot)) return;
    const target = s.ctx.store.handleAt(slot);
    const skill = hitSkill(info);
    const tile = s.tileOf(slot);
    s.engage(slot);
    if (f.kind[slot] === EntityKind.PLAYER) this.healThreat.hitBy(slot, source);
    let amount: number;
    if (hitPeriodic(info)) amount = raw < 1 ? 1 : raw;
    else {
      const level = hitLevel(info);
      if (s.rng.int(Formula.CHANCE_SCALE) < missChance(level, f.level[slot])) {
        s.log.add(CombatEvent.MISS, 0, source, target, skill, 0, tile, sourceTile);
        return;
      }
      const school = hitSchool(info);
      if (school === School.PHYSICAL && s.rng.int(Formula.CHANCE_SCALE) < s.stats.get(slot, Derived.DODGE)) {
        s.log.add(CombatEvent.DODGE, 0, source, target, skill, 0, tile, sourceTile);
        return;
      }
      const armor = school === School.PHYSICAL ? s.stats.get(slot, Derived.ARMOR) : s.stats.get(slot, Derived.RESISTANCE);
      amount = Math.round(raw * (1 - mitigation(armor, level)));
      if (amount < 1) amount = 1;
    }
    f.hp[slot] -= amount;
    const detail = (hitCrit(info) ? HitFlags.CRIT : 0) | (hitPeriodic(info) ? HitFlags.PERIODIC : 0);
    s.log.add(CombatEvent.DAMAGE, detail, source, target, skill, amount, tile, sourceTile);
    if (f.kind[slot] === EntityKind.PLAYER) {
      f.flags[slot] |= EntityFlags.IN_COMBAT;
      if (s.resourceOf(slot) === ResourceKind.RAGE) this.addResource(slot, amount * RAGE_PER_DAMAGE_TAKEN);
    }
    if (f.hp[slot] <= 0) this.kill(slot, source, true);
  }

  /** A heal of `amount` on owned `slot`: up to its maximum; the dead are not healed. */
  heal(slot: number, source: number, amount: number, info: number, sourceTile: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    if ((f.flags[slot] & (EntityFlags.DEAD | EntityFlags.HIDDEN)) !== 0) return;
    const room = f.maxHp[slot] - f.hp[slot];
    const healed = amount < room ? (amount > 0 ? amount : 0) : room > 0 ? room : 0;
    f.hp[slot] += healed;
    if (f.kind[slot] === EntityKind.PLAYER) this.healThreat.healed(slot, source, healed);
    const detail = (hitCrit(info) ? HitFlags.CRIT : 0) | (hitPeriodic(info) ? HitFlags.PERIODIC : 0);
    s.log.add(CombatEvent.HEAL, detail, source, s.ctx.store.handleAt(slot), hitSkill(info), healed, s.tileOf(slot), sourceTile);
  }

  /** Kills owned `slot` (its health is 0 or it is struck down): its auras end, the log says so, its kind's rules follow. */
  kill(slot: number, killer: number, credit: boolean): void {
    const s = this.s;
    const f = s.ctx.store.f;
    if ((f.flags[slot] & EntityFlags.DEAD) !== 0) return;
    f.hp[slot] = 0;
    s.auras.clear(slot);
    s.stats.compute(slot);
    s.inCombatUntil[slot] = 0;
    this.healThreat.clear(slot);
    s.log.add(CombatEvent.DEATH, 0, killer, s.ctx.store.handleAt(slot), 0, 0, s.tileOf(slot), -1);
    s.deaths[f.kind[slot]]?.die(slot, killer, credit);
  }

  /** Adds `amount` (may be negative) of the slot's resource, within 0..maxMana. */
  addResource(slot: number, amount: number): void {
    const f = this.s.ctx.store.f;
    const v = f.mana[slot] + Math.round(amount);
    f.mana[slot] = v < 0 ? 0 : v > f.maxMana[slot] ? f.maxMana[slot] : v;
  }
}
