import { EntityKind } from '../../shared/layout.ts';
import type { System } from '../system.ts';
import type { Wanderers } from '../wanderers.ts';

/** The wandering NPCs decide where to walk (their movement intent). */
export function wanderAi(wanderers: Wanderers): System {
  return {
    name: 'wander-ai',
    phase: 'simulate',
    run(ctx) {
      const f = ctx.store.f;
      const list = ctx.owned.list;
      for (let i = 0; i < ctx.owned.count; i++) {
        const slot = list[i];
        if (f.kind[slot] === EntityKind.NPC) wanderers.think(slot, f.flags[slot]);
      }
    },
  };
}
