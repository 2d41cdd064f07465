import { ResourceKind } from '../../content/class-table.ts';
import { School, SkillTarget } from '../../content/skill-table.ts';
import { ActionReason } from '../../protocol/combat-codes.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import { EventType } from '../event-types.ts';
import { RAGE_PER_SWING, type DamagePath } from './damage.ts';
import { attackDamage, Formula } from './formula.ts';
import { hitInfo } from './hit-info.ts';
import type { PlayerCombat } from './player-combat.ts';
import type { CombatState } from './state.ts';
import { Derived } from './stats.ts';
import type { Targeting } from './targeting.ts';

/**
 * Auto-attacks. A player's: a weapon-less swing at its selected target
 * every Formula.ATTACK_INTERVAL_MS while in range and in sight, its damage
 * from its attack power (formula.ts), not while casting; it stops when the
 * target dies or cannot be fought. An NPC's swings are decided by its brain
 * (npc/brain.ts) and come through npc() here, so they meet the same damage
 * path: the NPC's auras change them, they may crit, and the target's owner
 * applies dodge and armor.
 */
export class AutoAttack {
  private readonly s: CombatState;
  private readonly t: Targeting;
  private readonly damage: DamagePath;
  private readonly interval: number;

  constructor(s: CombatState, targeting: Targeting, damage: DamagePath) {
    this.s = s;
    this.t = targeting;
    this.damage = damage;
    this.interval = Math.max(1, Math.round((Formula.ATTACK_INTERVAL_MS / 1000) * s.ctx.tickHz));
  }

  /** A tick of player `slot`'s auto-attack: it stops as soon as its target is gone or dead, and swings when its timer allows. */
  player(slot: number, p: PlayerCombat): void {
    const s = this.s;
    const c = s.ctx;
    if (!p.autoAttack) return;
    const f = c.store.f;
    const target = f.target[slot];
    if (target === 0 || !c.store.isValid(target)) {
      p.autoAttack = false;
      s.touch(slot);
      return;
    }
    if (!this.t.look(slot, target)) return; // not sensed yet: next tick
    if ((this.t.flags & EntityFlags.DEAD) !== 0) {
      p.autoAttack = false;
      s.touch(slot);
      return;
    }
    if (p.castSkill !== 0 || c.tick < p.nextSwing) return;
    const me = c.store.handleAt(slot);
    const why = this.t.check(slot, SkillTarget.ENEMY, Formula.ATTACK_RANGE, true, target === me);
    if (why === ActionReason.TARGET_DEAD || why === ActionReason.NOT_ATTACKABLE || why === ActionReason.BAD_TARGET || why === ActionReason.NO_TARGET) {
      p.autoAttack = false;
      s.touch(slot);
      return;
    }
    if (why !== 0) return; // out of range or sight, or in a safe area: swings when it can
    let raw = attackDamage(s.stats.get(slot, Derived.ATTACK_POWER), s.rng.float());
    const crit = s.rng.int(Formula.CHANCE_SCALE) < s.stats.get(slot, Derived.CRIT);
    if (crit) raw = Math.round(raw * Formula.CRIT_MULTIPLIER);
    const ev = c.events;
    if (this.t.kind === EntityKind.NPC) ev.send(EventType.THREAT, target, me, raw, 0);
    ev.send(EventType.DAMAGE, target, me, raw, hitInfo(0, School.PHYSICAL, crit, false, f.level[slot]), s.tileOf(slot));
    p.nextSwing = c.tick + this.interval;
    s.engage(slot);
    f.flags[slot] |= EntityFlags.IN_COMBAT;
    if (s.resourceOf(slot) === ResourceKind.RAGE) this.damage.addResource(slot, RAGE_PER_SWING);
  }

  /** NPC `slot` swings at `target` for `damage` (its template's roll). */
  npc(slot: number, target: number, damage: number): void {
    const s = this.s;
    const c = s.ctx;
    const bonus = (s.stats.get(slot, Derived.ATTACK_POWER) - s.stats.baseAttackPower(slot)) * Formula.NPC_ATTACK_POWER_SHARE;
    let raw = Math.max(1, Math.round(damage + bonus));
    const crit = s.rng.int(Formula.CHANCE_SCALE) < s.stats.get(slot, Derived.CRIT);
    if (crit) raw = Math.round(raw * Formula.CRIT_MULTIPLIER);
    s.engage(slot);
    c.events.send(EventType.MELEE, target, c.store.handleAt(slot), raw, hitInfo(0, School.PHYSICAL, crit, false, c.store.f.level[slot]), s.tileOf(slot));
  }
}
