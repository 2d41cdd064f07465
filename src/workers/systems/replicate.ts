import { StatSlot } from '../../shared/layout.ts';
import { Replicator, type SnapshotChat, type SnapshotExtras } from '../replication.ts';
import { baselinesPerClient, maxFrameInterval } from '../../shared/send-rate.ts';
import { SendPacer } from '../send-pacing.ts';
import { backlogTicks, GateBacklog } from '../gate-backlog.ts';
import type { CellContext, System } from '../system.ts';

/**
 * One frame per owned player on its send ticks (every TICK_HZ / SEND_HZ
 * ticks, staggered by connection, longer while a lagging client is paced:
 * send-pacing.ts): its area of interest diffed against its acknowledged
 * baseline (replication.ts), then its events and self record (`extras`:
 * combat's) and its chat (`chat`), both of every tick since its previous
 * frame. About once a second per player, staggered, a STATE report for
 * saves and checkpoints, and its ack lag and frame interval observed.
 * While the gate has not yet read the frames of GATE_BACKLOG_MS ago, the
 * tick's frames are shed (gate-backlog.ts), but never a player's for
 * longer than its longest paced interval, so its next frame still finds
 * every event and say line since its last: a stalled gate gets a frame per
 * player every few ticks, each a delta covering the gap.
 */
export function replicate(ctx: CellContext, extras?: SnapshotExtras, chat?: SnapshotChat): System {
  const replicator = new Replicator(ctx.views, ctx.gateOut.ring, ctx.stats, extras, chat, ctx.players.rows);
  const pacer = new SendPacer(ctx.tickHz, ctx.views.sendInterval, baselinesPerClient(ctx.tickHz, ctx.views.init.spec.sendHz));
  const backlog = new GateBacklog(backlogTicks(ctx.tickHz));
  // A frame carries the events and say lines since the player's last one, which the logs keep for twice this: shed no longer.
  const maxShed = maxFrameInterval(ctx.views.sendInterval);
  return {
    name: 'replicate',
    phase: 'replicate',
    run(c) {
      const list = c.players.slots.list;
      const bySlot = c.players.bySlot;
      const ring = c.gateOut.ring;
      // Must-deliver messages wait for room: frames must not overtake them, and are the first thing to shed.
      const blocked = c.gateOut.waiting > 0;
      const behind = backlog.behind(ring, c.tick);
      for (let i = c.players.slots.count - 1; i >= 0; i--) {
        const slot = list[i];
        const p = bySlot[slot]!;
        if (pacer.due(p, c.tick)) {
          if (behind && c.tick - p.lastFrameTick < maxShed) c.stats[StatSlot.framesShed]++;
          else if (blocked || (extras?.checkpoint && !extras.checkpoint(p, slot, c.tick))) c.stats[StatSlot.framesDropped]++;
          else if (replicator.replicate(p, slot, c.tick)) pacer.sent(p, c.tick, c.stats);
        }
        if ((c.tick + p.conn) % c.tickHz === 0) {
          pacer.observe(p, c.tick, c.stats);
          if (!blocked) c.players.reportState(p, slot, ring);
        }
      }
      ring.flush();
      backlog.mark(ring, c.tick);
      ring.notify();
    },
  };
}
