import type { FieldSchema } from '../protocol/fields.ts';
import { ViewHistory } from '../protocol/view-table.ts';

/**
 * Baselines kept per client. Acks come back within a few ticks (clients ack
 * about every 100 ms), so 10 covers half a second at 20 Hz; an ack older
 * than that gets a full snapshot. Each baseline costs memory per player.
 */
export const BASELINES_PER_CLIENT = 10;

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
  /** Replication baselines: what this client was sent, by tick. */
  readonly history: ViewHistory;

  constructor(conn: number, characterId: number, handle: number, schema?: FieldSchema, history = new ViewHistory(BASELINES_PER_CLIENT, 32, schema)) {
    this.conn = conn;
    this.characterId = characterId;
    this.handle = handle;
    this.history = history;
  }
}

/** True when u32 sequence `a` is newer than `b`, across wrap-around (serial number arithmetic, RFC 1982). */
export function seqNewer(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
