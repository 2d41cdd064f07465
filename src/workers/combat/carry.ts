import { MAX_CLASS_SKILLS } from '../../content/class-table.ts';
import { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { CombatState } from './state.ts';

/** Layout version of a carry; a carry of another is ignored (the player arrives afresh). */
export const CARRY_VERSION = 2;

/**
 * What a player's combat brings through a portal into another zone: its
 * skills' cooldowns, its global cooldown, its auras and the experience it
 * was told (CombatState.xpShown: the JOIN's is the live figure, which may
 * not be durable yet, experience.ts). Zones number their
 * ticks apart, so every tick travels relative (ticks left; the zones share
 * TICK_HZ), and an aura's caster (a handle of the old zone) is forgotten.
 * The cell writes it into PORTAL; the gate hands it to the JOIN in the new
 * zone (or back in the old one when the new one refuses); the new cell reads
 * it once the player's entity is spawned:
 *
 *   u8 version | u8 n | n × i32 ticks left of class skill i | i32 ticks left of the global cooldown
 *   | auras as Auras.write (combat/auras.ts) with end and next ticks relative
 *   | u32 experience told | u8 level (what that experience reaches)

 */
export class CombatCarry {
  private readonly s: CombatState;
  private readonly reader = new Reader();

  constructor(s: CombatState) {
    this.s = s;
  }

  /** Writes player `slot`'s carry (a version of 0 when it has no fighting state). */
  write(slot: number, w: Writer): void {
    const s = this.s;
    const c = s.ctx;
    const p = s.players[slot];
    if (!p) {
      w.u8(0);
      return;
    }
    w.u8(CARRY_VERSION);
    const known = c.classes.skillCount[s.classOf(slot)];
    w.u8(known);
    for (let i = 0; i < known; i++) w.i32(p.cooldown[i] > c.tick ? p.cooldown[i] - c.tick : 0);
    w.i32(p.gcdEnd > c.tick ? p.gcdEnd - c.tick : 0);
    s.auras.shift(slot, -c.tick);
    s.auras.write(w, slot);
    s.auras.shift(slot, c.tick);
    w.u32(s.xpShown[slot]);
    w.u8(c.store.f.level[slot]);
  }

  /** Takes in a carry for player `slot`, just spawned here; a malformed one is dropped whole. */
  read(slot: number, bytes: Uint8Array): void {
    const s = this.s;
    const c = s.ctx;
    const p = s.players[slot];
    if (!p) return;
    const r = this.reader.reset(bytes);
    try {
      if (r.u8() !== CARRY_VERSION) return;
      const n = r.u8();
      for (let i = 0; i < n; i++) {
        const left = r.i32();
        if (i < MAX_CLASS_SKILLS) p.cooldown[i] = left > 0 ? c.tick + left : 0;
      }
      const gcd = r.i32();
      p.gcdEnd = gcd > 0 ? c.tick + gcd : 0;
      s.auras.read(r, slot);
      s.auras.shift(slot, c.tick);
      s.auras.forgetSources(slot);
      // The experience it joined with is the live figure; it is told only
      // what it was told already, and has the level that reaches (the spawn
      // raised it from the live figure, combat/part.ts).
      const shown = r.u32();
      const level = r.u8();
      const f = c.store.f;
      s.xpShown[slot] = shown < f.xp[slot] ? shown : f.xp[slot];
      if (level >= 1 && level < f.level[slot]) f.level[slot] = level;
    } catch {
      // Never from a cell of this server: the player arrives without auras and with its skills ready.
      s.auras.clear(slot);
      p.cooldown.fill(0);
      p.gcdEnd = 0;
    }
    s.stats.compute(slot);
    const f = c.store.f;
    if (f.hp[slot] > f.maxHp[slot]) f.hp[slot] = f.maxHp[slot];
    if (f.mana[slot] > f.maxMana[slot]) f.mana[slot] = f.maxMana[slot];
    s.touch(slot);
  }
}
