/** The damage formula's pieces, at their edges, and the HitInfo and AuraInfo words. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attackDamage, effectAmount, experienceFactor, Formula, missChance, mitigation } from '../../../src/workers/combat/formula.ts';
import { auraEffect, auraInfo, auraLevel, auraSkill, hitCrit, hitInfo, hitLevel, hitPeriodic, hitSchool, hitSkill } from '../../../src/workers/combat/hit-info.ts';

describe('the damage formula', () => {
  it('mitigation: none without armor, armor / (armor + 50 + 15 × attacker level), at most 75 %', () => {
    expect(mitigation(0, 1)).toBe(0);
    expect(mitigation(-10, 1)).toBe(0);
    expect(mitigation(65, 1)).toBeCloseTo(0.5);
    expect(mitigation(4, 1)).toBeCloseTo(4 / 69);
    expect(mitigation(80, 9)).toBeCloseTo(80 / 265);
    expect(mitigation(1e9, 1)).toBe(Formula.MITIGATION_MAX);
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 100 }), (a, l) => mitigation(a, l) >= 0 && mitigation(a, l) <= 0.75 && mitigation(a + 1, l) >= mitigation(a, l)));
  });

  it('misses: 5 % at equal levels, 1 % more per level the target is above, within 0..30 %', () => {
    expect(missChance(5, 5)).toBe(500);
    expect(missChance(1, 3)).toBe(700);
    expect(missChance(10, 1)).toBe(0);
    expect(missChance(1, 60)).toBe(3000);
  });

  it('experience: 10 % more per level the NPC is above the player, 10 % less below, within 0.1..1.5', () => {
    expect(experienceFactor(3, 3)).toBe(1);
    expect(experienceFactor(4, 2)).toBeCloseTo(1.2);
    expect(experienceFactor(1, 5)).toBeCloseTo(0.6);
    expect(experienceFactor(1, 40)).toBe(0.1);
    expect(experienceFactor(40, 1)).toBe(1.5);
  });

  it('a weapon-less swing does 20 % to 30 % of attack power, at least 1', () => {
    expect(attackDamage(30, 0)).toBe(6);
    expect(attackDamage(30, 0.999999)).toBe(9);
    expect(attackDamage(0, 0.5)).toBe(1);
    fc.assert(fc.property(fc.double({ min: 0, max: 10_000, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (ap, r) => {
      const d = attackDamage(ap, r);
      return d >= 1 && d >= Math.floor(ap * 0.2) && d <= Math.ceil(ap * 0.3) + 1;
    }));
  });

  it('a skill effect rolls min..max inclusive and adds coefficient × power', () => {
    expect(effectAmount(10, 16, 0, 0.6, 25)).toBe(25);
    expect(effectAmount(10, 16, 0.99999, 0.6, 25)).toBe(31);
    expect(effectAmount(5, 5, 0.5, 0, 100)).toBe(5);
  });
});

describe('HitInfo and AuraInfo', () => {
  it('pack and unpack every field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 7 }), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 100 }), (skill, school, crit, periodic, level) => {
        const b = hitInfo(skill, school, crit, periodic, level);
        expect(b | 0).toBe(b); // fits an i32 event word
        expect([hitSkill(b), hitSchool(b), hitCrit(b), hitPeriodic(b), hitLevel(b)]).toEqual([skill, school, crit, periodic, level]);
        const a = auraInfo(skill, school, level);
        expect([auraSkill(a), auraEffect(a), auraLevel(a)]).toEqual([skill, school, level]);
      }),
    );
  });
});
