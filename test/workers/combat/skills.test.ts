/**
 * Skills from content, through ACTIONs: a cast that shows in the caster's
 * replicated cast fields and lands when its time is up, or stops when the
 * caster moves; heals on allies; damage over time ticking; buffs and
 * debuffs changing stats (and a buff's crit chance every swing); areas at a
 * point and around a target, up to their most.
 */
import { describe, expect, it } from 'vitest';
import { ActionReason, AuraKind, CombatEvent, HitFlags } from '../../../src/protocol/combat-codes.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { Derived } from '../../../src/workers/combat/stats.ts';
import { ActionCheck, StatSlot } from '../../../src/shared/layout.ts';
import { BRUTE_AT, Class, combatAt, combatZone, unstamped, DUMMY_A, DUMMY_B, Fighter, GUARD_AT, Npc, npcAt, run, Skill } from './fixture.ts';

const landed = (p: Fighter, skill: number) => p.events.filter((e) => e.skill === skill && (e.type === CombatEvent.DAMAGE || e.type === CombatEvent.MISS || e.type === CombatEvent.DODGE));

describe('skills', () => {
  it('a cast shows to everyone, lands when its time is up, and costs only then', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const p = Fighter.join(z, 1, Class.CASTER, DUMMY_A.x + 6, DUMMY_A.y);
    run(z, 1, p);
    const mana = p.view.current.mana[p.view.current.indexOf(p.handle)];
    expect(mana).toBe(170); // 150 + 2 × 10 intellect
    p.use(Skill.BOLT, dummy);
    run(z, 2, p);
    const start = p.told(CombatEvent.CAST_START);
    expect(start).toEqual([expect.objectContaining({ source: p.handle, target: dummy, skill: Skill.BOLT, amount: 20 })]);
    const me = () => p.view.current.indexOf(p.handle);
    expect(p.view.current.castSkill[me()]).toBe(Skill.BOLT);
    expect(p.view.current.castTicks[me()]).toBe(20);
    expect(p.view.current.castEnd[me()]).toBe((start[0].tick + 20) & 0xffff);
    run(z, 25, p);
    expect(p.view.current.castSkill[me()]).toBe(0);
    const hit = landed(p, Skill.BOLT);
    expect(hit).toHaveLength(1);
    // 30 + 1 × spell power (10 + 10 intellect): fire, no resistance.
    if (hit[0].type === CombatEvent.DAMAGE) expect(hit[0].amount).toBe(hit[0].detail & HitFlags.CRIT ? 75 : 50);
    expect(p.view.current.mana[me()]).toBeLessThan(mana);
    expect(p.view.current.mana[me()]).toBeGreaterThanOrEqual(mana - 20);
  });

  it('moving stops a cast: interrupted, nothing spent, no cooldown', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const p = Fighter.join(z, 1, Class.CASTER, DUMMY_A.x + 6, DUMMY_A.y);
    p.use(Skill.BOLT, dummy);
    run(z, 5, p);
    z.input(0, 1, 1, MoveKind.DIRECTION, 1, 0);
    run(z, 30, p);
    expect(p.told(CombatEvent.CAST_INTERRUPTED)).toEqual([expect.objectContaining({ detail: ActionReason.MOVED, skill: Skill.BOLT })]);
    expect(landed(p, Skill.BOLT)).toHaveLength(0);
    expect(z.views.store.f.mana[p.slot]).toBe(170);
  });

  it('heals an ally, or oneself with no target; damage over time ticks each period, marked periodic', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const healer = Fighter.join(z, 1, Class.CASTER, DUMMY_A.x + 6, DUMMY_A.y);
    const friend = Fighter.join(z, 2, Class.FIGHTER, DUMMY_A.x + 5, DUMMY_A.y + 2);
    const f = z.views.store.f;
    f.hp[friend.slot] = 50;
    f.hp[healer.slot] = 70;
    healer.use(Skill.MEND, friend.handle);
    healer.use(Skill.MEND);
    healer.use(Skill.BURN, dummy);
    run(z, 100, healer, friend);
    expect(healer.told(CombatEvent.HEAL).map((e) => [e.target, e.amount]).sort((x, y) => x[1] - y[1])).toEqual([
      [healer.handle, 10],
      [friend.handle, 40],
    ]);
    expect(f.hp[friend.slot]).toBeGreaterThanOrEqual(90);
    const ticks = healer.told(CombatEvent.DAMAGE).filter((e) => e.skill === Skill.BURN);
    expect(ticks.map((e) => [e.amount, e.detail])).toEqual([
      [5, HitFlags.PERIODIC],
      [5, HitFlags.PERIODIC],
      [5, HitFlags.PERIODIC],
      [5, HitFlags.PERIODIC],
    ]);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].tick - ticks[i - 1].tick).toBe(20);
    expect(healer.told(CombatEvent.AURA)).toEqual([expect.objectContaining({ detail: AuraKind.DAMAGE_OVER_TIME, target: dummy, amount: 80 })]);
  });

  it('a buff raises stats while it lasts (its crit chance makes every swing a crit); a debuff lowers the target\'s', () => {
    const z = combatZone();
    z.tick();
    const dummy = npcAt(z, Npc.DUMMY, DUMMY_A);
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y);
    run(z, 1, p);
    const ap = p.view.self!.stat('attackPower');
    expect(ap).toBe(30); // 20 + 10 strength
    p.use(Skill.SHOUT);
    run(z, 2, p); // a buff lands on the next tick, as every effect does (through the event channel)
    p.attack(dummy);
    run(z, 43, p);
    expect(p.view.self!.stat('attackPower')).toBe(40);
    expect(p.view.self!.stat('critChance')).toBe(10000);
    expect(p.view.self!.auraCount).toBe(1);
    const swings = p.told(CombatEvent.DAMAGE).filter((e) => e.skill === 0);
    expect(swings.length).toBeGreaterThan(0);
    for (const s of swings) expect(s.detail & HitFlags.CRIT).toBe(HitFlags.CRIT);
    run(z, 30, p); // the buff lasts 3 s
    expect(p.view.self!.stat('attackPower')).toBe(30);
    expect(p.view.self!.auraCount).toBe(0);

    const caster = Fighter.join(z, 2, Class.CASTER, BRUTE_AT.x - 8, BRUTE_AT.y - 5);
    const brute = npcAt(z, Npc.BRUTE, BRUTE_AT);
    caster.use(Skill.CURSE, brute);
    run(z, 3, caster);
    expect(combatAt(z, brute).state.stats.get(indexOf(brute), Derived.ARMOR)).toBe(0);
    expect(unstamped(z)).toBe(0);
    expect(caster.told(CombatEvent.AURA)).toEqual([expect.objectContaining({ detail: AuraKind.DEBUFF, target: brute })]);
  });

  it('an area hits every enemy in its radius (a point, or around the target), friends spared, up to its most', () => {
    const z = combatZone();
    z.tick();
    const a = npcAt(z, Npc.DUMMY, DUMMY_A);
    const b = npcAt(z, Npc.DUMMY, DUMMY_B);
    const guard = npcAt(z, Npc.GUARD, GUARD_AT);
    const caster = Fighter.join(z, 1, Class.CASTER, 12, 9);
    caster.use(Skill.NOVA, 0, 12, 5);
    run(z, 3, caster);
    const nova = landed(caster, Skill.NOVA);
    expect(nova.map((e) => e.target).sort()).toEqual([a, b].sort());
    const fighter = Fighter.join(z, 2, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y, 2, 100);
    z.views.store.f.mana[fighter.slot] = 100;
    fighter.use(Skill.CLEAVE, a);
    run(z, 3, fighter);
    const cleave = landed(fighter, Skill.CLEAVE);
    expect(cleave.map((e) => e.target).sort()).toEqual([a, b].sort());
    expect(cleave.some((e) => e.target === guard)).toBe(false);
  });

  it('the global cooldown: after one skill no other until it ends, told as a cooldown, shown as every skill\'s ready tick', () => {
    const z = combatZone([], (c) => void (c.classes[0].globalCooldownMs = 1500));
    z.tick();
    const p = Fighter.join(z, 1, Class.FIGHTER, DUMMY_A.x + 1, DUMMY_A.y);
    run(z, 1, p);
    p.use(Skill.FOCUS);
    run(z, 2, p);
    const used = p.told(CombatEvent.AURA).find((e) => e.skill === Skill.FOCUS)!;
    expect(used).toBeDefined();
    // Every known skill's ready tick is at least the global cooldown's end (1.5 s = 30 ticks at 20 Hz).
    const self = p.view.self!;
    const gcdEnd = self.readyAt(Skill.SHOUT); // never used: only the global cooldown holds it
    expect(gcdEnd).toBeGreaterThan(p.view.lastTick);
    expect(gcdEnd - p.view.lastTick).toBeLessThanOrEqual(30);
    for (let i = 0; i < self.skillCount; i++) expect(self.readyTick[i]).toBeGreaterThanOrEqual(gcdEnd);
    // Shout is off its own cooldown but held by the global one: refused as a cooldown, no violation counted.
    const refused = p.use(Skill.SHOUT);
    run(z, 2, p);
    expect(p.told(CombatEvent.REFUSED).map((e) => [e.amount, e.detail])).toEqual([[refused, ActionReason.COOLDOWN]]);
    expect(z.cells.reduce((n, c) => n + c.stats[StatSlot.anticheat + ActionCheck.COOLDOWN], 0)).toBe(0);
    expect(p.told(CombatEvent.AURA).filter((e) => e.skill === Skill.SHOUT)).toHaveLength(0);
    // Once it ends, Shout goes.
    run(z, 30, p);
    p.use(Skill.SHOUT);
    run(z, 2, p);
    expect(p.told(CombatEvent.AURA).filter((e) => e.skill === Skill.SHOUT)).toHaveLength(1);
  });
});
