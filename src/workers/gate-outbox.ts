import { CellMsg, STATE_MSG_BYTES } from '../shared/cell-messages.ts';
import type { Ring } from '../shared/ring.ts';

/**
 * Writers of the cell → gate control messages (frames are written by the
 * replicator). Each returns false when the ring is full, so the caller can
 * retry what must not be lost.
 */

/** JOINED: the player's entity handle, or JOIN_FAILED. */
export function writeJoined(ring: Ring, conn: number, handle: number): boolean {
  const at = ring.reserve(9);
  if (at < 0) return false;
  ring.view.setUint8(at, CellMsg.JOINED);
  ring.view.setUint32(at + 1, conn, true);
  ring.view.setUint32(at + 5, handle, true);
  ring.commit(9);
  return true;
}

/** LEFT or STATE: position and hp, for saves and checkpoints. */
export function writePlayerReport(ring: Ring, op: typeof CellMsg.LEFT | typeof CellMsg.STATE, conn: number, x: number, y: number, hp: number): boolean {
  const at = ring.reserve(STATE_MSG_BYTES);
  if (at < 0) return false;
  const v = ring.view;
  v.setUint8(at, op);
  v.setUint32(at + 1, conn, true);
  v.setFloat32(at + 5, x, true);
  v.setFloat32(at + 9, y, true);
  v.setUint16(at + 13, hp < 0 ? 0 : hp > 0xffff ? 0xffff : hp, true);
  ring.commit(STATE_MSG_BYTES);
  return true;
}

/** MOVED: the player's entity now lives in `cell`. */
export function writeMoved(ring: Ring, conn: number, cell: number): boolean {
  const at = ring.reserve(6);
  if (at < 0) return false;
  ring.view.setUint8(at, CellMsg.MOVED);
  ring.view.setUint32(at + 1, conn, true);
  ring.view.setUint8(at + 5, cell);
  ring.commit(6);
  return true;
}

/** Bytes a MOVED needs, to check room before an entity leaves. */
export const MOVED_BYTES = 6;
