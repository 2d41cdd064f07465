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
  /** Self states by tick, parallel to the view history (a ring of the same size). */
  private readonly selfTicks: Uint32Array;
  private readonly selfHas: Uint8Array;
  private readonly selfStates: SelfState[];
  private selfNext = 0;
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
  private readonly resolve = (baseTick: number): ViewTable | null | undefined =>
    baseTick === 0 ? null : (this.history.find(baseTick) ?? undefined);

  constructor(historySize = CLIENT_HISTORY, schema: FieldSchema = DEFAULT_SCHEMA) {
    this.history = new ViewHistory(historySize, 32, schema);
    this.scratch = new ViewTable(32, schema);
    this.current = new ViewTable(32, schema);
    this.selfTicks = new Uint32Array(historySize);
    this.selfHas = new Uint8Array(historySize);
    this.selfStates = Array.from({ length: historySize }, () => new SelfState());
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
    this.keepSelf(this.pending.tick, this.pending.baseTick, st);
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
    this.selfHas.fill(0);
    this.self = null;
    this.events.count = 0;
    this.chat.count = 0;
    const h = this.header;
    h.tick = h.baseTick = h.lastInputSeq = h.you = 0;
    this.current.tick = 0;
    this.current.count = 0;
  }

  /**
   * Keeps the self state of `tick`: the record the snapshot carried, or
   * else its baseline's (none for a full snapshot).
   */
  private keepSelf(tick: number, baseTick: number, st: SnapshotExtras): void {
    // One copy, straight from where the record is (the snapshot, or the baseline's state) into the state kept.
    let from: SelfState | null = st.selfPresent ? st.self : null;
    if (from === null && baseTick !== 0) {
      for (let i = 0; i < this.selfTicks.length; i++) {
        if (this.selfHas[i] === 1 && this.selfTicks[i] === baseTick) {
          from = this.selfStates[i];
          break;
        }
      }
    }
    const at = this.selfNext;
    this.selfNext = (at + 1) % this.selfTicks.length;
    this.selfTicks[at] = tick;
    this.selfHas[at] = from !== null ? 1 : 0;
    // The baseline may be the state being reused (the oldest): copyFrom of itself is nothing to do.
    if (from !== null) this.selfStates[at].copyFrom(from);
    this.self = from !== null ? this.selfStates[at] : null;
  }

  /** Tick of the newest state, to acknowledge. */
  get lastTick(): number {
    return this.current.tick;
  }
}
