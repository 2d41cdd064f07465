import { ErrorCode, ProtocolError } from './errors.ts';
import { ServerOp } from './opcodes.ts';
import { Reader } from './reader.ts';
import { decodeSnapshotBody, type SnapshotHeader } from './snapshot-codec.ts';
import { DEFAULT_SCHEMA, type FieldSchema } from './fields.ts';
import { ViewHistory, ViewTable } from './view-table.ts';

/**
 * A client's replicated world: applies each snapshot to the baseline it
 * names and keeps recent states so later deltas find theirs. Used by bots,
 * tests and the browser client; allocates nothing per snapshot.
 */
export class ClientView {
  readonly history: ViewHistory;
  /** Header of the newest applied snapshot. */
  readonly header: SnapshotHeader = { tick: 0, baseTick: 0, lastInputSeq: 0, you: 0 };
  /** Header of the snapshot being decoded; copied to `header` only on success. */
  private readonly pending: SnapshotHeader = { tick: 0, baseTick: 0, lastInputSeq: 0, you: 0 };
  /** The newest state; valid until the next apply(). */
  current: ViewTable;
  private scratch: ViewTable;
  private readonly reader = new Reader();
  private readonly resolve = (baseTick: number): ViewTable | null | undefined =>
    baseTick === 0 ? null : (this.history.find(baseTick) ?? undefined);

  constructor(historySize = 32, schema: FieldSchema = DEFAULT_SCHEMA) {
    this.history = new ViewHistory(historySize, 32, schema);
    this.scratch = new ViewTable(32, schema);
    this.current = new ViewTable(32, schema);
  }

  /**
   * Applies one SNAPSHOT frame; throws ProtocolError when it is malformed,
   * or when it is not newer than the state held (the server never sends an
   * older tick after a newer one; a view must never step back in time).
   */
  apply(frame: Uint8Array): ViewTable {
    const r = this.reader.reset(frame);
    const op = r.u8();
    if (op !== ServerOp.SNAPSHOT) throw new ProtocolError(ErrorCode.UNKNOWN_OPCODE, `expected a snapshot, got opcode ${op}`);
    decodeSnapshotBody(r, this.resolve, this.scratch, this.pending);
    if (this.header.tick !== 0 && this.pending.tick <= this.header.tick) {
      throw new ProtocolError(ErrorCode.BAD_VALUE, `snapshot of tick ${this.pending.tick} is not newer than tick ${this.header.tick} already applied`);
    }
    const h = this.header;
    const p = this.pending;
    h.tick = p.tick;
    h.baseTick = p.baseTick;
    h.lastInputSeq = p.lastInputSeq;
    h.you = p.you;
    const decoded = this.scratch;
    this.scratch = this.history.swapIn(decoded);
    this.current = decoded;
    return decoded;
  }

  /**
   * Forgets every state (after ZONE_CHANGE: the new zone numbers its ticks
   * apart, so its first snapshot, a full one, may carry a lower tick).
   */
  reset(): void {
    this.history.clear();
    const h = this.header;
    h.tick = h.baseTick = h.lastInputSeq = h.you = 0;
    this.current.tick = 0;
    this.current.count = 0;
  }

  /** Tick of the newest state, to acknowledge. */
  get lastTick(): number {
    return this.current.tick;
  }
}
