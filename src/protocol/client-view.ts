import { ErrorCode, ProtocolError } from './errors.ts';
import { ServerOp } from './opcodes.ts';
import { Reader } from './reader.ts';
import { decodeSnapshotBody, type SnapshotExtras, type SnapshotHeader } from './snapshot-codec.ts';
import { EventList } from './snapshot-events.ts';
import { ChatLines } from './chat-lines.ts';
import { SelfState } from './self-state.ts';
import { DEFAULT_SCHEMA, type FieldSchema } from './fields.ts';
import { ViewHistory, ViewTable } from './view-table.ts';

/**
 * States a client keeps by default: at least as many as the server keeps
 * baselines (shared/send-rate.ts MAX_BASELINES_PER_CLIENT), so any baseline
 * the server picks from the client's acknowledgement is still held here
 * however many frames are in flight. Each state costs a client about 5 KB
 * (its view and its self record): a bot fleet pays it per bot.
 */
export const CLIENT_HISTORY = 32;

/**
 * A client's replicated world: applies each snapshot to the baseline it
 * names and keeps recent states so later deltas find theirs, with the
 * snapshot's events and the player's own state (one per state kept, as a
 * self section is a delta against its baseline too). Used by bots, tests and
 * the browser client; allocates nothing per snapshot (but the strings of
 * the chat lines it carries).
 */
export class ClientView {
  /** The events of the newest snapshot (its tick only); valid until the next apply(). */
  readonly events = new EventList();
  /** The chat lines of the newest snapshot (not a delta: each snapshot carries its own); valid until the next apply(). */
  readonly chat = new ChatLines();
  /** The player's own state as of the newest snapshot, or null when the server has sent none. */
  self: SelfState | null = null;
  /**
   * The self state of each slot of the view history (the same tick): which
   * state of the pool it holds (-1: none). A snapshot without a self record
   * holds its baseline's state, so only a record is copied: a bot worker's
   * thousand views are cold in the CPU's caches, and a copy per snapshot
   * touched a dozen arrays each time.
   */
  private readonly selfOf: Int16Array;
  /** One state more than slots, so a free one is always there for a new record; and per state, the slots holding it. */
  private readonly selfPool: SelfState[];
  private readonly selfUsers: Uint16Array;
  private readonly staging: SnapshotExtras = { events: new EventList(), self: new SelfState(), selfPresent: false, chat: new ChatLines() };
  readonly history: ViewHistory;
  /** Header of the newest applied snapshot. */
  readonly header: SnapshotHeader = { tick: 0, baseTick: 0, lastInputSeq: 0, you: 0 };
  /** Header of the snapshot being decoded; copied to `header` only on success. */
  private readonly pending: SnapshotHeader = { tick: 0, baseTick: 0, lastInputSeq: 0, you: 0 };
  /** The newest state; valid until the next apply(). */
  current: ViewTable;
  private scratch: ViewTable;
  private readonly reader = new Reader();
  /** Where the last decode found its baseline in the history (-1: none), kept for keepSelf so the history is searched once per snapshot. */
  private baseSlot = -1;
  private readonly resolve = (baseTick: number): ViewTable | null | undefined => {
    const slot = this.history.slotOf(baseTick);
    this.baseSlot = slot;
    return baseTick === 0 ? null : slot < 0 ? undefined : this.history.tables[slot];
  };

  constructor(historySize = CLIENT_HISTORY, schema: FieldSchema = DEFAULT_SCHEMA) {
    if (!(Number.isInteger(historySize) && historySize >= 1 && historySize < 0x7fff)) throw new RangeError(`a client keeps 1 to 32766 states, got ${historySize}`);
    this.history = new ViewHistory(historySize, 32, schema);
    this.scratch = new ViewTable(32, schema);
    this.current = new ViewTable(32, schema);
    this.selfOf = new Int16Array(historySize).fill(-1);
    this.selfPool = Array.from({ length: historySize + 1 }, () => new SelfState());
    this.selfUsers = new Uint16Array(historySize + 1);
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
    const st = this.staging;
    decodeSnapshotBody(r, this.resolve, this.scratch, this.pending, this.scratch.codec, st);
    if (this.header.tick !== 0 && this.pending.tick <= this.header.tick) {
      throw new ProtocolError(ErrorCode.BAD_VALUE, `snapshot of tick ${this.pending.tick} is not newer than tick ${this.header.tick} already applied`);
    }
    this.events.copyFrom(st.events);
    this.chat.copyFrom(st.chat);
    this.keepSelf(st);
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
    this.selfOf.fill(-1);
    this.selfUsers.fill(0);
    this.self = null;
    this.events.count = 0;
    this.chat.count = 0;
    const h = this.header;
    h.tick = h.baseTick = h.lastInputSeq = h.you = 0;
    this.current.tick = 0;
    this.current.count = 0;
  }

  /**
   * Keeps the self state of the snapshot being applied: the record it carried (copied
   * into a free state of the pool), or else its baseline's (the same state,
   * held once more; none for a full snapshot).
   */
  private keepSelf(st: SnapshotExtras): void {
    const of = this.selfOf;
    const users = this.selfUsers;
    // Read before the slot is reused: the baseline may be in the slot's own table (the oldest).
    const base = st.selfPresent ? -1 : this.baseSlot;
    let held = base < 0 ? -1 : of[base];
    // The slot the decoded table goes to (swapIn), so a state's slot is its tick's.
    const at = this.history.nextSlot;
    if (of[at] >= 0) users[of[at]]--;
    if (st.selfPresent) {
      // At most size - 1 states are held now, of size + 1: one is free.
      // A loop of our own: a typed array's indexOf is a call into V8's runtime.
      held = 0;
      while (held < users.length - 1 && users[held] !== 0) held++;
      this.selfPool[held].copyFrom(st.self);
    }
    of[at] = held;
    if (held >= 0) users[held]++;
    this.self = held >= 0 ? this.selfPool[held] : null;
  }

  /** Tick of the newest state, to acknowledge. */
  get lastTick(): number {
    return this.current.tick;
  }
}
