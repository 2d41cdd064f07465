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
  /** Newest snapshot tick the client acknowledged: the delta baseline. */
  ackTick = 0;
  /** MoveKind and its operands (unit direction or destination). */
  move = 0;
  moveA = 0;
  moveB = 0;
  /** Inputs applied in the current second, for the rate check. */
  inputsThisSecond = 0;
  /** Replication baselines: what this client was sent, by tick. */
  readonly history: ViewHistory;

  constructor(conn: number, characterId: number, handle: number, history = new ViewHistory(BASELINES_PER_CLIENT)) {
    this.conn = conn;
    this.characterId = characterId;
    this.handle = handle;
    this.history = history;
  }
}
