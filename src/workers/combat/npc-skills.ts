import { NPC_MAX_SKILLS } from '../../content/npc-table.ts';
import { SkillTarget } from '../../content/skill-table.ts';
import type { SkillCaster } from './skills.ts';
import type { CombatState } from './state.ts';
import { Derived } from './stats.ts';
import { RANGE_SLACK } from './targeting.ts';

/**
 * NPCs' skills (npcs.json `skills`, numbered in the NPC table): when an
 * NPC's swing is due (npc/brain.ts, in melee with its target), it uses the
 * first of its template's skills that is off cooldown and fits instead:
 * an enemy or point skill on its target when the target is within the
 * skill's range (and in sight when the skill needs it), a self or ally
 * skill on itself. The effects take the players' path (SkillCaster.effects:
 * damage, heals, auras as events to the target's owner). Unlike players',
 * an NPC's skills cost nothing, are instant (no cast time) and hit their
 * one target (no area); their cooldowns are per NPC, in ticks of the zone,
 * kept in CombatState.npcSkillReady and handed off with the NPC.
 */
export class NpcSkills {
  private readonly s: CombatState;
  private readonly caster: SkillCaster;

  constructor(s: CombatState, caster: SkillCaster) {
    this.s = s;
    this.caster = caster;
  }

  /**
   * NPC `slot`'s swing at `target` (seen at tx, ty) is due: uses a skill
   * instead when one is ready and fits, and returns true; false leaves the
   * swing to the auto-attack. Allocates nothing.
   */
  use(slot: number, target: number, tx: number, ty: number): boolean {
    const s = this.s;
    const c = s.ctx;
    const f = c.store.f;
    const npcs = c.npcs;
    const sk = c.skills;
    const template = f.template[slot];
    if (template >= npcs.count) return false;
    const n = npcs.skillCount[template];
    for (let j = 0; j < n; j++) {
      const skill = npcs.skills[template * NPC_MAX_SKILLS + j];
      if (skill === 0 || skill >= sk.count) continue;
      const at = slot * NPC_MAX_SKILLS + j;
      if (c.tick < s.npcSkillReady[at]) continue;
      const kind = sk.target[skill];
      const me = c.store.handleAt(slot);
      let to = me;
      if (kind === SkillTarget.ENEMY || kind === SkillTarget.POINT) {
        const dx = tx - f.x[slot];
        const dy = ty - f.y[slot];
        const reach = sk.range[skill] + RANGE_SLACK;
        if (dx * dx + dy * dy > reach * reach) continue;
        if (sk.lineOfSight[skill] === 1 && !s.lineOfSight(f.x[slot], f.y[slot], tx, ty)) continue;
        to = target;
      }
      s.npcSkillReady[at] = c.tick + Math.max(1, Math.round((sk.cooldownMs[skill] / 1000) * c.tickHz));
      s.engage(slot);
      this.caster.effects(me, to, skill, s.stats.get(slot, Derived.ATTACK_POWER), s.stats.get(slot, Derived.SPELL_POWER), s.stats.get(slot, Derived.CRIT), f.level[slot], s.tileOf(slot), false);
      return true;
    }
    return false;
  }
}
