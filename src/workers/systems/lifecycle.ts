import type { System } from '../system.ts';

/** The one point where this tick's spawns, despawns and teleports take effect. */
export const applyLifecycle: System = {
  name: 'lifecycle',
  phase: 'spawn',
  run(ctx) {
    ctx.lifecycle.apply();
  },
};
