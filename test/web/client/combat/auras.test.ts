/**
 * Auras as the frames show them, in Node: the player's own from its self
 * record, another's from AURA events (refreshed by skill, gone when they
 * run out, when it dies or comes back, or leaves the view), their order and
 * time labels; and the sign each skill's drawn icon carries.
 */
import { describe, expect, it } from 'vitest';
import { AuraKind, CombatEvent } from '../../../../src/protocol/combat-codes.ts';
import { SelfState } from '../../../../src/protocol/self-state.ts';
import { AURA_KIND_WORDS, AuraBook, auraHelpful, auraTimeLabel, selfAuras } from '../../../../web/client/src/combat/auras.ts';
import { iconSign } from '../../../../web/client/src/combat/icon-sign.ts';

describe('others\' auras from AURA events', () => {
  it('keeps each aura until its end tick, refreshing the same skill', () => {
    const book = new AuraBook();
    book.onEvent(CombatEvent.AURA, AuraKind.DEBUFF, 7, 5, 120, 1000); // skill 5 on entity 7 for 120 ticks
    book.onEvent(CombatEvent.AURA, AuraKind.DAMAGE_OVER_TIME, 7, 9, 40, 1000);
    book.onEvent(CombatEvent.AURA, AuraKind.BUFF, 8, 2, 600, 1000);
    expect(book.of(7, 1010).map((a) => a.skill)).toEqual([9, 5]); // soonest to end first
    expect(book.of(7, 1040).map((a) => a.skill)).toEqual([5]); // the DoT ran out at 1040
    book.onEvent(CombatEvent.AURA, AuraKind.DEBUFF, 7, 5, 120, 1100); // applied again: refreshed, one more stack
    expect(book.of(7, 1150)).toEqual([{ skill: 5, kind: AuraKind.DEBUFF, endTick: 1220, stacks: 2 }]);
    expect(book.of(7, 1220)).toEqual([]);
    expect(book.of(8, 1220).map((a) => a.skill)).toEqual([2]);
    expect(book.of(99, 1220)).toEqual([]);
  });

  it('forgets an entity\'s auras when it dies, comes back, or leaves the view', () => {
    const book = new AuraBook();
    book.onEvent(CombatEvent.AURA, AuraKind.DEBUFF, 7, 5, 999, 0);
    book.onEvent(CombatEvent.AURA, AuraKind.DEBUFF, 8, 5, 999, 0);
    book.onEvent(CombatEvent.AURA, AuraKind.DEBUFF, 9, 5, 999, 0);
    book.onEvent(CombatEvent.DEATH, 0, 7, 0, 0, 10);
    book.onEvent(CombatEvent.RESPAWN, 0, 8, 0, 0, 10);
    book.onEvent(CombatEvent.DAMAGE, 0, 9, 5, 30, 10); // other events change nothing
    expect([book.of(7, 11), book.of(8, 11)]).toEqual([[], []]);
    expect(book.of(9, 11)).toHaveLength(1);
    book.prune((id) => id !== 9);
    expect(book.of(9, 11)).toEqual([]);
  });

  it('keeps at most 16 auras on one entity', () => {
    const book = new AuraBook();
    for (let skill = 1; skill <= 40; skill++) book.onEvent(CombatEvent.AURA, AuraKind.DEBUFF, 7, skill, 100, 0);
    expect(book.of(7, 1)).toHaveLength(16);
  });
});

describe('the player\'s auras', () => {
  it('come from the self record, helpful first, without those already over; a lasting one (end 0) stays', () => {
    const s = new SelfState();
    s.auraCount = 4;
    s.auraSkill.set([3, 4, 5, 6]);
    s.auraKind.set([AuraKind.DAMAGE_OVER_TIME, AuraKind.HEAL_OVER_TIME, AuraKind.BUFF, AuraKind.DEBUFF]);
    s.auraEnd.set([500, 900, 0, 300]);
    s.auraStacks.set([1, 1, 2, 1]);
    expect(selfAuras(s, 400).map((a) => a.skill)).toEqual([5, 4, 3]);
    expect(selfAuras(s, 400)[0].stacks).toBe(2);
  });

  it('label their time left, and say their kind', () => {
    expect([auraTimeLabel(0, 100, 20), auraTimeLabel(120, 100, 20), auraTimeLabel(101, 100, 20), auraTimeLabel(100 + 20 * 150, 100, 20), auraTimeLabel(90, 100, 20)]).toEqual(['', '1s', '1s', '3m', '0s']);
    expect(auraHelpful(AuraKind.BUFF) && auraHelpful(AuraKind.HEAL_OVER_TIME)).toBe(true);
    expect(auraHelpful(AuraKind.DEBUFF) || auraHelpful(AuraKind.DAMAGE_OVER_TIME)).toBe(false);
    for (const k of Object.values(AuraKind)) expect(AURA_KIND_WORDS[k]).toMatch(/\w/);
  });
});

describe('drawn skill icons', () => {
  it('carry a sign for what the skill does first', () => {
    const sign = (school: string, target: 'self' | 'enemy' | 'ally' | 'point', effects: string[]) => iconSign({ school, target, effects });
    expect(sign('physical', 'enemy', ['damage'])).toBe('blade');
    expect(sign('fire', 'enemy', ['damage', 'damageOverTime'])).toBe('flame');
    expect(sign('frost', 'enemy', ['damage', 'debuff'])).toBe('shard');
    expect(sign('fire', 'point', ['damage'])).toBe('ring');
    expect(sign('holy', 'ally', ['heal'])).toBe('cross');
    expect(sign('physical', 'self', ['healOverTime'])).toBe('cross');
    expect(sign('physical', 'self', ['buff'])).toBe('up');
    expect(sign('physical', 'enemy', ['debuff'])).toBe('down');
    expect(sign('nature', 'enemy', ['damageOverTime'])).toBe('drops');
    expect(sign('physical', 'enemy', [])).toBe('blade');
  });
});
