/**
 * Combat across a two-cell zone driven tick by tick (in-thread): a hit on an
 * NPC the neighbour cell owns, applied there and filling its threat table;
 * an NPC killed by players' damage, its experience shared by all who fought
 * it and a level gained; a player killed, standing dead, and respawned;
 * regeneration in and out of combat; auras and cooldowns through a handoff;
 * events seen from a neighbour cell's tiles, once each.
 */
import { describe, expect, it } from 'vitest';
import { ActionKind, CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityFlags, StatSlot } from '../../../src/shared/layout.ts';
import { NpcMemory } from '../../../src/workers/npc/memory.ts';
import { PartId } from '../../../src/workers/private-state.ts';
import { BRUTE_AT, Class, combatAt, combatZone, unstamped, DUMMY_A, DUMMY_B, DUMMY_OVER, Fighter, Npc, npcAt, run, Skill, SPAWN, WEAKLING_AT } from '../combat/fixture.ts';

describe('combat', () => {
  it('hits an NPC the neighbour cell owns through the event channel: applied there, on its threat table', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_OVER);
    expect(z.ownerOf(dummy)).toBe(1);
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_OVER.x - 1.2, DUMMY_OVER.y);
    expect(z.ownerOf(p.handle)).toBe(0);
    const sent = z.cells[0].stats[StatSlot.eventsSent];
    p.attack(dummy);
    run(z, 90, p);
    const f = z.views.store.f;
    const hits = p.told(CombatEvent.DAMAGE).filter((e) => e.target === dummy);
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(f.hp[indexOf(dummy)]).toBe(1000 - hits.reduce((n, e) => n + e.amount, 0));
    expect(z.cells[0].stats[StatSlot.eventsSent] - sent).toBeGreaterThanOrEqual(hits.length * 2); // THREAT, then DAMAGE
    const mem = z.cells[1].parts.get(PartId.NPC_AI) as NpcMemory;
    expect(mem.threat.of(indexOf(dummy), p.handle)).toBeGreaterThan(0);
    // A skill too: a caster in cell 0 burns it over the border.
    const caster = Fighter.join(z, 2, Class.CASTER, DUMMY_OVER.x - 6, DUMMY_OVER.y);
    caster.use(Skill.BURN, dummy);
    run(z, 30, caster);
    expect(caster.told(CombatEvent.DAMAGE).filter((e) => e.skill === Skill.BURN && e.target === dummy).length).toBeGreaterThanOrEqual(1);
    expect(z.violations).toBe(0);
  });

  it('shares an NPC\'s experience among all who fought it; enough of it raises the level, with more health', () => {
    const z = combatZone();
    z.tick();
    const weakling = npcAt(z, Npc.WEAKLING, WEAKLING_AT);
    const a = Fighter.join(z, 1, Class.FIGHTER, WEAKLING_AT.x + 1, WEAKLING_AT.y);
    const b = Fighter.join(z, 2, Class.FIGHTER, WEAKLING_AT.x - 1, WEAKLING_AT.y);
    a.attack(weakling);
    b.attack(weakling);
    const f = z.views.store.f;
    for (let t = 0; t < 400 && (f.flags[indexOf(weakling)] & EntityFlags.DEAD) === 0; t++) run(z, 1, a, b);
    run(z, 3, a, b);
    expect(f.flags[indexOf(weakling)] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);
    expect(a.told(CombatEvent.DEATH).filter((e) => e.target === weakling)).toHaveLength(1);
    // 100 experience for two: 50 each, 10 % more for a level-2 NPC against level-1 players.
    for (const p of [a, b]) {
      expect(p.told(CombatEvent.EXPERIENCE)).toEqual([expect.objectContaining({ source: weakling, target: p.handle, amount: 55 })]);
      expect(p.view.self!.xp).toBe(55);
      expect(f.level[p.slot]).toBe(1);
      expect(p.told(CombatEvent.EXPERIENCE).length + p.told(CombatEvent.REFUSED).length).toBe(1);
    }
    expect(a.view.self!.autoAttack).toBe(false); // its target died

    // Alone, a kill worth 100 takes the first to 155: level 2 (at 100), 10 more health, the next level at 250.
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    f.hp[indexOf(dummy)] = 15;
    const at = a.view.lastTick;
    z.cells[0].lifecycle.teleport(a.slot, DUMMY_A.x + 1, DUMMY_A.y);
    run(z, 2, a);
    a.attack(dummy);
    for (let t = 0; t < 400 && (f.flags[indexOf(dummy)] & EntityFlags.DEAD) === 0; t++) run(z, 1, a);
    run(z, 3, a);
    expect(a.told(CombatEvent.EXPERIENCE, at)).toEqual([expect.objectContaining({ amount: 100 })]);
    expect(a.told(CombatEvent.LEVEL_UP)).toEqual([expect.objectContaining({ source: a.handle, target: a.handle, amount: 2 })]);
    expect(f.level[a.slot]).toBe(2);
    expect(f.maxHp[a.slot]).toBe(130);
    const me = a.view.current.indexOf(a.handle);
    expect([a.view.current.level[me], a.view.current.maxHp[me]]).toEqual([2, 130]);
    expect([a.view.self!.xp, a.view.self!.xpLevel, a.view.self!.xpNext]).toEqual([155, 100, 250]);
    expect(a.view.self!.knows(Skill.CLEAVE)).toBe(true); // learned at level 2
    expect(unstamped(z)).toBe(0);
  });

  it('a player at 0 health is dead: it stands, NPCs leave it, and RESPAWN brings it back at the spawn point, full', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, BRUTE_AT.x - 3, BRUTE_AT.y);
    const f = z.views.store.f;
    for (let t = 0; t < 400 && (f.flags[p.slot] & EntityFlags.DEAD) === 0; t++) run(z, 1, p);
    expect(f.flags[p.slot] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);
    expect(f.hp[p.slot]).toBe(0);
    const brute = npcAt(z, Npc.BRUTE, BRUTE_AT);
    expect(p.told(CombatEvent.DEATH)).toEqual([expect.objectContaining({ source: brute, target: p.handle })]);
    const where = [f.x[p.slot], f.y[p.slot]];
    z.input(z.ownerOf(p.handle), 1, 1, MoveKind.DIRECTION, 1, 0);
    const refused = p.attack(brute);
    run(z, 40, p);
    expect([f.x[p.slot], f.y[p.slot]]).toEqual(where);
    expect(p.told(CombatEvent.REFUSED).map((e) => [e.amount, e.detail])).toEqual([[refused, 11]]); // DEAD
    expect(f.flags[brute & 0xfffff] & EntityFlags.IN_COMBAT).toBe(0);
    p.act(ActionKind.RESPAWN);
    run(z, 3, p);
    expect(f.flags[p.slot] & EntityFlags.DEAD).toBe(0);
    expect(f.hp[p.slot]).toBe(f.maxHp[p.slot]);
    expect(Math.hypot(f.x[p.slot] - SPAWN.x, f.y[p.slot] - SPAWN.y)).toBeLessThan(1);
    expect(p.told(CombatEvent.RESPAWN)).toEqual([expect.objectContaining({ target: p.handle })]);
  });

  it('regenerates health and mana each second: the stats\' rates in combat, and a share of the maximum out of it', () => {
    const z = combatZone();
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, 40, 10);
    const c = Fighter.join(z, 2, Class.CASTER, 42, 10);
    const f = z.views.store.f;
    f.hp[p.slot] = 50;
    f.mana[c.slot] = 0;
    run(z, 100, p, c);
    // Out of combat: 2 + 2 % of 120 = 4 health a second; 3 + 2 % of 170 = 6 mana a second.
    expect(f.hp[p.slot]).toBe(70);
    expect(f.mana[c.slot]).toBe(30);
    // In combat (it dealt or took damage in the last 5 s): only its healthRegen of 2 a second; and rage does not decay.
    f.hp[p.slot] = 50;
    f.mana[p.slot] = 30;
    combatAt(z, p.handle).state.engage(p.slot);
    run(z, 40, p, c);
    expect(f.hp[p.slot]).toBe(54);
    expect(f.mana[p.slot]).toBe(30);
    expect(f.flags[p.slot] & EntityFlags.IN_COMBAT).toBe(0); // engaged directly here, not by a hit
    // Out of it again: rage decays 3 a second.
    run(z, 80, p, c);
    expect(f.mana[p.slot]).toBeLessThan(30);
  });

  it('a player handed to another cell keeps its auras, cooldowns and experience', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y, 2, 120);
    const f = z.views.store.f;
    f.mana[p.slot] = 100;
    p.use(Skill.FOCUS);
    p.use(Skill.STRIKE, dummy);
    run(z, 3, p);
    const ready = p.view.self!.readyAt(Skill.STRIKE);
    expect(ready).toBeGreaterThan(p.view.lastTick);
    expect(p.view.self!.auraCount).toBe(1);
    z.cells[0].lifecycle.teleport(p.slot, 44, 10);
    run(z, 3, p);
    expect(z.ownerOf(p.handle)).toBe(1);
    expect(p.view.self!.readyAt(Skill.STRIKE)).toBe(ready);
    expect(p.view.self!.auraCount).toBe(1);
    expect(p.view.self!.stat('dodgeChance')).toBe(10000);
    expect(p.view.self!.xp).toBe(120);
    // The cooldown holds in the new cell too.
    z.cells[1].lifecycle.teleport(p.slot, DUMMY_OVER.x + 1, DUMMY_OVER.y);
    run(z, 3, p);
    const again = p.use(Skill.STRIKE, npcAt(z, Npc.DUMMY, DUMMY_OVER));
    run(z, 3, p);
    expect(p.told(CombatEvent.REFUSED).map((e) => [e.amount, e.detail])).toEqual([[again, 2]]); // COOLDOWN
    expect(z.violations).toBe(0);
    expect(unstamped(z)).toBe(0);
  });

  it('a viewer sees the events of a neighbour cell\'s tiles, each once, also when only the source is in its view', () => {
    const z = combatZone();
    z.tick();
    const b = npcAt(z, Npc.DUMMY, DUMMY_B);
    // The caster stands in tile 1 (x 16..32), its target in tile 0: the hit is logged under
    // both tiles. A viewer in cell 1 at x 40 sees tiles 1..2 only; one at x 20 sees tiles 0..2.
    const caster = Fighter.join(z, 1, Class.CASTER, DUMMY_B.x + 9.5, DUMMY_B.y);
    const far = Fighter.join(z, 2, Class.FIGHTER, 40, 5);
    const near = Fighter.join(z, 3, Class.FIGHTER, 20, 4);
    expect(z.ownerOf(far.handle)).toBe(1);
    caster.use(Skill.BOLT, b);
    run(z, 30, caster, far, near);
    const hit = (p: Fighter) => p.events.filter((e) => e.skill === Skill.BOLT && e.target === b && e.type !== CombatEvent.CAST_START);
    expect(hit(caster)).toHaveLength(1);
    expect(hit(far)).toEqual(hit(caster));
    expect(hit(near)).toEqual(hit(caster));
    expect(far.events.filter((e) => e.type === CombatEvent.CAST_START)).toHaveLength(1);
  });
});

