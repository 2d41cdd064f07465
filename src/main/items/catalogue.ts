import { EQUIP_SLOTS, type Item } from '../../content/schema/items.ts';

/** What the item store needs to know of a template. */
export interface ItemTemplate {
  id: string;
  /** 1-based place in items.json (the wire's template number). */
  number: number;
  kind: Item['kind'];
  stackSize: number;
  /** Equipment slot index (EQUIP_SLOTS), -1 when not equipment. */
  equipSlot: number;
  levelRequired: number;
  /** Class ids that may use it; empty: all. */
  classes: readonly string[];
  /** The skill a use applies, '' when it cannot be used. */
  useSkill: string;
  /** Its number in the content's skill table (skills.json order, 1-based; 0: none or unknown). */
  useSkillNumber: number;
  consume: boolean;
  /** Milliseconds before the same use skill may be used again (use.cooldownMs; 0: none). */
  useCooldownMs: number;
}

export const EQUIP_SLOT_COUNT = EQUIP_SLOTS.length;
export const SLOT_MAIN_HAND = EQUIP_SLOTS.indexOf('mainHand');
export const SLOT_OFF_HAND = EQUIP_SLOTS.indexOf('offHand');
export const SLOT_TWO_HAND = EQUIP_SLOTS.indexOf('twoHand');

/** The item templates by id and by wire number. */
export class ItemCatalogue {
  private readonly byId = new Map<string, ItemTemplate>();
  readonly list: readonly ItemTemplate[];

  /** `skillIds`: the content's skills in order, for the numbers the cells know them by. */
  constructor(items: readonly Item[], skillIds: readonly string[] = []) {
    this.list = items.map((it, i) => ({
      id: it.id,
      number: i + 1,
      kind: it.kind,
      stackSize: it.stackSize,
      equipSlot: it.slot === undefined ? -1 : EQUIP_SLOTS.indexOf(it.slot),
      levelRequired: it.levelRequired ?? 1,
      classes: it.classes ?? [],
      useSkill: it.use?.skill ?? '',
      useSkillNumber: it.use ? skillIds.indexOf(it.use.skill) + 1 : 0,
      consume: it.use?.consume ?? false,
      useCooldownMs: it.use?.cooldownMs ?? 0,
    }));
    for (const t of this.list) this.byId.set(t.id, t);
  }

  get(id: string): ItemTemplate | undefined {
    return this.byId.get(id);
  }

  /** By wire number (1-based); undefined when out of range. */
  byNumber(n: number): ItemTemplate | undefined {
    return Number.isInteger(n) && n >= 1 ? this.list[n - 1] : undefined;
  }
}
