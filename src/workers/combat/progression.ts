import { experienceFor } from '../../content/class-table.ts';
import { CombatEvent } from '../../protocol/combat-codes.ts';
import { EntityKind } from '../../shared/layout.ts';
import { EventType } from '../event-types.ts';
import { experienceFactor } from './formula.ts';
import type { CombatState } from './state.ts';

/**
 * Experience and levels. The cell where an NPC dies sends each player on its
 * threat table (everyone who fought it) an EXPERIENCE event with its share
 * of the template's experience (NpcDeaths, npc/deaths.ts); the player's
 * owner scales it by the level difference, adds it (the store's `xp`,
 * which survives a cell restart) and raises the level along the class's
 * curve. A level-up recomputes the stats; the health and resource the new
 * level adds are added to the current ones.
 */
export class Progression {
  private readonly s: CombatState;

  constructor(s: CombatState) {
    this.s = s;
    s.ctx.events.on(EventType.EXPERIENCE, (e, slot) => this.gain(slot, e.a, e.b, e.source));
  }

  /** Gives owned player `slot` its share `amount` of the experience of `npc` (of level `npcLevel`). */
  gain(slot: number, amount: number, npcLevel: number, npc: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    if (f.kind[slot] !== EntityKind.PLAYER || amount <= 0) return;
    const xp = Math.round(amount * experienceFactor(npcLevel, f.level[slot]));
    if (xp <= 0) return;
    f.xp[slot] = Math.min(0xffffffff, f.xp[slot] + xp);
    s.touch(slot);
    s.players[slot]?.tell(CombatEvent.EXPERIENCE, 0, npc, s.ctx.store.handleAt(slot), 0, xp);
    this.levelUp(slot);
  }

  /** Pays owned player `slot` experience earned outside a fight (a quest's reward), at face value. */
  grant(slot: number, xp: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    if (f.kind[slot] !== EntityKind.PLAYER || xp <= 0) return;
    f.xp[slot] = Math.min(0xffffffff, f.xp[slot] + xp);
    s.touch(slot);
    s.players[slot]?.tell(CombatEvent.EXPERIENCE, 0, 0, s.ctx.store.handleAt(slot), 0, xp);
    this.levelUp(slot);
  }

  /** Raises the player's level while its experience reaches the next one. */
  levelUp(slot: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    const classes = s.ctx.classes;
    const cls = s.classOf(slot);
    while (f.level[slot] < classes.maxLevel[cls]) {
      const need = experienceFor(classes, cls, f.level[slot]);
      if (need === 0 || f.xp[slot] < need) break;
      const hp = f.maxHp[slot];
      const mana = f.maxMana[slot];
      f.level[slot]++;
      s.stats.compute(slot);
      if (f.hp[slot] > 0) f.hp[slot] = Math.min(f.maxHp[slot], f.hp[slot] + Math.max(0, f.maxHp[slot] - hp));
      f.mana[slot] = Math.min(f.maxMana[slot], f.mana[slot] + Math.max(0, f.maxMana[slot] - mana));
      const handle = s.ctx.store.handleAt(slot);
      s.log.add(CombatEvent.LEVEL_UP, 0, handle, handle, 0, f.level[slot], s.tileOf(slot), -1);
    }
  }
}
