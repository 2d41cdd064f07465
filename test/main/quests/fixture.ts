/** Quest content and a world to test the quest service in: a few quests over three NPCs and one map. */
import type { Content } from '../../../src/content/schema/kinds.ts';
import { Quest } from '../../../src/content/schema/quests.ts';
import { QuestDefs } from '../../../src/main/quests/quest-defs.ts';
import { fieldMap } from '../../helpers/zone-maps.ts';

export const Npc = { ELDER: 1, WOLF: 2, SCOUT: 3 } as const;
export const Q = { WOLVES: 0, SCOUT: 1, DAILY: 2, HIGH: 3, TUSKS: 4 } as const;

const npc = (id: string) => ({ id }) as unknown as Content['npcs'][number];

export const quests = [
  { id: 'quest.wolves', name: 'Wolves', giver: 'npc.elder', objectives: [{ type: 'kill', npc: 'npc.wolf', count: 3 }], rewards: { experience: 250 } },
  {
    id: 'quest.scout',
    name: 'Scout',
    giver: 'npc.elder',
    turnIn: 'npc.scout',
    prerequisites: ['quest.wolves'],
    objectives: [
      { type: 'reach', map: 'field', area: 'camp' },
      { type: 'talk', npc: 'npc.scout' },
    ],
    rewards: { experience: 100 },
  },
  { id: 'quest.daily', name: 'Daily', giver: 'npc.elder', repeatable: true, repeatCooldownSeconds: 60, objectives: [{ type: 'kill', npc: 'npc.wolf', count: 1 }] },
  { id: 'quest.high', name: 'High', giver: 'npc.elder', minLevel: 5, objectives: [{ type: 'kill', npc: 'npc.wolf' }] },
  {
    id: 'quest.tusks',
    name: 'Tusks',
    giver: 'npc.elder',
    objectives: [{ type: 'collect', item: 'item.tusk', count: 3 }],
    rewards: { experience: 40, gold: 5, items: [{ item: 'item.boots' }, { item: 'item.potion', count: 2 }] },
  },
].map((q) => Quest.parse(q));

export function questDefs(): QuestDefs {
  const field = fieldMap('field', { width: 32, height: 32 });
  field.safeAreas.push({ name: 'camp', x: 20, y: 20, width: 4, height: 4 });
  return new QuestDefs({ quests, npcs: [npc('npc.elder'), npc('npc.wolf'), npc('npc.scout')] }, new Map([['field', field]]));
}
