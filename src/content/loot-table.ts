import type { Content } from './schema/kinds.ts';
import { FileKind, readContainer, requireSection } from './pack/container.ts';
import { CHANCE_SCALE } from './schema/limits.ts';

/** One entry of a loot group: the item's number (items.json order, 1-based), its chance and quantity range. */
export interface LootRoll {
  item: number;
  chance: number;
  min: number;
  max: number;
}

export interface LootDrop {
  goldMin: number;
  goldMax: number;
  groups: { rolls: number; entries: LootRoll[] }[];
}

/** What an NPC template drops, by NPC template number (npcs.json order, 1-based; 0 and templates without a table: nothing). */
export class LootTables {
  readonly byNpc: (LootDrop | undefined)[];

  constructor(content: Pick<Content, 'npcs' | 'items' | 'loot'> | undefined) {
    this.byNpc = [undefined];
    if (!content) return;
    const itemNumber = new Map(content.items.map((it, i) => [it.id, i + 1]));
    const tables = new Map(content.loot.map((t) => [t.id, t]));
    for (const npc of content.npcs) {
      const t = npc.loot === undefined ? undefined : tables.get(npc.loot);
      this.byNpc.push(
        t && {
          goldMin: t.gold?.min ?? 0,
          goldMax: t.gold?.max ?? 0,
          groups: t.groups.map((g) => ({ rolls: g.rolls, entries: g.entries.map((e) => ({ item: itemNumber.get(e.item) ?? 0, chance: e.chance, min: e.quantity.min, max: e.quantity.max })) })),
        },
      );
    }
  }

  /**
   * Rolls template `npc`'s table with `random` (uniform in [0, 1)): calls
   * `drop(item, count)` per item won and `drop(0, gold)` for gold. Each
   * roll of a group picks at most one entry (chances in parts per 10,000).
   */
  roll(npc: number, random: () => number, drop: (item: number, count: number) => void): void {
    const t = this.byNpc[npc];
    if (!t) return;
    const gold = t.goldMin + Math.floor(random() * (t.goldMax - t.goldMin + 1));
    if (gold > 0) drop(0, gold);
    for (const g of t.groups) {
      for (let r = 0; r < g.rolls; r++) {
        let pick = Math.floor(random() * CHANCE_SCALE);
        for (const e of g.entries) {
          if (pick < e.chance) {
            if (e.item > 0) drop(e.item, e.min + Math.floor(random() * (e.max - e.min + 1)));
            break;
          }
          pick -= e.chance;
        }
      }
    }
  }
}

/** The catalogue section of a content pack as JSON (validated when the coordinator loaded the pack); undefined without a pack. */
export function catalogueJsonIn(pack: Uint8Array | undefined): Content | undefined {
  if (!pack) return undefined;
  const c = readContainer(pack, 'content pack', FileKind.CONTENT);
  return JSON.parse(new TextDecoder().decode(requireSection(c, 'content pack', 'JSON').slice())) as Content;
}
