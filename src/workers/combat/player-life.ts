import { ResourceKind } from '../../content/class-table.ts';
import { ActionReason, CombatEvent } from '../../protocol/combat-codes.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import type { SkillCaster } from './skills.ts';
import type { CombatState } from './state.ts';

/**
 * A player's death and return. At 0 health it is DEAD: it stops (movement
 * skips the dead), its cast, auto-attack and waiting skill end, its rage is
 * gone; NPCs forget it (their senses skip the dead). The RESPAWN action
 * brings it back at the zone's spawn point with full health and resource.
 */
export class PlayerLife {
  private readonly s: CombatState;
  private readonly skills: SkillCaster;

  constructor(s: CombatState, skills: SkillCaster) {
    this.s = s;
    this.skills = skills;
    s.onDeath(EntityKind.PLAYER, { die: (slot) => this.die(slot) });
  }

  private die(slot: number): void {
    const s = this.s;
    const c = s.ctx;
    const f = c.store.f;
    const p = s.players[slot];
    if (p) {
      this.skills.interrupt(slot, p, ActionReason.DEAD);
      p.autoAttack = false;
      p.waitSkill = 0;
      s.touch(slot);
    }
    f.flags[slot] = (f.flags[slot] | EntityFlags.DEAD) & ~(EntityFlags.IN_COMBAT | EntityFlags.MOVING);
    f.vx[slot] = 0;
    f.vy[slot] = 0;
    c.intents.stop(slot);
    if (s.resourceOf(slot) === ResourceKind.RAGE) f.mana[slot] = 0;
  }

  /** Brings dead player `slot` back at the zone's spawn point, full; returns 0 (done). */
  respawn(slot: number): number {
    const s = this.s;
    const c = s.ctx;
    const f = c.store.f;
    f.flags[slot] &= ~(EntityFlags.DEAD | EntityFlags.IN_COMBAT);
    s.inCombatUntil[slot] = 0;
    s.stats.compute(slot);
    f.hp[slot] = f.maxHp[slot];
    f.mana[slot] = s.resourceOf(slot) === ResourceKind.RAGE ? 0 : f.maxMana[slot];
    c.lifecycle.teleport(slot, c.map.spawnX, c.map.spawnY);
    const me = c.store.handleAt(slot);
    s.log.add(CombatEvent.RESPAWN, 0, me, me, 0, 0, s.tileOf(slot), -1);
    return 0;
  }
}
