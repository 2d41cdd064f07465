import type { Content } from '../../content/schema/kinds.ts';
import type { Quest } from '../../content/schema/quests.ts';
import { namedAreasOf } from '../../content/zone-areas.ts';
import type { ZoneMap } from '../../content/zone-map.ts';

/** What an objective counts, with its content references resolved to the numbers the cells report. */
export type ObjectiveDef =
  | { type: 'kill'; npc: number; count: number }
  | { type: 'collect'; item: string; count: number }
  | { type: 'talk'; npc: number; count: 1 }
  | { type: 'reach'; zone: string; area: number; count: 1 };

/** A quest of the content, numbered from 0 in quests.json order (its number on the wire). */
export interface QuestDef {
  readonly number: number;
  readonly id: string;
  readonly name: string;
  readonly giver: number;
  readonly turnIn: number;
  readonly minLevel: number;
  /** Quest numbers that must be completed first. */
  readonly prerequisites: readonly number[];
  readonly objectives: readonly ObjectiveDef[];
  readonly rewards: Quest['rewards'];
  readonly repeatable: boolean;
  /** For a repeatable quest: milliseconds before it may be taken again. */
  readonly repeatCooldownMs: number;
}

/** Quests one wire message can name (u16), and objectives one quest may have (the schema's bound). */
export const MAX_QUESTS = 0xffff;
export const MAX_OBJECTIVES = 8;

/**
 * The content's quests in the form the coordinator counts them: NPCs as
 * template numbers (npcs.json order from 1, as the cells' store holds them),
 * areas as their index in each zone's named areas (content/zone-areas.ts).
 * References the content checker already proved; one that still does not
 * resolve (a zone this server does not run) leaves its objective unreachable,
 * never a crash.
 */
export class QuestDefs {
  readonly list: readonly QuestDef[];
  private readonly byId = new Map<string, QuestDef>();
  /** Quests by the NPC that gives or takes them (template number). */
  private readonly byNpc = new Map<number, QuestDef[]>();

  constructor(content: Pick<Content, 'quests' | 'npcs'>, zones: ReadonlyMap<string, ZoneMap>) {
    if (content.quests.length > MAX_QUESTS) throw new RangeError(`${content.quests.length} quests; at most ${MAX_QUESTS}`);
    const npc = (id: string) => content.npcs.findIndex((n) => n.id === id) + 1;
    const numberOf = new Map(content.quests.map((q, i) => [q.id, i]));
    this.list = content.quests.map((q, number): QuestDef => ({
      number,
      id: q.id,
      name: q.name,
      giver: npc(q.giver),
      turnIn: npc(q.turnIn ?? q.giver),
      minLevel: q.minLevel,
      prerequisites: q.prerequisites.map((p) => numberOf.get(p) ?? -1),
      objectives: q.objectives.map((o): ObjectiveDef => {
        switch (o.type) {
          case 'kill':
            return { type: 'kill', npc: npc(o.npc), count: o.count };
          case 'collect':
            return { type: 'collect', item: o.item, count: o.count };
          case 'talk':
            return { type: 'talk', npc: npc(o.npc), count: 1 };
          case 'reach': {
            const map = zones.get(o.map);
            return { type: 'reach', zone: o.map, area: map ? namedAreasOf(map).findIndex((a) => a.name === o.area) : -1, count: 1 };
          }
        }
      }),
      rewards: q.rewards,
      repeatable: q.repeatable,
      repeatCooldownMs: (q.repeatCooldownSeconds ?? 0) * 1000,
    }));
    for (const q of this.list) {
      this.byId.set(q.id, q);
      for (const n of new Set([q.giver, q.turnIn])) if (n > 0) this.byNpc.set(n, [...(this.byNpc.get(n) ?? []), q]);
    }
  }

  get(number: number): QuestDef | undefined {
    return this.list[number];
  }

  byContentId(id: string): QuestDef | undefined {
    return this.byId.get(id);
  }

  /** Quests an NPC gives or takes. */
  ofNpc(template: number): readonly QuestDef[] {
    return this.byNpc.get(template) ?? [];
  }
}
