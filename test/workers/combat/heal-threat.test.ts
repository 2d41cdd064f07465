/**
 * Threat from healing (combat/heal-threat.ts), across a cell border: a
 * fighter in cell 0 trades blows with an NPC that fights back in cell 1; a
 * healer in cell 0 who never touched the NPC mends the fighter, and the
 * NPC's owner puts the healer on its threat table with half what was healed.
 */
import { describe, expect, it } from 'vitest';
import { CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { PartId } from '../../../src/workers/private-state.ts';
import type { NpcMemory } from '../../../src/workers/npc/memory.ts';
import { Formula } from '../../../src/workers/combat/formula.ts';
import { Class, combatZone, DUMMY_OVER, Fighter, Npc, npcAt, run, Skill } from './fixture.ts';

/** The dummies fight back here: defensive, 12 a swing (armor takes a few). */
const biting = (c: Parameters<NonNullable<Parameters<typeof combatZone>[1]>>[0]) => {
  const d = c.npcs[Npc.DUMMY - 1];
  d.hostility = 'defensive';
  d.attack = { damage: { min: 12, max: 12 }, intervalMs: 1000, range: 2.5 };
};

describe('heal threat', () => {
  it('a heal on a player puts threat on the NPC fighting it, owned by the next cell, with the healer as its source', () => {
    const z = combatZone([], biting);
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_OVER);
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_OVER.x - 1.2, DUMMY_OVER.y);
    const healer = Fighter.join(z, 2, Class.CASTER, DUMMY_OVER.x - 6, DUMMY_OVER.y);
    expect([z.ownerOf(dummy), z.ownerOf(p.handle), z.ownerOf(healer.handle)]).toEqual([1, 0, 0]);
    p.attack(dummy);
    const f = z.views.store.f;
    for (let t = 0; t < 600 && f.hp[p.slot] > f.maxHp[p.slot] - 40; t++) run(z, 1, p, healer);
    expect(p.told(CombatEvent.DAMAGE).some((e) => e.source === dummy && e.target === p.handle)).toBe(true);
    const mem = z.cells[1].parts.get(PartId.NPC_AI) as NpcMemory;
    expect(mem.threat.of(indexOf(dummy), healer.handle)).toBe(-1); // not on its table
    healer.use(Skill.MEND, p.handle);
    run(z, 3, p, healer);
    const heal = healer.told(CombatEvent.HEAL).find((e) => e.source === healer.handle && e.target === p.handle)!;
    expect(heal.amount).toBeGreaterThan(0);
    expect(mem.threat.of(indexOf(dummy), healer.handle)).toBe(Math.max(1, Math.round(heal.amount * Formula.HEAL_THREAT)));
    expect(z.violations).toBe(0);
  });

  it('splits it among every NPC that hit the player lately, and puts none when nothing is fighting it', () => {
    const z = combatZone([], biting);
    z.tick();
    // Between the two dummies of cell 0 (10, 5) and (14, 5): both bite it.
    const a = npcAt(z, Npc.DUMMY, { x: 10, y: 5 });
    const b = npcAt(z, Npc.DUMMY, { x: 14, y: 5 });
    const p = Fighter.join(z, 1, Class.FIGHTER, 12, 5);
    const healer = Fighter.join(z, 2, Class.CASTER, 12, 9);
    const mem = z.cells[0].parts.get(PartId.NPC_AI) as NpcMemory;
    // Healed before anything fights it: no threat anywhere.
    p.use(Skill.SHOUT);
    healer.use(Skill.MEND, p.handle);
    run(z, 3, p, healer);
    expect([mem.threat.of(indexOf(a), healer.handle), mem.threat.of(indexOf(b), healer.handle)]).toEqual([-1, -1]);
    p.target(a);
    p.attack(a);
    run(z, 2, p, healer);
    run(z, 40, p, healer);
    p.attack(b);
    run(z, 60, p, healer);
    const hitBy = new Set(p.told(CombatEvent.DAMAGE).filter((e) => e.target === p.handle).map((e) => e.source));
    expect(hitBy).toEqual(new Set([a, b]));
    const before = [Math.max(0, mem.threat.of(indexOf(a), healer.handle)), Math.max(0, mem.threat.of(indexOf(b), healer.handle))];
    healer.use(Skill.MEND, p.handle);
    run(z, 3, p, healer);
    const heal = healer.told(CombatEvent.HEAL).filter((e) => e.source === healer.handle && e.target === p.handle).at(-1)!;
    expect(heal.amount).toBeGreaterThan(0);
    const share = Math.max(1, Math.round((heal.amount * Formula.HEAL_THREAT) / 2));
    expect(mem.threat.of(indexOf(a), healer.handle) - before[0]).toBe(share);
    expect(mem.threat.of(indexOf(b), healer.handle) - before[1]).toBe(share);
  });
});
