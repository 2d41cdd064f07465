import { ACK_LAG_BUCKETS_SECONDS, FRAME_INTERVAL_BUCKETS_SECONDS, StatSlot } from '../shared/layout.ts';
import { MAX_PACE_SHIFT, MIN_BASELINES_PER_CLIENT } from '../shared/send-rate.ts';
import { observe } from '../shared/stats.ts';
import type { PlayerState } from './player-state.ts';

/**
 * Ack lag (tick − the newest acknowledged tick) past which a client is
 * paced, and under which it recovers, beyond its own frame interval: a
 * healthy client acks within a round trip and its ack period (~100 ms), a
 * 300 ms mobile link with jitter stays under the first.
 */
export const PACE_BACKOFF_MS = 600;
export const PACE_RECOVER_MS = 300;
/** Least time between two pacing changes: the acks in flight must show the last change first. */
export const PACE_HOLD_MS = 500;

/**
 * When each player gets a frame. Frames go out every `interval` ticks
 * (TICK_HZ / SEND_HZ), on the ticks where (tick + conn) is a multiple of
 * it, so each tick encodes about 1/interval of the players and the peak
 * falls. The phase depends on the connection and the zone tick only, so it
 * survives a handoff. A client whose acks fall behind is paced: its interval
 * doubles (up to MAX_PACE_SHIFT times) while its ack lag stays past
 * PACE_BACKOFF_MS (or past half its baselines' worth of frames, whichever
 * comes first), and halves again once it is back under PACE_RECOVER_MS;
 * a lagging client gets fewer frames, never more or bigger ones. Allocates
 * nothing.
 */
export class SendPacer {
  readonly interval: number;
  private readonly tickHz: number;
  private readonly backoffTicks: number;
  private readonly recoverTicks: number;
  private readonly holdTicks: number;

  /** Baselines each client keeps: pacing starts before half of them are in flight, whatever the send rate. */
  private readonly baselines: number;

  constructor(tickHz: number, interval: number, baselines = MIN_BASELINES_PER_CLIENT) {
    this.tickHz = tickHz;
    this.interval = interval;
    this.baselines = baselines;
    this.backoffTicks = Math.ceil((PACE_BACKOFF_MS * tickHz) / 1000);
    this.recoverTicks = Math.ceil((PACE_RECOVER_MS * tickHz) / 1000);
    this.holdTicks = Math.ceil((PACE_HOLD_MS * tickHz) / 1000);
  }

  /** Ticks between `p`'s frames now. */
  frameInterval(p: PlayerState): number {
    return this.interval << p.paceShift;
  }

  /** True when `p`'s frame is due on `tick`: its phase, and a whole (paced) interval since its last frame. */
  due(p: PlayerState, tick: number): boolean {
    if ((tick + p.conn) % this.interval !== 0) return false;
    const last = p.lastFrameTick;
    return last === 0 || last >= tick || tick - last >= this.interval << p.paceShift;
  }

  /** Ticks since the newest tick `p` acknowledged (or since its first unacknowledged frame); 0 before any frame. */
  ackLag(p: PlayerState, tick: number): number {
    const from = p.ackTick > p.ackWaitFrom ? p.ackTick : p.ackWaitFrom;
    return from === 0 || from >= tick ? 0 : tick - from;
  }

  /**
   * A frame of `tick` was queued for `p`: remembers it (its next frame
   * carries the events since) and paces the client by its ack lag.
   */
  sent(p: PlayerState, tick: number, stats: Float64Array): void {
    if (p.ackTick === 0 && p.ackWaitFrom === 0) p.ackWaitFrom = tick;
    const lag = this.ackLag(p, tick);
    p.lastFrameTick = tick;
    const own = this.interval << p.paceShift;
    // Past PACE_BACKOFF_MS, or past half its baselines in flight (at a high send rate that comes first).
    const inFlight = (this.baselines >> 1) * own;
    const backoff = inFlight < this.backoffTicks ? inFlight : this.backoffTicks;
    const recover = inFlight >> 1 < this.recoverTicks ? inFlight >> 1 : this.recoverTicks;
    // One change per hold (the acks in flight must show the last one first); no hold before the first.
    const hold = backoff < this.holdTicks ? backoff : this.holdTicks;
    if (p.paceChangedAt !== 0 && tick - p.paceChangedAt < hold) return;
    if (lag > backoff + own && p.paceShift < MAX_PACE_SHIFT) {
      p.paceShift++;
      p.paceChangedAt = tick;
      stats[StatSlot.paceBackoffs]++;
    } else if (lag < recover + own && p.paceShift > 0) {
      p.paceShift--;
      p.paceChangedAt = tick;
      stats[StatSlot.paceRecoveries]++;
    }
  }

  /** Observes `p`'s ack lag and frame interval into the cell's histograms (once a second per client). */
  observe(p: PlayerState, tick: number, stats: Float64Array): void {
    observe(stats, StatSlot.histAckLag, ACK_LAG_BUCKETS_SECONDS, this.ackLag(p, tick) / this.tickHz);
    observe(stats, StatSlot.histFrameInterval, FRAME_INTERVAL_BUCKETS_SECONDS, (this.interval << p.paceShift) / this.tickHz);
  }
}
