import { Reader } from '../../protocol/reader.ts';
import { Writer } from '../../protocol/writer.ts';
import { beginCheckpoint, commitCheckpoint } from '../../shared/messages/cell-to-gate.ts';
import type { Ring } from '../../shared/ring.ts';
import type { PlayerState } from '../player-state.ts';
import type { CombatPart } from './part.ts';
import type { CombatState } from './state.ts';

/**
 * Each player's combat private state (auras, cooldowns, cast, in combat
 * until), handed to the coordinator whenever it changed and before the
 * frame that shows the change (CellMsg.CHECKPOINT into the same ring), so a
 * cell that dies loses none of what a client was told: the restarted cell
 * reads it back (recover). A change is what bumps the player's self-record
 * stamp (CombatState.selfStamp), so an unchanged player costs a comparison.
 * Health, level, experience and mana live in the shared store and survive
 * a restart anyway.
 */
export class CombatCheckpoints {
  private readonly s: CombatState;
  private readonly part: CombatPart;
  private readonly out: Ring;
  /** Per slot: the stamp last handed over, plus one (0: none since the slot's player came). */
  private readonly sent: Uint32Array;
  private readonly writer = new Writer();
  private readonly reader = new Reader();

  constructor(s: CombatState, part: CombatPart, out: Ring) {
    this.s = s;
    this.part = part;
    this.out = out;
    this.sent = new Uint32Array(s.selfStamp.length);
  }

  /** Writes `p`'s checkpoint if it changed since the last one; false when the ring had no room (try again next tick). */
  write(p: PlayerState, slot: number, tick: number): boolean {
    const mark = (this.s.selfStamp[slot] + 1) >>> 0;
    if (this.sent[slot] === mark && mark !== 0) return true;
    const n = this.part.size(slot);
    const body = beginCheckpoint(this.out, p.conn, tick, n);
    if (body < 0) return false;
    const w = this.writer.reset(this.out.bytes, body, n);
    this.part.write(w, slot);
    commitCheckpoint(this.out, w.length);
    this.sent[slot] = mark;
    return true;
  }

  /** The slot's player is gone from this cell: its next one starts with a checkpoint. */
  forget(slot: number): void {
    this.sent[slot] = 0;
  }

  /** After a cell restart: the player's combat state from the coordinator's checkpoint; false when it holds none. */
  restore(slot: number, handle: number): boolean {
    const saved = this.s.ctx.players.reattached(handle)?.combat;
    if (!saved || saved.length === 0) return false;
    this.part.read(this.reader.reset(saved), slot);
    return true;
  }
}
