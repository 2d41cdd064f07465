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
 * owner scales it by the level difference and adds it to the store's `xp`
 * (which survives a cell restart). The player is told it, and its level
 * rises along the class's curve, when it is shown (show): at once, or once
 * the coordinator confirmed it durable (experience.ts). A level-up
 * recomputes the stats; the health and resource the new level adds are
 * added to the current ones.
 */
export class Progression {
  private readonly s: CombatState;

  constructor(s: CombatState) {
    this.s = s;
    s.ctx.events.on(EventType.EXPERIENCE, (e, slot) => this.gain(slot, e.a, e.b, e.source));
  }

  /** Gives owned player `slot` its share `amount` of the experience of `npc` (of level `npcLevel`). */
  gain(slot: number, amount: number, npcLevel: number, npc: number): void {
    const f = this.s.ctx.store.f;
    if (f.kind[slot] !== EntityKind.PLAYER || amount <= 0) return;
    this.earn(slot, Math.round(amount * experienceFactor(npcLevel, f.level[slot])), npc);
  }

  /**
   * Pays owned player `slot` experience earned outside a fight (a quest's
   * reward), at face value. A stored reward (`seq` > 0) is paid once: one
   * at or below the store's rewardSeq is in its experience already (sent
   * again after a restart, or by a stale message); the two move together.
   */
  grant(slot: number, xp: number, seq = 0): void {
    const f = this.s.ctx.store.f;
    if (f.kind[slot] !== EntityKind.PLAYER) return;
    if (seq !== 0) {
      if (seq <= f.rewardSeq[slot]) return;
      f.rewardSeq[slot] = seq;
    }
    this.earn(slot, xp, 0);
  }

  private earn(slot: number, xp: number, source: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    if (xp <= 0) return;
    f.xp[slot] = Math.min(0xffffffff, f.xp[slot] + xp);
    s.xpSource[slot] = source;
    if (!s.confirmExperience) this.show(slot, f.xp[slot]);
  }

  /**
   * Tells owned player `slot` its experience up to `xp` (at most the
   * store's): one EXPERIENCE event for what it was not told yet, from the
   * newest gain's source, and the levels it reaches.
   */
  show(slot: number, xp: number): void {
    const s = this.s;
    const told = s.xpShown[slot];
    if (xp <= told) return;
    s.xpShown[slot] = xp;
    s.touch(slot);
    s.players[slot]?.tell(CombatEvent.EXPERIENCE, 0, s.xpSource[slot], s.ctx.store.handleAt(slot), 0, xp - told);
    this.levelUp(slot);
  }

  /** Raises the player's level while the experience it was shown reaches the next one. */
  levelUp(slot: number): void {
    const s = this.s;
    const f = s.ctx.store.f;
    const classes = s.ctx.classes;
    const cls = s.classOf(slot);
    while (f.level[slot] < classes.maxLevel[cls]) {
      const need = experienceFor(classes, cls, f.level[slot]);
      if (need === 0 || s.xpShown[slot] < need) break;
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
