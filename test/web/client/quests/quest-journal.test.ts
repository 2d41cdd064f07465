/** The client's quest journal: the log as told, what an NPC offers and takes, the markers, the refusal words. */
import { describe, expect, it } from 'vitest';
import { QuestRefusal, QuestState } from '../../../../src/protocol/quest-codes.ts';
import type { ClientQuestJson } from '../../../../web/client/src/content/types.ts';
import { QuestJournal, questRefusalText } from '../../../../web/client/src/quests/quest-journal.ts';

const ELDER = 1;
const SCOUT = 3;
const quest = (o: Partial<ClientQuestJson>): ClientQuestJson => ({
  id: 'q',
  name: 'Q',
  description: '',
  completion: '',
  giver: ELDER,
  turnIn: ELDER,
  minLevel: 1,
  prerequisites: [],
  repeatable: false,
  objectives: [{ text: 'Slay Grey Wolf', count: 6 }],
  rewards: { experience: 250, gold: 10, items: [] },
  ...o,
});
const quests = [quest({ name: 'Wolves' }), quest({ name: 'Scout', turnIn: SCOUT, prerequisites: [0] }), quest({ name: 'Later', minLevel: 3 })];

describe('QuestJournal', () => {
  it('offers what can be taken, by level and prerequisites, with the marker to match', () => {
    const j = new QuestJournal(quests);
    j.apply({ op: 'questLog', full: true, entries: [] });
    expect(j.forNpc(ELDER, 1)).toEqual({ offers: [0], takes: [] });
    expect(j.forNpc(ELDER, 3)).toEqual({ offers: [0, 2], takes: [] });
    expect(j.markerFor(ELDER, 1)).toBe('available');
    expect(j.markerFor(SCOUT, 1)).toBe(null);
  });

  it('follows the log the server tells: taken, ready, turned in; a later quest opens', () => {
    const j = new QuestJournal(quests);
    j.apply({ op: 'questLog', full: true, entries: [{ quest: 0, state: QuestState.ACTIVE, completions: 0, counts: [2] }] });
    expect(j.active()).toEqual([expect.objectContaining({ number: 0, state: QuestState.ACTIVE, counts: [2] })]);
    expect(j.forNpc(ELDER, 1)).toEqual({ offers: [], takes: [0] });
    expect(j.markerFor(ELDER, 1)).toBe('active');
    const v = j.version;
    j.apply({ op: 'questLog', full: false, entries: [{ quest: 0, state: QuestState.READY, completions: 0, counts: [6] }] });
    expect(j.version).toBeGreaterThan(v);
    expect(j.markerFor(ELDER, 1)).toBe('ready');
    j.apply({ op: 'questLog', full: false, entries: [{ quest: 0, state: QuestState.DONE, completions: 1, counts: [] }] });
    expect(j.active()).toEqual([]);
    expect(j.forNpc(ELDER, 1)).toEqual({ offers: [1], takes: [] });
    expect(j.canTake(0, 9)).toBe(false);
    // Taken from the elder, handed in to the scout.
    j.apply({ op: 'questLog', full: false, entries: [{ quest: 1, state: QuestState.READY, completions: 0, counts: [6] }] });
    expect(j.markerFor(SCOUT, 1)).toBe('ready');
    expect(j.markerFor(ELDER, 1)).toBe(null);
    // Abandoned (NONE), and a whole log replaces everything.
    j.apply({ op: 'questLog', full: false, entries: [{ quest: 1, state: QuestState.NONE, completions: 0, counts: [] }] });
    expect(j.stateOf(1)).toBe(QuestState.NONE);
    j.apply({ op: 'questLog', full: true, entries: [] });
    expect(j.stateOf(0)).toBe(QuestState.NONE);
  });

  it('has words for every refusal and none for success', () => {
    for (const r of Object.values(QuestRefusal)) {
      if (r === QuestRefusal.OK) expect(questRefusalText(r)).toBe(null);
      else expect(questRefusalText(r)!.length).toBeGreaterThan(10);
    }
  });
});
