import { experienceFor, ResourceKind } from '../../content/class-table.ts';
import { NPC_MAX_SKILLS } from '../../content/npc-table.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import { EntityKind } from '../../shared/layout.ts';
import { PartId, type PrivatePart } from '../private-state.ts';
import { shownFloor } from './experience.ts';
import { PlayerCombat } from './player-combat.ts';
import type { CombatState } from './state.ts';

/**
 * Combat's private-state part, for players and NPCs: the time it stays in
 * combat, its auras and, for a player, its PlayerCombat (cooldowns, cast,
 * auto-attack, actions) and the experience it was told (CombatState.xpShown, experience.ts),
 * for an NPC its skills' cooldowns. Stats are not carried: the new owner recomputes
 * them from the store (template, level) and the auras. After a cell
 * restart a player comes back from the coordinator's checkpoint
 * (checkpoint.ts) and an NPC starts afresh (no auras, no cooldowns, no
 * cast); health, level, experience and resource survive in the store.
 */
export class CombatPart implements PrivatePart {
  readonly id = PartId.COMBAT;
  readonly name = 'combat';
  private readonly s: CombatState;
  private readonly pool: PlayerCombat[] = [];
  /**
   * Set by combat/checkpoint.ts: after a restart, a player's state from the
   * coordinator's checkpoint (true when there was one); and told when a
   * slot's entity leaves this cell.
   */
  restore: ((slot: number, handle: number) => boolean) | null = null;
  onRelease: ((slot: number) => void) | null = null;

  constructor(s: CombatState) {
    this.s = s;
  }

  appliesTo(kind: number): boolean {
    return kind === EntityKind.PLAYER || kind === EntityKind.NPC;
  }

  /** Class skills whose cooldowns a player's record carries. */
  private known(slot: number): number {
    return this.s.ctx.classes.skillCount[this.s.classOf(slot)];
  }

  /** Skills whose cooldowns an NPC's record carries (0 for a player). */
  private npcSkills(slot: number): number {
    const c = this.s.ctx;
    const t = c.store.f.template[slot];
    return c.store.f.kind[slot] === EntityKind.NPC && t < c.npcs.count ? c.npcs.skillCount[t] : 0;
  }

  size(slot: number): number {
    const p = this.s.players[slot];
    return 4 + this.s.auras.size(slot) + 1 + (p ? p.size(this.known(slot)) + 8 : 0) + 1 + 4 * this.npcSkills(slot);
  }

  write(w: Writer, slot: number): void {
    w.i32(this.s.inCombatUntil[slot]);
    this.s.auras.write(w, slot);
    const p = this.s.players[slot];
    w.u8(p ? 1 : 0);
    if (p) {
      p.write(w, this.known(slot));
      w.u32(this.s.xpShown[slot]);
      w.u32(this.s.xpSource[slot]);
    }
    const n = this.npcSkills(slot);
    w.u8(n);
    for (let j = 0; j < n; j++) w.i32(this.s.npcSkillReady[slot * NPC_MAX_SKILLS + j]);
  }

  read(r: Reader, slot: number): void {
    const s = this.s;
    s.inCombatUntil[slot] = r.i32();
    s.auras.read(r, slot);
    if (r.u8() === 1) {
      const p = this.take(slot);
      p.read(r);
      const shown = r.u32();
      s.xpShown[slot] = Math.min(shown, s.ctx.store.f.xp[slot]);
      s.xpSource[slot] = r.u32();
    }
    const n = r.u8();
    for (let j = 0; j < n; j++) {
      const ready = r.i32();
      if (j < NPC_MAX_SKILLS) s.npcSkillReady[slot * NPC_MAX_SKILLS + j] = ready;
    }
    s.stats.compute(slot);
  }

  /**
   * A new fighter: a player's class (its JOIN's, or the first class when
   * that is none), level within the class's, stats, and health and resource
   * (a health of 0 is full; mana and energy start full, rage empty).
   */
  spawned(slot: number): void {
    const s = this.s;
    const c = s.ctx;
    const f = c.store.f;
    s.auras.clear(slot);
    s.inCombatUntil[slot] = 0;
    s.npcSkillReady.fill(0, slot * NPC_MAX_SKILLS, (slot + 1) * NPC_MAX_SKILLS);
    if (f.kind[slot] === EntityKind.PLAYER) {
      const classes = c.classes;
      const cls = f.template[slot];
      if (cls === 0 || cls >= classes.count) f.template[slot] = classes.count > 1 ? 1 : 0;
      const max = classes.maxLevel[s.classOf(slot)];
      if (f.level[slot] < 1) f.level[slot] = 1;
      if (f.level[slot] > max) f.level[slot] = max;
      // A level comes with at least the experience it takes.
      const floor = experienceFor(classes, s.classOf(slot), f.level[slot] - 1);
      if (f.xp[slot] < floor) f.xp[slot] = floor;
      // And experience with the levels it earns: after a crash the level saved
      // may be behind the experience a checkpoint kept (a level comes only
      // once its experience is durable, experience.ts). Silent: it was told.
      while (f.level[slot] < max) {
        const need = experienceFor(classes, s.classOf(slot), f.level[slot]);
        if (need === 0 || f.xp[slot] < need) break;
        f.level[slot]++;
      }
      // What it joins with was loaded from storage (or carried from the zone it left, combat/carry.ts).
      s.xpShown[slot] = f.xp[slot];
      s.xpSource[slot] = 0;
      this.take(slot);
      const hp = f.hp[slot];
      s.stats.compute(slot);
      f.hp[slot] = hp > 0 && hp < f.maxHp[slot] ? hp : f.maxHp[slot];
    } else {
      f.hp[slot] = f.maxHp[slot];
      s.stats.compute(slot);
      f.hp[slot] = f.maxHp[slot];
    }
    f.mana[slot] = s.resourceOf(slot) === ResourceKind.RAGE ? 0 : f.maxMana[slot];
  }

  recover(slot: number, handle: number): boolean {
    const s = this.s;
    if (s.ctx.store.f.kind[slot] === EntityKind.PLAYER && this.restore?.(slot, handle)) return true;
    s.auras.clear(slot);
    s.inCombatUntil[slot] = 0;
    if (s.ctx.store.f.kind[slot] === EntityKind.PLAYER) {
      this.take(slot);
      s.xpShown[slot] = shownFloor(s, slot);
      s.xpSource[slot] = 0;
    }
    s.stats.compute(slot);
    return true;
  }

  release(slot: number): void {
    this.onRelease?.(slot);
    const s = this.s;
    const p = s.players[slot];
    if (p) {
      s.players[slot] = undefined;
      this.pool.push(p);
    }
    s.auras.clear(slot);
    s.inCombatUntil[slot] = 0;
    s.npcSkillReady.fill(0, slot * NPC_MAX_SKILLS, (slot + 1) * NPC_MAX_SKILLS);
    s.xpShown[slot] = 0;
    s.xpSource[slot] = 0;
  }

  /** A fresh PlayerCombat for `slot` (pooled: players come and go, their objects stay). */
  private take(slot: number): PlayerCombat {
    const p = this.s.players[slot] ?? this.pool.pop() ?? new PlayerCombat();
    p.reset();
    this.s.players[slot] = p;
    return p;
  }
}
