import { PeerMsg, PrivateKind } from '../shared/cell-messages.ts';
import type { Ring } from '../shared/ring.ts';
import { ViewTable } from '../protocol/view-table.ts';
import { PlayerState } from './player-state.ts';

/** Wire size of one baseline row: u32 id, u8 kind, u16 template, u16 x, u16 y, u16 hp, u16 maxHp, u8 level, u8 flags. */
const ROW_BYTES = 17;
const PLAYER_FIXED_BYTES = 1 + 4 + 1 + 4 * 4 + 1 + 4 + 4 + 1;
const WANDERER_BYTES = 1 + 4 + 1 + 4 + 4 + 4;

/** Private state of a wandering NPC (AI memory). */
export interface WandererState {
  dirX: number;
  dirY: number;
  ticksLeft: number;
}

function tableBytes(t: ViewTable): number {
  return 4 + 2 + t.count * ROW_BYTES;
}

/**
 * Writes a player's handoff: the fixed private fields and every baseline the
 * client may still acknowledge (tick >= its last ack), so the new owner keeps
 * sending deltas instead of a full snapshot. Returns false when the ring is
 * full (the caller keeps the entity and retries next tick).
 */
export function writePlayerHandoff(ring: Ring, p: PlayerState): boolean {
  let size = PLAYER_FIXED_BYTES;
  let tables = 0;
  const n = p.history.tables.length;
  for (let k = 0; k < n; k++) {
    const t = p.history.oldestFirst(k);
    if (t.tick !== 0 && t.tick >= p.ackTick) {
      size += tableBytes(t);
      tables++;
    }
  }
  const at = ring.reserve(size);
  if (at < 0) return false;
  const v = ring.view;
  let o = at;
  v.setUint8(o, PeerMsg.HANDOFF); o += 1;
  v.setUint32(o, p.handle, true); o += 4;
  v.setUint8(o, PrivateKind.PLAYER); o += 1;
  v.setUint32(o, p.conn, true); o += 4;
  v.setUint32(o, p.characterId, true); o += 4;
  v.setUint32(o, p.lastInputSeq, true); o += 4;
  v.setUint32(o, p.ackTick, true); o += 4;
  v.setUint8(o, p.move); o += 1;
  v.setFloat32(o, p.moveA, true); o += 4;
  v.setFloat32(o, p.moveB, true); o += 4;
  v.setUint8(o, tables); o += 1;
  // Oldest first, so the new owner's history evicts in the same order.
  for (let k = 0; k < n; k++) {
    const t = p.history.oldestFirst(k);
    if (t.tick === 0 || t.tick < p.ackTick) continue;
    v.setUint32(o, t.tick, true); o += 4;
    v.setUint16(o, t.count, true); o += 2;
    for (let i = 0; i < t.count; i++) {
      v.setUint32(o, t.ids[i], true);
      v.setUint8(o + 4, t.kind[i]);
      v.setUint16(o + 5, t.template[i], true);
      v.setUint16(o + 7, t.x[i], true);
      v.setUint16(o + 9, t.y[i], true);
      v.setUint16(o + 11, t.hp[i], true);
      v.setUint16(o + 13, t.maxHp[i], true);
      v.setUint8(o + 15, t.level[i]);
      v.setUint8(o + 16, t.flags[i]);
      o += ROW_BYTES;
    }
  }
  ring.commit(o - at);
  return true;
}

/** Reads a player handoff written by writePlayerHandoff (offset after the kind byte). */
export function readPlayerHandoff(v: DataView, o: number, handle: number): PlayerState {
  const conn = v.getUint32(o, true);
  const p = new PlayerState(conn, v.getUint32(o + 4, true), handle);
  p.lastInputSeq = v.getUint32(o + 8, true);
  p.ackTick = v.getUint32(o + 12, true);
  p.move = v.getUint8(o + 16);
  p.moveA = v.getFloat32(o + 17, true);
  p.moveB = v.getFloat32(o + 21, true);
  const tables = v.getUint8(o + 25);
  o += 26;
  for (let k = 0; k < tables; k++) {
    const tick = v.getUint32(o, true);
    const count = v.getUint16(o + 4, true);
    o += 6;
    const t = p.history.claim(tick);
    t.ensure(count);
    for (let i = 0; i < count; i++) {
      t.ids[i] = v.getUint32(o, true);
      t.kind[i] = v.getUint8(o + 4);
      t.template[i] = v.getUint16(o + 5, true);
      t.x[i] = v.getUint16(o + 7, true);
      t.y[i] = v.getUint16(o + 9, true);
      t.hp[i] = v.getUint16(o + 11, true);
      t.maxHp[i] = v.getUint16(o + 13, true);
      t.level[i] = v.getUint8(o + 15);
      t.flags[i] = v.getUint8(o + 16);
      o += ROW_BYTES;
    }
    t.count = count;
  }
  return p;
}

export function writeWandererHandoff(ring: Ring, handle: number, w: WandererState): boolean {
  const at = ring.reserve(WANDERER_BYTES);
  if (at < 0) return false;
  const v = ring.view;
  v.setUint8(at, PeerMsg.HANDOFF);
  v.setUint32(at + 1, handle, true);
  v.setUint8(at + 5, PrivateKind.WANDERER);
  v.setFloat32(at + 6, w.dirX, true);
  v.setFloat32(at + 10, w.dirY, true);
  v.setUint32(at + 14, w.ticksLeft, true);
  ring.commit(WANDERER_BYTES);
  return true;
}

export function readWandererHandoff(v: DataView, o: number, into: WandererState): void {
  into.dirX = v.getFloat32(o, true);
  into.dirY = v.getFloat32(o + 4, true);
  into.ticksLeft = v.getUint32(o + 8, true);
}

