import type { LootTables } from '../../content/loot-table.ts';
import { CombatEvent } from '../../protocol/combat-codes.ts';
import { ItemToCell } from '../../shared/messages/items.ts';
import { GroundItems } from '../items/ground-items.ts';
import type { Gear } from '../items/gear.ts';
import type { Combat } from './combat.ts';
import { Derived } from '../combat/stats.ts';
import { EntityFlags } from '../../shared/layout.ts';
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

export function groundItems(ctx: CellContext, loot: LootTables, gear: Gear, combat: Combat): { items: GroundItems; system: System } {
  const items = new GroundItems(ctx, loot);
  byCell.set(ctx, items);
  // Loot rolled is a combat event: everyone around sees what the dead dropped.
  items.onLootRolled = (npcSlot, killer, template, count) => {
    const s = combat.state;
    s.log.add(CombatEvent.LOOT, 0, ctx.store.handleAt(npcSlot), killer, template, count, s.tileOf(npcSlot), -1);
  };
  ctx.players.onItem = (m, slot, p) => {
    if (m.kind === ItemToCell.PICKUP) {
      if (p) items.requestPickUp(slot, m.conn, p.characterId, m.handle);
    } else if (m.kind === ItemToCell.USE) {
      useSkill(ctx, combat, slot, m.skill);
    } else if (m.kind === ItemToCell.EQUIPMENT) {
      // skill: the equipment slot; template: the item now worn there (0: none).
      gear.wear(slot, m.skill, m.template);
    } else items.settle(m, slot);
  };
  return { items, system: items.system() };
}

/** A used item's skill (committed at the coordinator) lands on the player that used it: a potion heals it. */
function useSkill(ctx: CellContext, combat: Combat, slot: number, skill: number): void {
  const f = ctx.store.f;
  if (skill <= 0 || skill >= ctx.skills.count || (f.flags[slot] & EntityFlags.DEAD) !== 0) return;
  const s = combat.state;
  const me = ctx.store.handleAt(slot);
  combat.skills.effects(me, me, skill, s.stats.get(slot, Derived.ATTACK_POWER), s.stats.get(slot, Derived.SPELL_POWER), s.stats.get(slot, Derived.CRIT), f.level[slot], s.tileOf(slot), false);
}
