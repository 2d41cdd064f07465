import { BaselineHistory } from './baselines.ts';
import { EntityRows } from './entity-rows.ts';
import { MIN_BASELINES_PER_CLIENT } from '../shared/send-rate.ts';

/**
 * Baselines kept per client when the zone does not say (tests): the zone
 * sizes them from its send rate (send-rate.ts baselinesPerClient), at least
 * a second of frames and never fewer than Quake III's 32, so a client on a
 * slow link still gets deltas against the older state it acknowledged
 * instead of full snapshots. Each baseline held costs memory per player
 * (about 250 bytes at 30 entities in view: ids and references into the
 * cell's shared entity rows, entity-rows.ts); a prompt client holds only
 * the few still in flight (baselines.ts).
 */
export const BASELINES_PER_CLIENT = MIN_BASELINES_PER_CLIENT;

/** What only the owning cell knows about a player; travels in a handoff. */
export class PlayerState {
  conn: number;
  characterId: number;
  handle: number;
  /** Last input applied, echoed in snapshots for reconciliation and RTT. */
  lastInputSeq = 0;
  /** False until an input was applied: any first sequence number is then newer. */
  hasInput = false;
  /** Newest snapshot tick the client acknowledged: the delta baseline. */
  ackTick = 0;
  /** Tick of the last frame queued for this client (0: none yet): its next frame carries the events since. */
  lastFrameTick = 0;
  /** Tick of the first frame sent while no ack was known (0: none): where its ack lag counts from until one comes. */
  ackWaitFrom = 0;
  /** Pacing: the frame interval is the send interval doubled this many times (send-pacing.ts). */
  paceShift = 0;
  /** Tick pacing last changed the interval. */
  paceChangedAt = 0;
  /** Replication baselines: what this client was sent, by tick (those it may still acknowledge). */
  readonly history: BaselineHistory;
  /** The entity rows its views refer to: its cell's, shared by every player there (a player alone: its own). */
  readonly rows: EntityRows;

  constructor(conn: number, characterId: number, handle: number, rows: EntityRows = new EntityRows(), baselines = BASELINES_PER_CLIENT) {
    this.conn = conn;
    this.characterId = characterId;
    this.handle = handle;
    this.rows = rows;
    this.history = new BaselineHistory(baselines, 32);
  }

  /** The client came back (RESYNC): no ack known yet, no pacing. */
  resetPacing(): void {
    this.ackWaitFrom = 0;
    this.paceShift = 0;
    this.paceChangedAt = 0;
  }
}

/** True when u32 sequence `a` is newer than `b`, across wrap-around (serial number arithmetic, RFC 1982). */
export function seqNewer(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
