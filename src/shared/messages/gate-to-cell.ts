import type { MessageSink } from '../reliable-ring.ts';

/**
 * Gate → cell messages (and the same, forwarded cell → cell inside FORWARD).
 * Internal: both ends are Tessera, so they are written and read in place
 * with the fixed layouts below; the first byte is the opcode. Each message
 * has its writer here, and GateMessage (gate-message.ts) reads them all.
 */
export const GateMsg = {
  JOIN: 1,
  LEAVE: 2,
  INPUT: 3,
  ACK: 4,
  ACTION: 5,
  REWARD: 6,
  SPAWN_NPC: 7,
  DISMISS_NPCS: 8,
  /** An item message (shared/messages/items.ts: GATE_ITEM_OP). */
  ITEM: 9,
  /** A chat line said by a player (SayLayout). */
  SAY: 10,
  /**
   * The player's connection was resumed on a new socket (gate/resume.ts):
   * its new client has no baseline and numbers its inputs and actions afresh,
   * so the next snapshot is a full one and any first seq is newer. (11: 6-10 are
   * REWARD, SPAWN_NPC, DISMISS_NPCS, ITEM and SAY).
   */
  RESYNC: 11,
  /** An operator's teleport (the console). */
  TELEPORT: 12,
  /**
   * An operator's teleport to another zone: the cell frees the player's entity
   * and answers with a PORTAL numbered OPERATOR_PORTAL, as if it had stepped
   * into a portal; the gate joins it in the target zone (same layout as LEAVE).
   */
  DEPART: 13,
  /**
   * The player's experience up to `xp` is durable (a checkpoint holding it
   * landed): the answer to a cell's EXPERIENCE; the cell may now tell it
   * (combat/experience.ts). Must-deliver, forwarded to the owner like an input.
   */
  EXPERIENCE_DURABLE: 14,
} as const;

/**
 * u8 op | u32 conn | u32 characterId | f32 x | f32 y | u16 template | u16 hp (0: full) | u8 level (0: a new
 * character, level 1) | u32 xp | u32 rewardSeq [| u16 n | n bytes: the combat carry]. `template` is the
 * character's class number in the content (0: the first class). `rewardSeq`: the highest stored
 * reward (REWARD's seq) `xp` includes. The carry (combat/carry.ts) is what a player brings
 * through a portal: its cooldowns and auras, ticks relative; left out at login.
 */
export const JoinLayout = { conn: 1, characterId: 5, x: 9, y: 13, template: 17, hp: 19, level: 21, xp: 22, rewardSeq: 26, bytes: 30, carryLength: 30, carry: 32 } as const;
/** Largest combat carry a JOIN or PORTAL holds. */
export const MAX_CARRY_BYTES = 1024;
/** u8 op | u32 conn */
export const LeaveLayout = { conn: 1, bytes: 5 } as const;
/** u8 op | u32 conn */
export const ResyncLayout = { conn: 1, bytes: 5 } as const;
/** u8 op | u32 conn | u32 seq | u32 ackTick | u8 move | f32 a | f32 b  (a, b: unit direction or destination) */
export const InputLayout = { conn: 1, seq: 5, ackTick: 9, move: 13, a: 14, b: 18, bytes: 22 } as const;
/** u8 op | u32 conn | u32 ackTick */
export const AckLayout = { conn: 1, ackTick: 5, bytes: 9 } as const;
/**
 * u8 op | u32 conn | u16 seq | u8 kind | u32 target | u16 skill | f32 x | f32 y:
 * a client's ACTION (protocol/combat-codes.ts). Droppable, like an input: an
 * action lost to a full ring is counted at the gate, and the client, seeing
 * its seq unanswered in its self record, sends it again.
 */
export const ActionLayout = { conn: 1, seq: 5, kind: 7, target: 8, skill: 12, x: 14, y: 18, bytes: 22 } as const;
/**
 * u8 op | u32 conn | u32 experience | u32 seq: a quest's reward, paid by the
 * player's owner, which answers with cell-to-gate REWARDED. `seq` numbers the
 * stored row it pays (migrations/007): one at or below the store's
 * `rewardSeq` is paid already and only answered; 0 is a reward with no
 * stored row (a world event's), always paid. Must-deliver.
 */
export const RewardLayout = { conn: 1, experience: 5, seq: 9, bytes: 13 } as const;
/** u8 op | u32 conn | u32 xp: the player's experience durable up to `xp` (EXPERIENCE_DURABLE). Must-deliver. */
export const DurableLayout = { conn: 1, xp: 5, bytes: 9 } as const;
/** u8 op | u32 conn (0) | u16 template | f32 x | f32 y: a scripted NPC (a world event's boss) at a point of the receiving cell. Must-deliver. */
export const SpawnNpcLayout = { conn: 1, template: 5, x: 7, y: 11, bytes: 15 } as const;
/** u8 op | u32 conn (0) | u16 template: every live scripted NPC of `template` the cell owns leaves. Must-deliver, to every cell. */
export const DismissNpcsLayout = { conn: 1, template: 5, bytes: 7 } as const;
/**
 * u8 op | u32 conn | u16 length | line: a chat line the player said
 * (protocol/chat-lines.ts, encoded by the gate after its checks), for the
 * cell that owns the player to log under its tile (workers/chat/). Droppable:
 * a SAY lost to a full ring is told to the speaker (UNAVAILABLE).
 */
export const SayLayout = { conn: 1, length: 5, line: 7 } as const;
/** Largest gate message but a SAY (its line may take CHAT_LINE_MAX_BYTES more) and a JOIN with a combat carry (JoinLayout.carry + MAX_CARRY_BYTES); an ITEM (shared/messages/items.ts) is 39 bytes. */
export const GATE_MSG_MAX_BYTES = 40;
/**
 * u8 op | u32 conn | f32 x | f32 y: move the connection's player to (x, y) of
 * its zone (the nearest walkable spot), as a respawn does: through the
 * lifecycle's teleports, then the handoff to whichever cell owns the point.
 * Must-deliver (an operator's action is not superseded by a later one).
 */
export const TeleportLayout = { conn: 1, x: 5, y: 9, bytes: 13 } as const;

export function writeSpawnNpc(out: MessageSink, template: number, x: number, y: number): boolean {
  const at = out.reserve(SpawnNpcLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.SPAWN_NPC);
  v.setUint32(at + SpawnNpcLayout.conn, 0, true);
  v.setUint16(at + SpawnNpcLayout.template, template, true);
  v.setFloat32(at + SpawnNpcLayout.x, x, true);
  v.setFloat32(at + SpawnNpcLayout.y, y, true);
  out.commit(SpawnNpcLayout.bytes);
  return true;
}

export function writeDismissNpcs(out: MessageSink, template: number): boolean {
  const at = out.reserve(DismissNpcsLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.DISMISS_NPCS);
  v.setUint32(at + DismissNpcsLayout.conn, 0, true);
  v.setUint16(at + DismissNpcsLayout.template, template, true);
  out.commit(DismissNpcsLayout.bytes);
  return true;
}

export function writeReward(out: MessageSink, conn: number, experience: number, seq = 0): boolean {
  const at = out.reserve(RewardLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.REWARD);
  v.setUint32(at + RewardLayout.conn, conn, true);
  v.setUint32(at + RewardLayout.experience, experience, true);
  v.setUint32(at + RewardLayout.seq, seq, true);
  out.commit(RewardLayout.bytes);
  return true;
}

export function writeExperienceDurable(out: MessageSink, conn: number, xp: number): boolean {
  const at = out.reserve(DurableLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.EXPERIENCE_DURABLE);
  v.setUint32(at + DurableLayout.conn, conn, true);
  v.setUint32(at + DurableLayout.xp, xp, true);
  out.commit(DurableLayout.bytes);
  return true;
}

export function writeJoin(out: MessageSink, conn: number, characterId: number, x: number, y: number, template: number, hp: number, level = 0, xp = 0, carry?: Uint8Array | null, rewardSeq = 0): boolean {
  const tail = carry && carry.length > 0 && carry.length <= MAX_CARRY_BYTES ? carry : null;
  const at = out.reserve(tail ? JoinLayout.carry + tail.length : JoinLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.JOIN);
  v.setUint32(at + JoinLayout.conn, conn, true);
  v.setUint32(at + JoinLayout.characterId, characterId, true);
  v.setFloat32(at + JoinLayout.x, x, true);
  v.setFloat32(at + JoinLayout.y, y, true);
  v.setUint16(at + JoinLayout.template, template, true);
  v.setUint16(at + JoinLayout.hp, hp, true);
  v.setUint8(at + JoinLayout.level, level);
  v.setUint32(at + JoinLayout.xp, xp, true);
  v.setUint32(at + JoinLayout.rewardSeq, rewardSeq, true);
  if (!tail) {
    out.commit(JoinLayout.bytes);
    return true;
  }
  v.setUint16(at + JoinLayout.carryLength, tail.length, true);
  new Uint8Array(v.buffer, v.byteOffset + at + JoinLayout.carry, tail.length).set(tail);
  out.commit(JoinLayout.carry + tail.length);
  return true;
}

export function writeLeave(out: MessageSink, conn: number): boolean {
  const at = out.reserve(LeaveLayout.bytes);
  if (at < 0) return false;
  out.view.setUint8(at, GateMsg.LEAVE);
  out.view.setUint32(at + LeaveLayout.conn, conn, true);
  out.commit(LeaveLayout.bytes);
  return true;
}

export function writeResync(out: MessageSink, conn: number): boolean {
  const at = out.reserve(ResyncLayout.bytes);
  if (at < 0) return false;
  out.view.setUint8(at, GateMsg.RESYNC);
  out.view.setUint32(at + ResyncLayout.conn, conn, true);
  out.commit(ResyncLayout.bytes);
  return true;
}

export function writeInput(out: MessageSink, conn: number, seq: number, ackTick: number, move: number, a: number, b: number): boolean {
  const at = out.reserve(InputLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.INPUT);
  v.setUint32(at + InputLayout.conn, conn, true);
  v.setUint32(at + InputLayout.seq, seq, true);
  v.setUint32(at + InputLayout.ackTick, ackTick, true);
  v.setUint8(at + InputLayout.move, move);
  v.setFloat32(at + InputLayout.a, a, true);
  v.setFloat32(at + InputLayout.b, b, true);
  out.commit(InputLayout.bytes);
  return true;
}

export function writeAck(out: MessageSink, conn: number, ackTick: number): boolean {
  const at = out.reserve(AckLayout.bytes);
  if (at < 0) return false;
  out.view.setUint8(at, GateMsg.ACK);
  out.view.setUint32(at + AckLayout.conn, conn, true);
  out.view.setUint32(at + AckLayout.ackTick, ackTick, true);
  out.commit(AckLayout.bytes);
  return true;
}

export function writeAction(out: MessageSink, conn: number, seq: number, kind: number, target: number, skill: number, x: number, y: number): boolean {
  const at = out.reserve(ActionLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.ACTION);
  v.setUint32(at + ActionLayout.conn, conn, true);
  v.setUint16(at + ActionLayout.seq, seq, true);
  v.setUint8(at + ActionLayout.kind, kind);
  v.setUint32(at + ActionLayout.target, target, true);
  v.setUint16(at + ActionLayout.skill, skill, true);
  v.setFloat32(at + ActionLayout.x, x, true);
  v.setFloat32(at + ActionLayout.y, y, true);
  out.commit(ActionLayout.bytes);
  return true;
}

export function writeSay(out: MessageSink, conn: number, line: Uint8Array): boolean {
  const at = out.reserve(SayLayout.line + line.length);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.SAY);
  v.setUint32(at + SayLayout.conn, conn, true);
  v.setUint16(at + SayLayout.length, line.length, true);
  out.bytes.set(line, at + SayLayout.line);
  out.commit(SayLayout.line + line.length);
  return true;
}

export function writeDepart(out: MessageSink, conn: number): boolean {
  const at = out.reserve(LeaveLayout.bytes);
  if (at < 0) return false;
  out.view.setUint8(at, GateMsg.DEPART);
  out.view.setUint32(at + LeaveLayout.conn, conn, true);
  out.commit(LeaveLayout.bytes);
  return true;
}

export function writeTeleport(out: MessageSink, conn: number, x: number, y: number): boolean {
  const at = out.reserve(TeleportLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, GateMsg.TELEPORT);
  v.setUint32(at + TeleportLayout.conn, conn, true);
  v.setFloat32(at + TeleportLayout.x, x, true);
  v.setFloat32(at + TeleportLayout.y, y, true);
  out.commit(TeleportLayout.bytes);
  return true;
}

/** A one-message sink over a fresh array, for encodeJoin/encodeLeave. */
function oneShot(bytes: number, write: (out: MessageSink) => void): Uint8Array {
  const m = new Uint8Array(bytes);
  const sink: MessageSink = { bytes: m, view: new DataView(m.buffer), reserve: () => 0, commit: () => {} };
  write(sink);
  return m;
}

/** A JOIN as its own array (tests, benchmarks; joins are rare). */
export function encodeJoin(conn: number, characterId: number, x: number, y: number, template: number, hp: number, level = 0, xp = 0, carry?: Uint8Array, rewardSeq = 0): Uint8Array {
  const bytes = carry && carry.length > 0 && carry.length <= MAX_CARRY_BYTES ? JoinLayout.carry + carry.length : JoinLayout.bytes;
  return oneShot(bytes, (s) => writeJoin(s, conn, characterId, x, y, template, hp, level, xp, carry, rewardSeq));
}

/** A LEAVE as its own array. */
export function encodeLeave(conn: number): Uint8Array {
  return oneShot(LeaveLayout.bytes, (s) => writeLeave(s, conn));
}
