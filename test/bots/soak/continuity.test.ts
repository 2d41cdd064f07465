import { describe, expect, it } from 'vitest';
import { applyInventory, applyQuestLog, copyState, emptyState, type AckedState } from '../../../src/bots/soak/acked-state.ts';
import { addInFlight, differences, lostAcross, type Placement } from '../../../src/bots/soak/continuity.ts';
import { Container } from '../../../src/protocol/item-codes.ts';

const tol = { position: 10 };
const sword = { id: 11, version: 1, template: 3, count: 1, container: Container.BAG, slot: 0 };
const potions = { id: 12, version: 2, template: 5, count: 4, container: Container.BAG, slot: 1 };

/** A character as a bot knows it: placed, with experience, two items, gold and a quest under way. */
function known(): AckedState {
  const s = emptyState();
  Object.assign(s, { x: 40, y: 50, placed: true, level: 3, xp: 120 });
  applyInventory(s, { op: 'inventory', full: true, gold: 30, items: [sword, potions], removed: [], results: [] }, 1);
  applyQuestLog(s, { op: 'questLog', full: true, entries: [{ quest: 2, state: 1, completions: 0, counts: [3, 1] }] }, 1);
  return s;
}

describe('what a bot was told', () => {
  it('follows whole and partial INVENTORY and QUEST_LOG messages', () => {
    const s = known();
    applyInventory(s, { op: 'inventory', full: false, gold: -1, items: [{ ...potions, count: 3, version: 3 }], removed: [11], results: [] }, 2);
    expect([...s.items.values()]).toEqual([{ ...potions, count: 3, version: 3 }]);
    expect(s.gold).toBe(30);
    applyQuestLog(s, { op: 'questLog', full: false, entries: [{ quest: 2, state: 0, completions: 0, counts: [] }] }, 2);
    expect(s.quests.size).toBe(0);
    // A copy is deep: changing it leaves the original.
    const c = copyState(known());
    c.items.get(12)!.count = 99;
    expect(known().items.get(12)!.count).toBe(4);
  });
});

describe('nothing acknowledged lost across a break', () => {
  it('finds nothing when the state after is the same, or ahead', () => {
    expect(lostAcross(known(), known(), tol)).toEqual([]);
    const ahead = known();
    Object.assign(ahead, { xp: 150, level: 4, gold: 45, x: 45 });
    ahead.items.set(13, { ...sword, id: 13, slot: 2 });
    ahead.quests.get(2)!.counts = [4, 1];
    expect(lostAcross(known(), ahead, tol)).toEqual([]);
  });

  it('names every loss: experience, level, gold, an item, a count, a move, quest progress, a far position', () => {
    const after = known();
    Object.assign(after, { xp: 100, level: 2, gold: 10, x: 70 });
    after.items.delete(11);
    after.items.set(12, { ...potions, count: 2, slot: 7 });
    after.quests.get(2)!.counts = [1, 1];
    expect(lostAcross(known(), after, tol)).toEqual([
      'position moved 30.00 units ((40.0, 50.0) → (70.0, 50.0)), more than 10',
      'level 3 → 2',
      'experience 120 → 100',
      'gold 30 → 10',
      'item 11 (template 3 ×1) gone',
      'item 12 count 4 → 2',
      'item 12 moved 1:1 → 1:7 without an acknowledged request',
      'quest 2 objective 0 count 3 → 1',
    ]);
  });

  it('accepts exactly the two outcomes of an unanswered move: the item where it was, or where the move puts it', () => {
    // The potions' move to bag slot 9 was asked and not answered when the server restated the items.
    const inFlight = new Map<number, Placement[]>();
    addInFlight(inFlight, 12, { container: Container.BAG, slot: 9 });
    const done = known();
    done.items.set(12, { ...potions, slot: 9, version: 3 });
    expect(lostAcross(known(), done, tol, inFlight)).toEqual([]);
    expect(lostAcross(known(), known(), tol, inFlight)).toEqual([]);
    // Anywhere else, gone, fewer, or another item moved: losses still.
    const elsewhere = known();
    elsewhere.items.set(12, { ...potions, slot: 7 });
    expect(lostAcross(known(), elsewhere, tol, inFlight)).toEqual(['item 12 moved 1:1 → 1:7; its unanswered requests would put it at 1:9']);
    const worn = known();
    worn.items.set(12, { ...potions, container: Container.EQUIPMENT, slot: 9 });
    expect(lostAcross(known(), worn, tol, inFlight)).toEqual(['item 12 moved 1:1 → 2:9; its unanswered requests would put it at 1:9']);
    const gone = known();
    gone.items.delete(12);
    expect(lostAcross(known(), gone, tol, inFlight)).toEqual(['item 12 (template 5 ×4) gone']);
    const fewer = known();
    fewer.items.set(12, { ...potions, count: 3, slot: 9 });
    expect(lostAcross(known(), fewer, tol, inFlight)).toEqual(['item 12 count 4 → 3']);
    const other = known();
    other.items.set(11, { ...sword, slot: 9 });
    expect(lostAcross(known(), other, tol, inFlight)).toEqual(['item 11 moved 1:0 → 1:9 without an acknowledged request']);
  });

  it('with two unanswered moves of one item, it may be where it was or where either puts it', () => {
    const inFlight = new Map<number, Placement[]>();
    addInFlight(inFlight, 12, { container: Container.BAG, slot: 9 });
    addInFlight(inFlight, 12, { container: Container.BAG, slot: 20 });
    addInFlight(inFlight, 12, { container: Container.BAG, slot: 20 });
    expect(inFlight.get(12)).toHaveLength(2);
    for (const slot of [1, 9, 20]) {
      const after = known();
      after.items.set(12, { ...potions, slot });
      expect(lostAcross(known(), after, tol, inFlight)).toEqual([]);
    }
    const after = known();
    after.items.set(12, { ...potions, slot: 3 });
    expect(lostAcross(known(), after, tol, inFlight)).toHaveLength(1);
  });

  it('compares only what both sides know', () => {
    expect(lostAcross(known(), emptyState(), tol)).toEqual([]);
    const gone = known();
    gone.quests.clear();
    expect(lostAcross(known(), gone, tol)).toEqual(['quest 2 (state 1) gone from the log']);
  });
});

describe('persisted against acknowledged', () => {
  it('is exact but for the position', () => {
    const saved = known();
    saved.x += 3;
    expect(differences(known(), saved, tol)).toEqual([]);
  });

  it('names each difference, gains included', () => {
    const saved = known();
    Object.assign(saved, { xp: 121, gold: 31 });
    saved.items.set(13, { ...sword, id: 13, slot: 2 });
    saved.quests.get(2)!.state = 2;
    expect(differences(known(), saved, tol)).toEqual([
      'experience saved 121, told 120',
      'gold saved 31, told 30',
      `item saved but never told: 13 t3×1 c${Container.BAG}:2`,
      'quest 2 saved s2 done0 [3,1], told s1 done0 [3,1]',
    ]);
  });
});
