import type { HandoffCodec } from '../handoff.ts';
import type { CellContext, System } from '../system.ts';
import type { Wanderers } from '../wanderers.ts';
import type { LootTables } from '../../content/loot-table.ts';
import { groundItems } from './ground-items.ts';
import { handoffOut } from './handoff-out.ts';
import { inbox } from './inbox.ts';
import { WalkGrid } from '../walk-grid.ts';
import { createCombat } from './combat.ts';
import { applyLifecycle } from './lifecycle.ts';
import { movement } from './movement.ts';
import { npcAi } from './npc-ai.ts';
import { portals } from './portals.ts';
import { publishGrid } from './publish-grid.ts';
import { replicate } from './replicate.ts';
import { wanderAi } from './wander-ai.ts';

/** What the built-in systems are built from, besides the cell itself. */
export interface BuiltIns {
  handoffs: HandoffCodec;
  wanderers: Wanderers;
  /** What each NPC template drops (content/loot-table.ts). */
  loot: LootTables;
}

/**
 * The cell's systems in tick order: one line per system. A game system is
 * one module under systems/ with its tests, plus its line here.
 */
export function defaultSystems(ctx: CellContext, b: BuiltIns): System[] {
  // One walkability grid per cell: the NPCs' paths and combat's line of sight.
  const grid = new WalkGrid(ctx.map);
  const combat = createCombat(ctx, grid);
  const ground = groundItems(ctx, b.loot);
  return [
    inbox(b.handoffs),
    wanderAi(b.wanderers),
    ...npcAi(ctx, combat, grid, ground.items),
    ground.system,
    // combat (simulate), combat-log (publish), combat-senses (replicate)
    ...combat.systems,
    movement(ctx),
    portals(ctx),
    applyLifecycle,
    publishGrid(ctx),
    replicate(ctx, combat.snapshot),
    handoffOut(b.handoffs),
  ];
}
