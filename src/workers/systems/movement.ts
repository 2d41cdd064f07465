import { MoveKind } from '../../protocol/opcodes.ts';
import { EntityFlags, EntityKind } from '../../shared/layout.ts';
import { MoveArg, Mover } from '../movement.ts';
import type { CellContext, System } from '../system.ts';

/**
 * Carries out every owned entity's movement intent on the walkability map:
 * a direction at the intent's speed (or the kind's), or a walk to a destination that stops on
 * arrival. Entities without an intent stand still, and so do the dead.
 */
export function movement(ctx: CellContext): System {
  const mover = new Mover(ctx.store, ctx.map);
  return {
    name: 'movement',
    phase: 'simulate',
    run(c) {
      const f = c.store.f;
      const { move, a, b } = c.intents;
      const args = mover.args;
      const list = c.owned.list;
      const playerStep = c.playerSpeed * c.dt;
      const wanderStep = c.wanderSpeed * c.dt;
      for (let i = 0; i < c.owned.count; i++) {
        const slot = list[i];
        // The dead do not move (a dead player's inputs still arrive; they wait for its respawn).
        if ((f.flags[slot] & EntityFlags.DEAD) !== 0) move[slot] = MoveKind.STOP;
        const m = move[slot];
        if (m === MoveKind.STOP) {
          if ((f.flags[slot] & EntityFlags.MOVING) !== 0) {
            f.vx[slot] = 0;
            f.vy[slot] = 0;
            f.flags[slot] &= ~EntityFlags.MOVING;
          }
          continue;
        }
        const speed = c.intents.speed[slot];
        args[MoveArg.STEP] = speed > 0 ? speed * c.dt : f.kind[slot] === EntityKind.PLAYER ? playerStep : wanderStep;
        args[MoveArg.X] = a[slot];
        args[MoveArg.Y] = b[slot];
        if (m === MoveKind.DESTINATION) {
          if (mover.toward(slot)) move[slot] = MoveKind.STOP;
        } else mover.along(slot);
      }
    },
  };
}
