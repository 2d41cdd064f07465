import { StatSlot } from '../../shared/layout.ts';
import type { Writer } from '../../protocol/writer.ts';
import type { PlayerState } from '../player-state.ts';
import type { SnapshotChat } from '../replication.ts';
import type { CellContext } from '../system.ts';
import { SayLogReader } from './say-log.ts';

/**
 * A player's chat section (protocol/chat-lines.ts): the lines said in its
 * 3×3 AOI tiles since its previous frame (this tick only for its first), from every cell's say log, then the empty
 * second run, the byte the gate replaces with the lines the coordinator
 * routed to the player. Runs in the replicate half; allocates nothing.
 */
export class SaySnapshot implements SnapshotChat {
  private readonly ctx: CellContext;
  private readonly reader: SayLogReader;

  constructor(ctx: CellContext) {
    this.ctx = ctx;
    this.reader = new SayLogReader(ctx.views.sayLog);
  }

  write(w: Writer, p: PlayerState, slot: number, tick: number): void {
    const g = this.ctx.views.geometry;
    const f = this.ctx.store.f;
    const last = p.lastFrameTick;
    // A gap past the log's window lost the oldest ticks' lines (counted by the Replicator: StatSlot.logTicksMissed).
    let from = last === 0 || last >= tick ? tick : last + 1;
    if (from < tick - this.reader.window + 1) from = tick - this.reader.window + 1;
    const cut = this.reader.writeRun(w, g.tileX(f.x[slot]), g.tileY(f.y[slot]), from, tick);
    if (cut > 0) this.ctx.stats[StatSlot.sayCut] += cut;
    // The coordinator's run: the gate fills it as it sends the frame.
    w.u8(0);
  }
}
