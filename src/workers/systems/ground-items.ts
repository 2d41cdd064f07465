import type { LootTables } from '../../content/loot-table.ts';
import { ItemToCell } from '../../shared/messages/items.ts';
import { GroundItems } from '../items/ground-items.ts';
import type { Gear } from '../items/gear.ts';
import type { CellContext, System } from '../system.ts';

/**
 * Items on the ground (items/ground-items.ts): the dead NPCs' loot (the NPC
 * AI calls dropLoot from its death rule), pick-ups and the gate's answers
 * (the cell players' ITEM hook), and the `ground-items` system that
 * despawns what lay too long.
 */
const byCell = new WeakMap<CellContext, GroundItems>();

/** The ground items of a cell (tests look at them and place items). */
export function groundItemsOf(ctx: CellContext): GroundItems | undefined {
  return byCell.get(ctx);
}

export function groundItems(ctx: CellContext, loot: LootTables, gear: Gear): { items: GroundItems; system: System } {
  const items = new GroundItems(ctx, loot);
  byCell.set(ctx, items);
  ctx.players.onItem = (m, slot, p) => {
    if (m.kind === ItemToCell.PICKUP) {
      if (p) items.requestPickUp(slot, m.conn, p.characterId, m.handle);
    } else if (m.kind === ItemToCell.EQUIPMENT) {
      // skill: the equipment slot; template: the item now worn there (0: none).
      gear.wear(slot, m.skill, m.template);
    } else items.settle(m, slot);
  };
  return { items, system: items.system() };
}
