/**
 * The damage path (src/workers/combat/damage.ts) on the fixture's NPCs,
 * with the cells' seeded RNG: misses and dodges at their rates, armor's
 * mitigation exactly, heals up to the maximum, death at 0 health as a
 * corpse, and every outcome in the combat log.
 */
import { describe, expect, it } from 'vitest';
import { CombatEvent, HitFlags } from '../../../src/protocol/combat-codes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { EntityFlags } from '../../../src/shared/layout.ts';
import { EventType } from '../../../src/workers/event-types.ts';
import { School } from '../../../src/content/skill-table.ts';
import { hitInfo } from '../../../src/workers/combat/hit-info.ts';
import { loggedEvents } from '../fixtures/combat-log.ts';
import { BRUTE_AT, Class, combatAt, combatZone, DUMMY_A, Fighter, Npc, npcAt } from './fixture.ts';

const ATTACKER = 0xabcde;

describe('the damage path', () => {
  it('misses 5 % and dodges 3 % of a level-1 attacker\'s hits on a level-1 target, and lands the rest in full without armor', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const d = combatAt(z, dummy).damage;
    const f = z.views.store.f;
    const n = 4000;
    const counts = { hit: 0, miss: 0, dodge: 0 };
    for (let i = 0; i < n; i++) {
      f.hp[indexOf(dummy)] = 1000;
      d.hit(indexOf(dummy), ATTACKER, 7, hitInfo(0, School.PHYSICAL, false, false, 1), -1);
      if (i % 500 === 499 || i === n - 1) {
        z.tick();
        for (const e of loggedEvents(z.views)) {
          if (e.target !== dummy) continue;
          if (e.type === CombatEvent.DAMAGE) {
            counts.hit++;
            expect(e.amount).toBe(7);
            expect(e.source).toBe(ATTACKER);
          } else if (e.type === CombatEvent.MISS) counts.miss++;
          else if (e.type === CombatEvent.DODGE) counts.dodge++;
        }
      }
    }
    expect(counts.hit + counts.miss + counts.dodge).toBe(n);
    expect(counts.miss / n).toBeGreaterThan(0.035);
    expect(counts.miss / n).toBeLessThan(0.065);
    expect(counts.dodge / n).toBeGreaterThan(0.018);
    expect(counts.dodge / n).toBeLessThan(0.042);
  });

  it('mitigates by armor against the attacker\'s level; spells by resistance; periodic hits neither miss nor meet armor', () => {
    const z = combatZone();
    z.tick();
    const brute = npcAt(z, Npc.BRUTE, BRUTE_AT);
    const d = combatAt(z, brute).damage;
    const f = z.views.store.f;
    const amounts = new Set<number>();
    for (let i = 0; i < 300; i++) {
      f.hp[indexOf(brute)] = 400;
      d.hit(indexOf(brute), ATTACKER, 100, hitInfo(0, School.PHYSICAL, false, false, 1), -1);
      d.hit(indexOf(brute), ATTACKER, 100, hitInfo(4, 1, false, false, 1), -1);
      d.hit(indexOf(brute), ATTACKER, 9, hitInfo(6, 1, false, true, 1), -1);
    }
    z.tick();
    const log = loggedEvents(z.views).filter((e) => e.target === brute);
    for (const e of log.filter((e) => e.type === CombatEvent.DAMAGE)) amounts.add(e.skill * 1000 + e.amount);
    // Armor 10 against a level-1 attacker: 10 / (10 + 50 + 15) = 13.3 % off. No resistance: spells land in full.
    expect([...amounts].sort((a, b) => a - b)).toEqual([87, 4100, 6009]);
    const periodic = log.filter((e) => e.skill === 6);
    expect(periodic).toHaveLength(300);
    for (const e of periodic) expect(e.detail).toBe(HitFlags.PERIODIC);
    // A level-5 target misses a level-1 attacker's blows 9 % of the time.
    const misses = log.filter((e) => e.type === CombatEvent.MISS).length / 600;
    expect(misses).toBeGreaterThan(0.06);
    expect(misses).toBeLessThan(0.12);
  });

  it('heals up to the maximum; kills at 0 health: a corpse, its death in the log; a KILL event strikes down without a hit', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const s = indexOf(dummy);
    const d = combatAt(z, dummy).damage;
    const f = z.views.store.f;
    f.hp[s] = 990;
    d.heal(s, ATTACKER, 40, hitInfo(5, 0, true, false, 1), -1);
    expect(f.hp[s]).toBe(1000);
    z.tick();
    expect(loggedEvents(z.views).find((e) => e.type === CombatEvent.HEAL)).toMatchObject({ amount: 10, detail: HitFlags.CRIT, target: dummy });
    f.hp[s] = 5;
    for (let i = 0; i < 20 && (f.flags[s] & EntityFlags.DEAD) === 0; i++) d.hit(s, ATTACKER, 50, hitInfo(0, School.PHYSICAL, false, false, 1), -1);
    expect(f.flags[s] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);
    expect(f.hp[s]).toBe(0);
    z.tick();
    expect(loggedEvents(z.views).filter((e) => e.type === CombatEvent.DEATH)).toEqual([expect.objectContaining({ source: ATTACKER, target: dummy })]);
    // The dead take no more hits and no heals.
    d.hit(s, ATTACKER, 50, hitInfo(0, School.PHYSICAL, false, false, 1), -1);
    d.heal(s, ATTACKER, 50, hitInfo(0, 0, false, false, 1), -1);
    z.tick();
    expect(loggedEvents(z.views).filter((e) => e.target === dummy)).toEqual([]);

    const other = npcAt(z, Npc.DUMMY, { x: 14, y: 5 });
    z.cells[1].events.send(EventType.KILL, other, 0, 0, 0);
    z.ticks(2);
    expect(f.flags[indexOf(other)] & EntityFlags.DEAD).toBe(EntityFlags.DEAD);
  });

  it('an NPC\'s swing crits at its crit chance (5 %), for half again its damage, through the same path', () => {
    const z = combatZone();
    z.tick();
    const brute = npcAt(z, Npc.BRUTE, BRUTE_AT);
    const player = Fighter.join(z, 1, Class.FIGHTER, 40, 20);
    const f = z.views.store.f;
    const swing = combatAt(z, brute).autoAttack;
    let crits = 0;
    let hits = 0;
    for (let i = 0; i < 2000; i++) {
      swing.npc(indexOf(brute), player.handle, 20);
      if (i % 100 === 99) {
        f.hp[player.slot] = 100_000; // a target dummy here
        z.tick();
        for (const e of loggedEvents(z.views)) {
          if (e.type !== CombatEvent.DAMAGE || e.target !== player.handle) continue;
          hits++;
          // 20 (30 on a crit) against 10 armor from a level-5 attacker: 10 / (10 + 50 + 75) off.
          if (e.detail & HitFlags.CRIT) {
            crits++;
            expect(e.amount).toBe(Math.round(30 * (1 - 10 / 135)));
          } else expect(e.amount).toBe(Math.round(20 * (1 - 10 / 135)));
        }
      }
    }
    expect(hits).toBeGreaterThan(1700);
    expect(crits / hits).toBeGreaterThan(0.035);
    expect(crits / hits).toBeLessThan(0.065);
  });
});

