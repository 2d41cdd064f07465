import { StatSlot } from '../../shared/layout.ts';
import { SayLog } from '../chat/say-log.ts';
import { SaySnapshot } from '../chat/say-snapshot.ts';
import type { CellContext, System } from '../system.ts';

/**
 * A cell's part of chat (docs/game.md, "Chat"): the coordinator checks and
 * routes every message, and passes a SAY to the cell that owns the speaker;
 * the cell logs it under the speaker's AOI tile in its region of the shared
 * say log (`say-log`, publish phase), and replication gives each player the
 * lines said in its 3×3 tiles (`snapshot`), whichever cell logged them.
 */
export interface Chat {
  readonly snapshot: SaySnapshot;
  readonly systems: System[];
}

export function createChat(ctx: CellContext): Chat {
  const log = new SayLog(ctx.views.sayLog[ctx.cell], ctx.stats, StatSlot.sayLogged, StatSlot.sayDropped);
  const g = ctx.views.geometry;
  const f = ctx.store.f;
  ctx.players.onSay = (slot, m, bytes) => {
    log.add(g.tileX(f.x[slot]), g.tileY(f.y[slot]), bytes, m.lineAt, m.lineLength);
  };
  return {
    snapshot: new SaySnapshot(ctx),
    systems: [
      {
        name: 'say-log',
        phase: 'publish',
        run(c) {
          log.publish(c.tick);
        },
      },
    ],
  };
}
