import { CellMsg, STATE_MSG_BYTES } from '../shared/cell-messages.ts';
import type { EntityStore } from '../shared/entity-store.ts';
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

/**
 * LEFT or STATE: the slot's position and hp, for saves and checkpoints. Reads
 * the store itself: passing the coordinates as arguments would box them.
 */
export function writePlayerReport(ring: Ring, op: typeof CellMsg.LEFT | typeof CellMsg.STATE, conn: number, store: EntityStore, slot: number): boolean {
  const at = ring.reserve(STATE_MSG_BYTES);
  if (at < 0) return false;
  const v = ring.view;
  const hp = store.f.hp[slot];
  v.setUint8(at, op);
  v.setUint32(at + 1, conn, true);
  v.setFloat32(at + 5, store.f.x[slot], true);
  v.setFloat32(at + 9, store.f.y[slot], true);
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
