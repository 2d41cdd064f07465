import type { HandoffCodec } from '../handoff.ts';
import type { CellContext, System } from '../system.ts';
import type { Wanderers } from '../wanderers.ts';
import type { LootTables } from '../../content/loot-table.ts';
import { groundItems } from './ground-items.ts';
import type { ItemStatsTable } from '../../content/item-stats.ts';
import { Gear } from '../items/gear.ts';
import { handoffOut } from './handoff-out.ts';
import { inbox } from './inbox.ts';
import { WalkGrid } from '../walk-grid.ts';
import { createChat } from './chat.ts';
import { createCombat } from './combat.ts';
import { applyLifecycle } from './lifecycle.ts';
import { movement } from './movement.ts';
import { npcAi } from './npc-ai.ts';
import { portals } from './portals.ts';
import { questCredit } from './quest-credit.ts';
import { publishGrid } from './publish-grid.ts';
import { replicate } from './replicate.ts';
import { wanderAi } from './wander-ai.ts';
import { guardDestinations } from '../anticheat/destination-check.ts';

/** What the built-in systems are built from, besides the cell itself. */
export interface BuiltIns {
  handoffs: HandoffCodec;
  wanderers: Wanderers;
  /** What each NPC template drops (content/loot-table.ts). */
  loot: LootTables;
  /** What each item adds while worn (content/item-stats.ts). */
  itemStats: ItemStatsTable;
}

/**
 * The cell's systems in tick order: one line per system. A game system is
 * one module under systems/ with its tests, plus its line here.
 */
export function defaultSystems(ctx: CellContext, b: BuiltIns): System[] {
  // One walkability grid per cell: the NPCs' paths and combat's line of sight.
  const grid = new WalkGrid(ctx.map);
  const combat = createCombat(ctx, grid);
  const gear = new Gear(ctx.store.capacity, b.itemStats, combat.state.stats);
  ctx.parts.register(gear);
  const ground = groundItems(ctx, b.loot, gear, combat);
  const chat = createChat(ctx);
  // Impossible DESTINATION inputs are refused and reported (anti-cheat).
  guardDestinations(ctx);
  return [
    inbox(b.handoffs),
    wanderAi(b.wanderers),
    ...npcAi(ctx, combat, grid, ground.items),
    ground.system,
    // combat (simulate), combat-log (publish), combat-senses (replicate)
    ...combat.systems,
    movement(ctx),
    portals(ctx),
    questCredit(ctx),
    applyLifecycle,
    // say-log (publish)
    ...chat.systems,
    publishGrid(ctx),
    replicate(ctx, combat.snapshot, chat.snapshot),
    handoffOut(b.handoffs),
  ];
}
