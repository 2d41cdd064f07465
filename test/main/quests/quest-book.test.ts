/** The quest log's rules, apart from storage and the wire. */
import { describe, expect, it } from 'vitest';
import { MAX_ACTIVE_QUESTS, QuestRefusal, QuestState } from '../../../src/protocol/quest-codes.ts';
import { QuestBook } from '../../../src/main/quests/quest-book.ts';
import { QuestDefs } from '../../../src/main/quests/quest-defs.ts';
import { Quest } from '../../../src/content/schema/quests.ts';
import { Npc, Q, questDefs } from './fixture.ts';

const T0 = 1_000_000;

describe('QuestBook', () => {
  const defs = questDefs();
  const q = (n: number) => defs.get(n)!;

  it('resolves content references to the numbers the cells report', () => {
    expect(q(Q.WOLVES).objectives).toEqual([{ type: 'kill', npc: Npc.WOLF, count: 3 }]);
    expect(q(Q.SCOUT)).toMatchObject({ giver: Npc.ELDER, turnIn: Npc.SCOUT, prerequisites: [Q.WOLVES] });
    expect(q(Q.SCOUT).objectives).toEqual([
      { type: 'reach', zone: 'field', area: 0, count: 1 },
      { type: 'talk', npc: Npc.SCOUT, count: 1 },
    ]);
    expect(defs.ofNpc(Npc.SCOUT).map((d) => d.number)).toEqual([Q.SCOUT]);
  });

  it('takes a quest once, counts kills up to what it asks, and turns it in only when complete', () => {
    const b = new QuestBook(defs);
    expect(b.accept(q(Q.WOLVES), 1, T0)).toBe(QuestRefusal.OK);
    expect(b.accept(q(Q.WOLVES), 1, T0)).toBe(QuestRefusal.ALREADY_ACTIVE);
    expect(b.stateOf(q(Q.WOLVES))).toBe(QuestState.ACTIVE);
    expect(b.credit({ type: 'kill', npc: Npc.ELDER })).toEqual([]);
    expect(b.credit({ type: 'kill', npc: Npc.WOLF })).toEqual([Q.WOLVES]);
    expect(b.turnIn(q(Q.WOLVES), T0)).toBe(QuestRefusal.NOT_COMPLETE);
    b.credit({ type: 'kill', npc: Npc.WOLF });
    b.credit({ type: 'kill', npc: Npc.WOLF });
    expect(b.credit({ type: 'kill', npc: Npc.WOLF })).toEqual([]); // capped at 3: nothing moved
    expect(b.entries.get(Q.WOLVES)!.counts).toEqual([3]);
    expect(b.stateOf(q(Q.WOLVES))).toBe(QuestState.READY);
    expect(b.turnIn(q(Q.WOLVES), T0)).toBe(QuestRefusal.OK);
    expect(b.stateOf(q(Q.WOLVES))).toBe(QuestState.DONE);
    expect(b.turnIn(q(Q.WOLVES), T0)).toBe(QuestRefusal.NOT_ACTIVE);
    expect(b.accept(q(Q.WOLVES), 1, T0)).toBe(QuestRefusal.ALREADY_DONE);
    expect(b.credit({ type: 'kill', npc: Npc.WOLF })).toEqual([]); // a done quest counts nothing
  });

  it('refuses by level and by prerequisites, and counts areas by zone and index', () => {
    const b = new QuestBook(defs);
    expect(b.accept(q(Q.HIGH), 4, T0)).toBe(QuestRefusal.LEVEL_TOO_LOW);
    expect(b.accept(q(Q.HIGH), 5, T0)).toBe(QuestRefusal.OK);
    expect(b.accept(q(Q.SCOUT), 9, T0)).toBe(QuestRefusal.PREREQUISITES);
    const done = new QuestBook(defs, [[Q.WOLVES, { done: true, completions: 1, completedAt: T0, counts: [] }]]);
    expect(done.accept(q(Q.SCOUT), 1, T0)).toBe(QuestRefusal.OK);
    expect(done.credit({ type: 'reach', zone: 'town', area: 0 })).toEqual([]);
    expect(done.credit({ type: 'reach', zone: 'field', area: 1 })).toEqual([]);
    expect(done.credit({ type: 'reach', zone: 'field', area: 0 })).toEqual([Q.SCOUT]);
    expect(done.credit({ type: 'talk', npc: Npc.SCOUT })).toEqual([Q.SCOUT]);
    expect(done.stateOf(q(Q.SCOUT))).toBe(QuestState.READY);
  });

  it('lets a repeatable quest be taken again after its cooldown, keeping its count of completions', () => {
    const b = new QuestBook(defs);
    b.accept(q(Q.DAILY), 1, T0);
    b.credit({ type: 'kill', npc: Npc.WOLF });
    expect(b.turnIn(q(Q.DAILY), T0)).toBe(QuestRefusal.OK);
    expect(b.accept(q(Q.DAILY), 1, T0 + 59_999)).toBe(QuestRefusal.COOLDOWN);
    expect(b.accept(q(Q.DAILY), 1, T0 + 60_000)).toBe(QuestRefusal.OK);
    expect(b.entries.get(Q.DAILY)).toMatchObject({ done: false, completions: 1, counts: [0] });
    // Abandoned after a completion: back to done, its history kept; a first try leaves nothing.
    expect(b.abandon(q(Q.DAILY))).toBe(QuestRefusal.OK);
    expect(b.entries.get(Q.DAILY)).toMatchObject({ done: true, completions: 1 });
    b.accept(q(Q.WOLVES), 1, T0);
    expect(b.abandon(q(Q.WOLVES))).toBe(QuestRefusal.OK);
    expect(b.entries.has(Q.WOLVES)).toBe(false);
    expect(b.abandon(q(Q.WOLVES))).toBe(QuestRefusal.NOT_ACTIVE);
  });

  it('holds at most MAX_ACTIVE_QUESTS active quests', () => {
    const many = Array.from({ length: MAX_ACTIVE_QUESTS + 1 }, (_, i) => Quest.parse({ id: `quest.q${i}`, name: `Q${i}`, giver: 'npc.elder', objectives: [{ type: 'kill', npc: 'npc.wolf' }] }));
    const d = new QuestDefs({ quests: many, npcs: [{ id: 'npc.elder' }, { id: 'npc.wolf' }] as never }, new Map());
    const b = new QuestBook(d);
    for (let i = 0; i < MAX_ACTIVE_QUESTS; i++) expect(b.accept(d.get(i)!, 1, T0)).toBe(QuestRefusal.OK);
    expect(b.accept(d.get(MAX_ACTIVE_QUESTS)!, 1, T0)).toBe(QuestRefusal.LOG_FULL);
    expect(b.dirty.size).toBe(MAX_ACTIVE_QUESTS);
  });
});
