/** NPCs' skills (combat/npc-skills.ts) through a real zone: used instead of a due swing, by cooldown, on the target or on itself. */
import { describe, expect, it } from 'vitest';
import { CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { BITER_AT, Class, combatZone, Fighter, Npc, npcAt, run, Skill } from './fixture.ts';

describe('NPC skills', () => {
  it('an NPC bites when Bite is ready, hardens itself once, and swings while they cool down', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, BITER_AT.x + 1, BITER_AT.y);
    const biter = npcAt(z, Npc.BITER, BITER_AT);
    p.attack(biter);
    run(z, 20 * 10, p);
    const on = (type: number) => p.told(type).filter((e) => e.source === biter && e.target === p.handle);
    const attempts = [...on(CombatEvent.DAMAGE), ...on(CombatEvent.MISS), ...on(CombatEvent.DODGE)].sort((a, b) => a.tick - b.tick);
    const bites = attempts.filter((e) => e.skill === Skill.BITE);
    const swings = attempts.filter((e) => e.skill === 0);
    // 10 s of fighting, Bite every 3 s: three or four, and swings in between (one a second).
    expect(bites.length).toBeGreaterThanOrEqual(3);
    expect(bites.length).toBeLessThanOrEqual(4);
    expect(swings.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < bites.length; i++) expect(bites[i].tick - bites[i - 1].tick).toBeGreaterThanOrEqual(3 * 20);
    // A landed bite is the skill's 25 less the fighter's armor; a swing 5 less it.
    for (const b of on(CombatEvent.DAMAGE)) expect(b.amount).toBeLessThanOrEqual(b.skill === Skill.BITE ? 38 : 8);
    expect(on(CombatEvent.DAMAGE).some((e) => e.skill === Skill.BITE && e.amount > 8)).toBe(true);
    // Harden went on the biter itself, once (its cooldown is a minute).
    const hardens = p.told(CombatEvent.AURA).filter((e) => e.source === biter && e.skill === Skill.HARDEN);
    expect(hardens).toEqual([expect.objectContaining({ target: biter })]);
  });
});
