import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import { MAX_PACE_SHIFT } from '../shared/send-rate.ts';
import type { EntityRows } from './entity-rows.ts';
import { baselinesBytes, readBaselines, writeBaselines } from './handoff.ts';
import { PlayerState } from './player-state.ts';

/**
 * A player's connection state as a handoff carries it to the next owner
 * (CellPlayers' private part): conn, characterId, lastInputSeq, hasInput,
 * ackTick, lastFrameTick, ackWaitFrom, paceShift, paceChangedAt, then the
 * baselines the client may still acknowledge.
 */
const FIXED_BYTES = 4 + 4 + 4 + 1 + 4 + 4 + 4 + 1 + 4;

export function playerWireBytes(p: PlayerState): number {
  return FIXED_BYTES + baselinesBytes(p.history, p.rows, p.ackTick);
}

export function writePlayer(w: Writer, p: PlayerState): void {
  w.u32(p.conn);
  w.u32(p.characterId);
  w.u32(p.lastInputSeq);
  w.u8(p.hasInput ? 1 : 0);
  w.u32(p.ackTick);
  // Its frame schedule: the new owner carries on with the events since its last frame, and with its pacing.
  w.u32(p.lastFrameTick);
  w.u32(p.ackWaitFrom);
  w.u8(p.paceShift);
  w.u32(p.paceChangedAt);
  // The baselines the client may still acknowledge, so the new owner keeps sending deltas.
  writeBaselines(w, p.history, p.rows, p.ackTick);
}

/** Reads what writePlayer() wrote; its baselines' rows go into `rows` (the new owner's). */
export function readPlayer(r: Reader, handle: number, rows: EntityRows, baselines: number): PlayerState {
  const p = new PlayerState(r.u32(), r.u32(), handle, rows, baselines);
  p.lastInputSeq = r.u32();
  p.hasInput = r.u8() === 1;
  p.ackTick = r.u32();
  p.lastFrameTick = r.u32();
  p.ackWaitFrom = r.u32();
  p.paceShift = Math.min(r.u8(), MAX_PACE_SHIFT);
  p.paceChangedAt = r.u32();
  readBaselines(r, p.history, rows);
  return p;
}
