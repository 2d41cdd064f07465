/**
 * Messages on the rings between the gate and the cells, and between
 * neighbouring cells. Internal (both ends are Tessera), so they are written
 * and read in place with fixed layouts; the first byte is the opcode.
 */

/** Gate → cell (and forwarded cell → cell inside FORWARD). */
export const GateMsg = {
  /** u8 op | u32 conn | u32 characterId | f32 x | f32 y | u16 template | u16 hp (0: full) */
  JOIN: 1,
  /** u8 op | u32 conn */
  LEAVE: 2,
  /** u8 op | u32 conn | u32 seq | u32 ackTick | u8 move | f32 a | f32 b  (a,b: unit direction or destination) */
  INPUT: 3,
  /** u8 op | u32 conn | u32 ackTick */
  ACK: 4,
} as const;
export const GATE_MSG_MAX_BYTES = 24;

/** Cell → gate. */
export const CellMsg = {
  /** u8 op | u8 FrameKind | u32 conn | encoded server frame */
  FRAME: 1,
  /** u8 op | u32 conn | u32 entity handle (0xffffffff: zone full) */
  JOINED: 2,
  /** u8 op | u32 conn | u8 cell: the player's entity now lives in another cell */
  MOVED: 3,
  /** u8 op | u32 conn | f32 x | f32 y | u16 hp: the player left; final state to save */
  LEFT: 4,
  /** u8 op | u32 conn | f32 x | f32 y | u16 hp: about once a second per player, for saves and checkpoints */
  STATE: 5,
} as const;
export const STATE_MSG_BYTES = 15;
export const FRAME_HEADER_BYTES = 6;
export const FrameKind = {
  /** May be skipped under backpressure: the next delta covers it. */
  SNAPSHOT: 0,
  /** Must be delivered (chat, combat results, errors). */
  EVENT: 1,
} as const;
export const JOIN_FAILED = 0xffffffff;

/** Cell → neighbour cell. */
export const PeerMsg = {
  /**
   * u8 op | u32 handle | u8 PrivateKind | private state (see handoff.ts).
   * The entity's shared fields already sit in the store; only what the owner
   * alone keeps travels here.
   */
  HANDOFF: 1,
  /** u8 op | a gate message for a player that moved on, verbatim. */
  FORWARD: 2,
} as const;

export const PrivateKind = { NONE: 0, PLAYER: 1, WANDERER: 2 } as const;

/** Layout offsets of the gate INPUT message, shared by writer and reader. */
export const InputLayout = { conn: 1, seq: 5, ackTick: 9, move: 13, a: 14, b: 18, bytes: 22 } as const;
export const JoinLayout = { conn: 1, characterId: 5, x: 9, y: 13, template: 17, hp: 19, bytes: 21 } as const;

/** Encodes a gate JOIN (see GateMsg.JOIN); joins are rare, so a fresh array is fine. */
export function encodeJoin(conn: number, characterId: number, x: number, y: number, template: number, hp: number): Uint8Array {
  const m = new Uint8Array(JoinLayout.bytes);
  const v = new DataView(m.buffer);
  v.setUint8(0, GateMsg.JOIN);
  v.setUint32(JoinLayout.conn, conn, true);
  v.setUint32(JoinLayout.characterId, characterId, true);
  v.setFloat32(JoinLayout.x, x, true);
  v.setFloat32(JoinLayout.y, y, true);
  v.setUint16(JoinLayout.template, template, true);
  v.setUint16(JoinLayout.hp, hp, true);
  return m;
}

/** Encodes a gate LEAVE. */
export function encodeLeave(conn: number): Uint8Array {
  const m = new Uint8Array(5);
  m[0] = GateMsg.LEAVE;
  new DataView(m.buffer).setUint32(1, conn, true);
  return m;
}
