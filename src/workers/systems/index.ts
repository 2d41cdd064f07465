import type { HandoffCodec } from '../handoff.ts';
import type { CellContext, System } from '../system.ts';
import type { Wanderers } from '../wanderers.ts';
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

/** What the built-in systems are built from, besides the cell itself. */
export interface BuiltIns {
  handoffs: HandoffCodec;
  wanderers: Wanderers;
}

/**
 * The cell's systems in tick order: one line per system. A game system is
 * one module under systems/ with its tests, plus its line here.
 */
export function defaultSystems(ctx: CellContext, b: BuiltIns): System[] {
  // One walkability grid per cell: the NPCs' paths and combat's line of sight.
  const grid = new WalkGrid(ctx.map);
  const combat = createCombat(ctx, grid);
  const chat = createChat(ctx);
  return [
    inbox(b.handoffs),
    wanderAi(b.wanderers),
    ...npcAi(ctx, combat, grid),
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
