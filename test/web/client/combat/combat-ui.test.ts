/**
 * The pure parts of the client's combat HUD, in Node: refusal words for
 * every reason code, cooldown and cast arithmetic, the hotbar's slots and
 * key handling, events mapped to floating text, the order Tab cycles
 * targets in and what a click picks.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_REASON_COUNT, CombatEvent, HitFlags } from '../../../../src/protocol/combat-codes.ts';
import { castEndTick, castProgress, cooldownAt, cooldownLabel } from '../../../../web/client/src/combat/cooldowns.ts';
import { eventShown, lootText } from '../../../../web/client/src/combat/event-text.ts';
import { GOLD_TEMPLATE } from '../../../../src/protocol/item-codes.ts';
import { Hotbar, HOTBAR_SLOTS, skillGlyph } from '../../../../web/client/src/combat/hotbar.ts';
import { REFUSAL_WORDS, refusalText } from '../../../../web/client/src/combat/refusals.ts';
import { nextTarget, pickAt, type Candidate } from '../../../../web/client/src/combat/targeting.ts';
import type { ClientEntitiesJson, ClientSkillJson } from '../../../../web/client/src/content/types.ts';

const skill = (id: string, name: string, o: Partial<ClientSkillJson> = {}): ClientSkillJson => ({ id, name, description: '', target: 'enemy', castMs: 0, cooldownMs: 6000, cost: 15, range: 1.5, school: 'physical', effects: ['damage'], ...o });
const catalogue: ClientEntitiesJson = {
  format: 2,
  sprites: null,
  quests: [],
  npcs: [],
  items: [],
  skills: [skill('s.strike', 'Heroic Strike'), skill('s.shout', 'Battle Shout', { target: 'self', cooldownMs: 60000, cost: 10 }), skill('s.wave', 'Flame Wave', { target: 'point', school: 'fire', cost: 40 }), skill('s.cleave', 'Cleave')],
  classes: [{ id: 'class.warrior', name: 'Warrior', resource: 'rage', skills: [{ skill: 4, level: 6 }, { skill: 1, level: 1 }, { skill: 2, level: 3 }] }, { id: 'class.mage', name: 'Mage', resource: 'mana', skills: [{ skill: 3, level: 1 }] }],
};

describe('refusal messages', () => {
  it('has words for every ActionReason, and says something for an unknown one', () => {
    for (let r = 1; r < ACTION_REASON_COUNT; r++) expect((REFUSAL_WORDS as Record<number, string>)[r], `reason ${r}`).toMatch(/\w/);
    expect(Object.keys(REFUSAL_WORDS)).toHaveLength(ACTION_REASON_COUNT - 1);
    expect(refusalText(9)).toBe('Out of range');
    expect(refusalText(3, 'rage')).toBe('Not enough rage');
    expect(refusalText(99)).toBe('Refused (99)');
  });
});

describe('cooldowns and casts', () => {
  it('a cooldown runs from its full length to 0 by the ready tick; never used or past is ready', () => {
    const v = { left: 0, seconds: 0 };
    expect(cooldownAt(0, 6000, 500, 20, v)).toEqual({ left: 0, seconds: 0 });
    expect(cooldownAt(620, 6000, 500, 20, v)).toEqual({ left: 1, seconds: 6 });
    expect(cooldownAt(620, 6000, 590, 20, v)).toEqual({ left: 0.25, seconds: 1.5 });
    expect(cooldownAt(620, 6000, 620, 20, v)).toEqual({ left: 0, seconds: 0 });
    expect(cooldownAt(620, 6000, 700.5, 20, v)).toEqual({ left: 0, seconds: 0 });
    // A cooldown longer than the content says (another build): the sweep is full, not past it.
    expect(cooldownAt(1000, 1000, 500, 20, v).left).toBe(1);
    expect([cooldownLabel(0), cooldownLabel(0.42), cooldownLabel(5.1), cooldownLabel(90)]).toEqual(['', '0.4', '6', '2m']);
  });

  it('a cast ends at the first tick from the snapshot on with the low 16 bits sent, across the wrap', () => {
    expect(castEndTick(130, 100)).toBe(130);
    expect(castEndTick(100, 100)).toBe(100);
    expect(castEndTick(5, 0x1fffe)).toBe(0x20005);
    expect(castEndTick(0xfff0, 0x2fff0 - 3)).toBe(0x2fff0);
    expect(castProgress(0, 130, 40, 100, 110)).toBe(0);
    expect(castProgress(7, 130, 40, 100, 90)).toBe(0);
    expect(castProgress(7, 130, 40, 100, 110)).toBe(0.5);
    expect(castProgress(7, 130, 40, 100, 140)).toBe(1);
  });
});

describe('the hotbar', () => {
  const state = (skills: number[], ready: number[], tick: number, resource = 100) => ({ skills, readyTick: ready, skillCount: skills.length, resource, tick, tickHz: 20 });

  it('holds the known skills in the order the class learns them, with cooldowns and costs', () => {
    const h = new Hotbar(catalogue);
    h.setClass(1);
    const v0 = h.layoutVersion;
    h.update(state([2, 1], [0, 220], 100, 12));
    expect(h.slots.map((s) => s.skill)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(h.slots).toHaveLength(HOTBAR_SLOTS);
    expect(h.layoutVersion).toBeGreaterThan(v0);
    expect(h.slots[0].info?.name).toBe('Heroic Strike');
    expect(h.slots[0].cooldown.seconds).toBe(6);
    expect(h.slots[0].tooCostly).toBe(true); // 15 rage, has 12
    expect(h.slots[1].tooCostly).toBe(false);
    // Same skills: no rebuild; a new skill learned: rebuilt, in class order.
    const v1 = h.layoutVersion;
    h.update(state([2, 1], [0, 220], 200));
    expect(h.layoutVersion).toBe(v1);
    expect(h.slots[0].cooldown.seconds).toBe(1);
    h.update(state([4, 2, 1], [0, 0, 0], 300));
    expect(h.slots.map((s) => s.skill).slice(0, 3)).toEqual([1, 2, 4]);
    expect(h.layoutVersion).toBeGreaterThan(v1);
  });

  it('keys 1-9 pick slots; a point skill arms (and disarms) instead of casting; an empty slot does nothing', () => {
    expect(['1', '5', '9', '0', 'a', '10'].map((k) => Hotbar.slotOfKey(k))).toEqual([0, 4, 8, -1, -1, -1]);
    const h = new Hotbar(catalogue);
    h.setClass(2);
    h.update(state([3, 1], [0, 0], 10));
    expect(h.slots[0].skill).toBe(3);
    expect(h.press(0)).toBe('arm');
    expect(h.armed).toBe(0);
    expect(h.press(0)).toBe('none');
    expect(h.armed).toBe(-1);
    expect(h.press(1)).toBe('use');
    expect(h.press(5)).toBe('none');
    expect([skillGlyph('Heroic Strike'), skillGlyph('Cleave'), skillGlyph('Healing Draught')]).toEqual(['HS', 'CL', 'HD']);
  });
});

describe('events as the screen shows them', () => {
  const you = 7;
  it('numbers for the viewer\'s own hits, the hits on it and its heals; crits marked; others\' fights left out', () => {
    expect(eventShown(CombatEvent.DAMAGE, 0, you, 9, 23, 1, you)).toEqual({ show: 'float', float: { kind: 'damage', text: '23', entity: 9, crit: false } });
    expect(eventShown(CombatEvent.DAMAGE, HitFlags.CRIT, you, 9, 35, 0, you)).toEqual({ show: 'float', float: { kind: 'damage', text: '35!', entity: 9, crit: true } });
    expect(eventShown(CombatEvent.DAMAGE, 0, 9, you, 4, 0, you)).toMatchObject({ float: { kind: 'damageTaken', entity: you } });
    expect(eventShown(CombatEvent.DAMAGE, 0, 3, 9, 4, 0, you)).toBeNull();
    expect(eventShown(CombatEvent.HEAL, 0, you, you, 30, 7, you)).toMatchObject({ float: { kind: 'heal', text: '+30' } });
    expect(eventShown(CombatEvent.HEAL, 0, you, you, 0, 7, you)).toBeNull();
    expect(eventShown(CombatEvent.MISS, 0, you, 9, 0, 0, you)).toMatchObject({ float: { kind: 'miss', text: 'Miss', entity: 9 } });
    expect(eventShown(CombatEvent.DODGE, 0, 9, you, 0, 0, you)).toMatchObject({ float: { kind: 'dodge', text: 'Dodge', entity: you } });
  });

  it('experience, level-ups, refusals and interrupted casts', () => {
    expect(eventShown(CombatEvent.EXPERIENCE, 0, 9, 0, 33, 0, you)).toEqual({ show: 'float', float: { kind: 'xp', text: '+33 XP', entity: you, crit: false } });
    expect(eventShown(CombatEvent.LEVEL_UP, 0, 0, you, 2, 0, you)).toEqual({ show: 'levelUp', level: 2 });
    expect(eventShown(CombatEvent.LEVEL_UP, 0, 0, 12, 5, 0, you)).toMatchObject({ float: { kind: 'level', text: 'Level 5!', entity: 12 } });
    expect(eventShown(CombatEvent.REFUSED, 9, you, 9, 14, 1, you)).toEqual({ show: 'refused', reason: 9, skill: 1 });
    expect(eventShown(CombatEvent.CAST_INTERRUPTED, 14, you, 0, 0, 3, you)).toEqual({ show: 'interrupted', reason: 14 });
    expect(eventShown(CombatEvent.CAST_INTERRUPTED, 14, 3, 0, 0, 3, you)).toBeNull();
    for (const t of [CombatEvent.CAST_START, CombatEvent.DEATH, CombatEvent.RESPAWN, CombatEvent.AURA]) expect(eventShown(t, 0, you, 9, 1, 1, you)).toBeNull();
  });
});

describe('targeting', () => {
  const c = (id: number, x: number, y: number, hostile = true, dead = false): Candidate => ({ id, x, y, hostile, dead });
  const all = [c(5, 13, 10), c(2, 11, 10), c(9, 10, 12), c(3, 10.5, 10, false), c(4, 10.2, 10, true, true), c(8, 40, 10), c(6, 10, 8)];

  it('Tab cycles the living hostile in range, nearest first (ties by id), wrapping; Shift+Tab the other way', () => {
    const order: number[] = [];
    let t = 0;
    for (let i = 0; i < 5; i++) order.push((t = nextTarget(all, 10, 10, t)));
    expect(order).toEqual([2, 6, 9, 5, 2]);
    expect(nextTarget(all, 10, 10, 2, true)).toBe(5);
    // A target not in the list (friendly, dead, far): start from the nearest.
    expect(nextTarget(all, 10, 10, 3)).toBe(2);
    expect(nextTarget(all, 10, 10, 8)).toBe(2);
    expect(nextTarget([c(3, 10, 10, false)], 10, 10, 0)).toBe(0);
  });

  it('a click picks the entity under it, the living before a corpse, nothing on empty ground', () => {
    expect(pickAt(all, 10.5, 10.1)).toBe(3);
    expect(pickAt(all, 13.3, 9.8)).toBe(5);
    expect(pickAt(all, 10.25, 10)).toBe(3);
    expect(pickAt([c(4, 10.2, 10, true, true)], 10.25, 10)).toBe(4);
    expect(pickAt(all, 20, 20)).toBe(0);
  });
});

describe('loot rolled', () => {
  const names = { nameOf: (_kind: number, t: number) => (t === 3 ? 'Wolf Pelt' : '') };
  it('is a line for the viewer whose kill it was, and nothing for others', () => {
    expect(eventShown(CombatEvent.LOOT, 0, 900, 7, 2, 3, 7)).toEqual({ show: 'loot', template: 3, count: 2 });
    expect(eventShown(CombatEvent.LOOT, 0, 900, 8, 2, 3, 7)).toBeNull();
  });
  it('names the item and its count, or the gold', () => {
    expect(lootText(3, 2, names)).toBe('Loot: Wolf Pelt ×2');
    expect(lootText(3, 1, names)).toBe('Loot: Wolf Pelt');
    expect(lootText(GOLD_TEMPLATE, 14, names)).toBe('Loot: 14 gold');
    expect(lootText(99, 1, names)).toBe('Loot: an item');
  });
});
