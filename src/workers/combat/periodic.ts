import { EffectType, MAX_EFFECTS } from '../../content/skill-table.ts';
import { AuraKind, CombatEvent } from '../../protocol/combat-codes.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import { EventType } from '../event-types.ts';
import { AURA_SLOTS } from './auras.ts';
import type { DamagePath } from './damage.ts';
import { auraEffect, auraLevel, auraSkill, hitInfo } from './hit-info.ts';
import type { CombatState } from './state.ts';

/** AuraKind of each EffectType (0: not an aura). */
const KIND_OF_EFFECT = [0, 0, AuraKind.DAMAGE_OVER_TIME, AuraKind.HEAL_OVER_TIME, AuraKind.BUFF, AuraKind.DEBUFF];

/**
 * Auras on the entities a cell owns: put on by AURA events (a skill's
 * buff, debuff, damage or heal over time, sent by whoever cast it), ticked
 * each tick (damage and heal over time go through the damage path, marked
 * periodic) and taken off when they end; a buff or debuff changes its
 * bearer's stats while it lasts.
 */
export class PeriodicEffects {
  private readonly s: CombatState;
  private readonly damage: DamagePath;

  constructor(s: CombatState, damage: DamagePath) {
    this.s = s;
    this.damage = damage;
    s.ctx.events.on(EventType.AURA, (e, slot) => this.apply(slot, e.source, e.a, e.b, e.c));
  }

  /** An aura of skill effect `info` (AuraInfo) from `source` on owned `slot`; `amount` per period for damage or heal over time. */
  apply(slot: number, source: number, amount: number, info: number, sourceTile: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    const sk = s.ctx.skills;
    const skill = auraSkill(info);
    const effect = auraEffect(info);
    if (skill < 1 || skill >= sk.count || effect >= sk.effectCount[skill]) return;
    if ((f.flags[slot] & (EntityFlags.DEAD | EntityFlags.HIDDEN)) !== 0) return;
    const e = skill * MAX_EFFECTS + effect;
    const kind = KIND_OF_EFFECT[sk.effType[e]] ?? 0;
    if (kind === 0) return;
    const hostile = kind === AuraKind.DEBUFF || kind === AuraKind.DAMAGE_OVER_TIME;
    if (hostile && !this.damage.canBeHit(slot)) return;
    const hz = s.ctx.tickHz;
    const duration = Math.max(1, Math.round((sk.effDurationMs[e] / 1000) * hz));
    const period = sk.effType[e] === EffectType.DAMAGE_OVER_TIME || sk.effType[e] === EffectType.HEAL_OVER_TIME ? Math.max(1, Math.round((sk.effTickMs[e] / 1000) * hz)) : 0;
    s.auras.add(slot, skill, effect, kind, source, s.ctx.tick, duration, period, amount, Math.max(1, sk.effMaxStacks[e]), sk.effSchool[e], auraLevel(info));
    if (kind === AuraKind.BUFF || kind === AuraKind.DEBUFF) s.stats.compute(slot);
    if (hostile) {
      s.engage(slot);
      if (f.kind[slot] === EntityKind.PLAYER) f.flags[slot] |= EntityFlags.IN_COMBAT;
    }
    s.log.add(CombatEvent.AURA, kind, source, s.ctx.store.handleAt(slot), skill, duration, s.tileOf(slot), sourceTile);
  }

  /** Ticks every aura of the cell's entities: periodic damage and heals, and the end of those that ran out. */
  tick(): void {
    const s = this.s;
    const c = s.ctx;
    const a = s.auras;
    const list = c.owned.list;
    const tick = c.tick;
    for (let k = 0; k < c.owned.count; k++) {
      const slot = list[k];
      if (a.count[slot] === 0) continue;
      let statsChanged = false;
      for (let i = slot * AURA_SLOTS; i < slot * AURA_SLOTS + a.count[slot]; ) {
        if (a.period[i] > 0 && tick >= a.nextTick[i]) {
          a.nextTick[i] += a.period[i];
          const info = hitInfo(a.skill[i], a.school[i], false, true, a.level[i]);
          const source = a.source[i] < 0 ? 0 : a.source[i];
          if (a.kind[i] === AuraKind.DAMAGE_OVER_TIME) this.damage.hit(slot, source, a.amount[i], info, -1);
          else if (a.kind[i] === AuraKind.HEAL_OVER_TIME) this.damage.heal(slot, source, a.amount[i], info, -1);
          // The bearer may have died of it: its auras are gone.
          if (a.count[slot] === 0) break;
        }
        if (tick >= a.endTick[i]) {
          if (a.kind[i] === AuraKind.BUFF || a.kind[i] === AuraKind.DEBUFF) statsChanged = true;
          a.removeAt(slot, i);
          continue;
        }
        i++;
      }
      if (statsChanged) s.stats.compute(slot);
    }
  }
}
