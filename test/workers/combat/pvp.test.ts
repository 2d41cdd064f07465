/**
 * PvP only where the map marks it (a pvp-area object in the zone pack),
 * never in a safe area: a caster in cell 0 bolts a fighter in cell 1 across
 * the border inside the arena; outside it, or with the fighter in the
 * arena's safe corner, players cannot attack players.
 */
import { describe, expect, it } from 'vitest';
import { ActionReason, CombatEvent } from '../../../src/protocol/combat-codes.ts';
import { Class, combatZone, Fighter, run, Skill } from './fixture.ts';

/** An arena over the cell border (x 24..40, y 10..20), its west end (24..26) a safe area. */
const arena = (m: Parameters<NonNullable<Parameters<typeof combatZone>[2]>>[0]) => {
  m.pvpAreas = [{ name: 'arena', x: 24, y: 10, width: 16, height: 10 }];
  m.safeAreas.push({ name: 'arena-rest', x: 24, y: 10, width: 2, height: 10 });
};

describe('PvP areas', () => {
  it('a player attacks a player inside a PvP area, across a cell border; the hit lands as any other', () => {
    const z = combatZone([], undefined, arena);
    z.tick();
    const caster = Fighter.join(z, 1, Class.CASTER, 29, 14);
    const target = Fighter.join(z, 2, Class.FIGHTER, 34, 14);
    expect([z.ownerOf(caster.handle), z.ownerOf(target.handle)]).toEqual([0, 1]);
    run(z, 2, caster, target);
    caster.use(Skill.BOLT, target.handle);
    run(z, 30, caster, target);
    const hits = target.told(CombatEvent.DAMAGE).filter((e) => e.source === caster.handle && e.skill === Skill.BOLT);
    const outcomes = target.told(CombatEvent.MISS).length + target.told(CombatEvent.DODGE).length + hits.length;
    expect(outcomes).toBe(1);
    expect(caster.told(CombatEvent.REFUSED)).toEqual([]);
    if (hits.length === 1) expect(z.views.store.f.hp[target.slot]).toBeLessThan(z.views.store.f.maxHp[target.slot]);
    // Auto-attacks too, side by side in the arena.
    const brawler = Fighter.join(z, 3, Class.FIGHTER, 33, 14);
    brawler.attack(target.handle);
    run(z, 60, caster, target, brawler);
    expect(brawler.told(CombatEvent.REFUSED)).toEqual([]);
    expect(target.told(CombatEvent.DAMAGE).some((e) => e.source === brawler.handle && e.skill === 0)).toBe(true);
    expect(z.violations).toBe(0);
  });

  it('outside the PvP area, or in a safe area inside it, a player is not attackable', () => {
    const z = combatZone([], undefined, arena);
    z.tick();
    const caster = Fighter.join(z, 1, Class.CASTER, 30, 24); // south of the arena
    const target = Fighter.join(z, 2, Class.FIGHTER, 30, 19); // in it
    const resting = Fighter.join(z, 3, Class.FIGHTER, 25, 14); // in its safe corner
    const inside = Fighter.join(z, 4, Class.CASTER, 29, 14);
    run(z, 2, caster, target, resting, inside);
    const outside = caster.use(Skill.BOLT, target.handle);
    const onResting = inside.use(Skill.BOLT, resting.handle);
    run(z, 30, caster, target, resting, inside);
    expect(caster.told(CombatEvent.REFUSED).map((e) => [e.amount, e.detail])).toEqual([[outside, ActionReason.NOT_ATTACKABLE]]);
    expect(inside.told(CombatEvent.REFUSED).map((e) => [e.amount, e.detail])).toEqual([[onResting, ActionReason.NOT_ATTACKABLE]]);
    expect(target.told(CombatEvent.DAMAGE)).toEqual([]);
    expect(resting.told(CombatEvent.DAMAGE)).toEqual([]);
    // Without any PvP area (the default), players never fight players.
    const plain = combatZone();
    plain.tick();
    const a = Fighter.join(plain, 1, Class.CASTER, 29, 14);
    const b = Fighter.join(plain, 2, Class.FIGHTER, 34, 14);
    const asked = a.use(Skill.BOLT, b.handle);
    run(plain, 30, a, b);
    expect(a.told(CombatEvent.REFUSED).map((e) => [e.amount, e.detail])).toEqual([[asked, ActionReason.NOT_ATTACKABLE]]);
  });
});
