import { ResourceKind } from '../../content/class-table.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import type { CombatState } from './state.ts';
import { Derived } from './stats.ts';

/**
 * Regeneration, once a second per entity (staggered by slot over the
 * second, so a cell does a tickHz-th of the work each tick). In combat (it
 * dealt or took damage in the last COMBAT_LINGER_S seconds): only the stats'
 * healthRegen and manaRegen. Out of combat: those plus a share of the
 * maximum (REST_HEALTH, REST_MANA), and a player's IN_COMBAT flag is
 * cleared. Energy refills at ENERGY_PER_S always; rage decays at
 * RAGE_DECAY_PER_S out of combat. The dead do not regenerate.
 */
export const Regen = {
  REST_HEALTH: 0.02,
  REST_MANA: 0.02,
  ENERGY_PER_S: 10,
  RAGE_DECAY_PER_S: 3,
} as const;

export function regenerate(s: CombatState): void {
  const c = s.ctx;
  const f = c.store.f;
  const list = c.owned.list;
  const hz = c.tickHz;
  const phase = c.tick % hz;
  for (let i = 0; i < c.owned.count; i++) {
    const slot = list[i];
    if (slot % hz !== phase) continue;
    const kind = f.kind[slot];
    if (kind !== EntityKind.PLAYER && kind !== EntityKind.NPC) continue;
    if ((f.flags[slot] & (EntityFlags.DEAD | EntityFlags.HIDDEN)) !== 0) continue;
    const rest = c.tick >= s.inCombatUntil[slot];
    if (rest && kind === EntityKind.PLAYER) f.flags[slot] &= ~EntityFlags.IN_COMBAT;
    const maxHp = f.maxHp[slot];
    if (f.hp[slot] < maxHp) {
      const hp = f.hp[slot] + Math.round(s.stats.get(slot, Derived.HP_REGEN) + (rest ? Regen.REST_HEALTH * maxHp : 0));
      f.hp[slot] = hp > maxHp ? maxHp : hp;
    }
    const maxMana = f.maxMana[slot];
    if (maxMana <= 0) continue;
    let delta = 0;
    const res = s.resourceOf(slot);
    if (res === ResourceKind.MANA) delta = s.stats.get(slot, Derived.MANA_REGEN) + (rest ? Regen.REST_MANA * maxMana : 0);
    else if (res === ResourceKind.ENERGY) delta = Regen.ENERGY_PER_S;
    else if (rest) delta = -Regen.RAGE_DECAY_PER_S;
    if (delta === 0) continue;
    const mana = f.mana[slot] + Math.round(delta);
    f.mana[slot] = mana < 0 ? 0 : mana > maxMana ? maxMana : mana;
  }
}
