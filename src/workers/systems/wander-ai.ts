import { EntityKind } from '../../shared/layout.ts';
import type { System } from '../system.ts';
import type { Wanderers } from '../wanderers.ts';

/** The generic wandering NPCs (no content template: benchmark zones) decide where to walk. */
export function wanderAi(wanderers: Wanderers): System {
  return {
    name: 'wander-ai',
    phase: 'simulate',
    run(ctx) {
      const f = ctx.store.f;
      const list = ctx.owned.list;
      for (let i = 0; i < ctx.owned.count; i++) {
        const slot = list[i];
        if (f.kind[slot] === EntityKind.NPC && f.template[slot] === 0) wanderers.think(slot, f.flags[slot]);
      }
    },
  };
}
