import type { EntityStore } from '../entity-store.ts';
import type { MessageSink } from '../reliable-ring.ts';

/**
 * Cell → gate messages: encoded frames for one connection and the control
 * messages about players. Layouts, writers and the reader (CellMessage) of
 * each live here; nothing else indexes them.
 */
export const CellMsg = {
  FRAME: 1,
  JOINED: 2,
  MOVED: 3,
  LEFT: 4,
  STATE: 5,
  PORTAL: 6,
  QUEST_FACT: 7,
  /** An item message (shared/messages/items.ts: CELL_ITEM_OP). */
  ITEM: 8,
  /** A player's combat private state, for the coordinator to hold (a cell restart recovers it). */
  CHECKPOINT: 9,
  /** An impossible action of a player (anti-cheat), for the coordinator's enforcement. */
  VIOLATION: 11,
  /**
   * A player's experience grew: its report (ReportLayout, as STATE) for the
   * coordinator to make durable; it answers with gate-to-cell
   * EXPERIENCE_DURABLE once a checkpoint holding it landed, and only then is
   * the player told (combat/experience.ts). Droppable: asked again.
   */
  EXPERIENCE: 12,
  /**
   * The answer to a gate-to-cell REWARD, written in the tick it was applied
   * (or found paid already): the player's report (ReportLayout), whose
   * `rewardSeq` now includes it, for the coordinator to make durable as an
   * EXPERIENCE (it answers EXPERIENCE_DURABLE) and to stop re-sending it.
   * Must-deliver.
   */
  REWARDED: 13,
} as const;

/** u8 op | u8 FrameKind | u32 conn | u32 tick | encoded server frame */
export const FrameLayout = { kind: 1, conn: 2, tick: 6, bytes: 10 } as const;
export const FRAME_HEADER_BYTES = FrameLayout.bytes;
export const FrameKind = {
  /** May be skipped under backpressure: the next delta covers it. */
  SNAPSHOT: 0,
  /** Must be delivered (chat, combat results, errors). */
  EVENT: 1,
} as const;

/** u8 op | u32 conn | u8 JoinStatus | u32 handle (meaningful only when OK) */
export const JoinedLayout = { conn: 1, status: 5, handle: 6, bytes: 10 } as const;
export const JoinStatus = { OK: 0, ZONE_FULL: 1 } as const;

/** u8 op | u32 conn | u16 cell | u32 tick: the player's entity moved to `cell` at the end of `tick` */
export const MovedLayout = { conn: 1, cell: 5, tick: 7, bytes: 11 } as const;

/**
 * u8 op (LEFT, STATE, EXPERIENCE or REWARDED) | u32 conn | f32 x | f32 y | u16 hp | u8 level | u32 xp | u32 rewardSeq.
 * `rewardSeq` is the store's, read with `xp` (layout.ts StoreOwnFields): the
 * highest stored reward that experience includes. The two always travel
 * and are kept together, so a saved experience never counts a reward it
 * lacks, nor lacks one it counts as paid.
 */
export const ReportLayout = { conn: 1, x: 5, y: 9, hp: 13, level: 15, xp: 16, rewardSeq: 20, bytes: 24 } as const;

/**
 * u8 op | u32 conn | u32 tick | u16 portal | f32 x | f32 y | u16 hp | f32 backX | f32 backY | u8 level | u32 xp | u32 rewardSeq:
 * the player stepped into portal `portal` (its index in the zone map) and its
 * entity was freed at the end of `tick`'s spawn phase, at x, y with hp, level,
 * xp and rewardSeq (what LEFT carries); backX, backY is its last spot outside every
 * portal, where it goes back to if the target zone refuses it. Must-deliver.
 */
/** The PORTAL portal number of a player an operator sent to another zone (gate-to-cell DEPART): no portal of a map. */
export const OPERATOR_PORTAL = 0xffff;
export const PortalLayout = { conn: 1, tick: 5, portal: 9, x: 11, y: 15, hp: 19, backX: 21, backY: 25, level: 29, xp: 30, rewardSeq: 34, bytes: 38, carryLength: 38, carry: 40 } as const;
/** PORTAL's tail: u16 n | n bytes of the player's combat carry (combat/carry.ts; gate-to-cell.ts JoinLayout), when it has one. */

/**
 * u8 op | u32 conn | u8 kind (QuestFact) | u32 value: something a quest may
 * count happened to the player (main/quests). Must-deliver.
 */
export const QuestFactLayout = { conn: 1, kind: 5, value: 6, bytes: 10 } as const;
export const QuestFact = {
  /** The player shared in the kill of an NPC: value = its template number. */
  KILL: 1,
  /** The player stepped into an area of its zone: value = the area's index (content/zone-areas.ts). */
  REACH: 2,
} as const;

/**
 * u8 op | u32 conn | u32 tick | record: a player's combat private state as
 * of `tick` (combat/part.ts CombatPart.write: in combat until, auras,
 * cooldowns, cast), written whenever it changed, before the frame that
 * shows the change to its client. The gate keeps the newest per connection.
 */
export const CheckpointLayout = { conn: 1, tick: 5, bytes: 9 } as const;

/** Opens a CHECKPOINT for `conn` with room for a record of up to `maxBody` bytes; the body's offset, or -1. Close with commitCheckpoint(). */
export function beginCheckpoint(out: MessageSink, conn: number, tick: number, maxBody: number): number {
  const at = out.reserve(CheckpointLayout.bytes + maxBody);
  if (at < 0) return -1;
  const v = out.view;
  v.setUint8(at, CellMsg.CHECKPOINT);
  v.setUint32(at + CheckpointLayout.conn, conn, true);
  v.setUint32(at + CheckpointLayout.tick, tick, true);
  return at + CheckpointLayout.bytes;
}

export function commitCheckpoint(out: MessageSink, bodyLength: number): void {
  out.commit(CheckpointLayout.bytes + bodyLength);
}

/**
 * Opens a frame for `conn` with room for a body of up to `maxBody` bytes;
 * returns the body's offset in `out.bytes`, or -1 when the sink is full.
 * Close it with commitFrame().
 */
export function beginFrame(out: MessageSink, kind: number, conn: number, tick: number, maxBody: number): number {
  const at = out.reserve(FrameLayout.bytes + maxBody);
  if (at < 0) return -1;
  const v = out.view;
  v.setUint8(at, CellMsg.FRAME);
  v.setUint8(at + FrameLayout.kind, kind);
  v.setUint32(at + FrameLayout.conn, conn, true);
  v.setUint32(at + FrameLayout.tick, tick, true);
  return at + FrameLayout.bytes;
}

export function commitFrame(out: MessageSink, bodyLength: number): void {
  out.commit(FrameLayout.bytes + bodyLength);
}

export function writeJoined(out: MessageSink, conn: number, status: number, handle: number): boolean {
  const at = out.reserve(JoinedLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, CellMsg.JOINED);
  v.setUint32(at + JoinedLayout.conn, conn, true);
  v.setUint8(at + JoinedLayout.status, status);
  v.setUint32(at + JoinedLayout.handle, handle, true);
  out.commit(JoinedLayout.bytes);
  return true;
}

export function writeMoved(out: MessageSink, conn: number, cell: number, tick: number): boolean {
  const at = out.reserve(MovedLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, CellMsg.MOVED);
  v.setUint32(at + MovedLayout.conn, conn, true);
  v.setUint16(at + MovedLayout.cell, cell, true);
  v.setUint32(at + MovedLayout.tick, tick, true);
  out.commit(MovedLayout.bytes);
  return true;
}

/**
 * LEFT, STATE, EXPERIENCE or REWARDED: the slot's position, hp, level,
 * experience and rewardSeq, for saves and checkpoints. Reads the store
 * itself: passing the coordinates as arguments would box them.
 */
export function writePlayerReport(out: MessageSink, op: typeof CellMsg.LEFT | typeof CellMsg.STATE | typeof CellMsg.EXPERIENCE | typeof CellMsg.REWARDED, conn: number, store: EntityStore, slot: number): boolean {
  const at = out.reserve(ReportLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  const hp = store.f.hp[slot];
  v.setUint8(at, op);
  v.setUint32(at + ReportLayout.conn, conn, true);
  v.setFloat32(at + ReportLayout.x, store.f.x[slot], true);
  v.setFloat32(at + ReportLayout.y, store.f.y[slot], true);
  v.setUint16(at + ReportLayout.hp, hp < 0 ? 0 : hp > 0xffff ? 0xffff : hp, true);
  v.setUint8(at + ReportLayout.level, store.f.level[slot]);
  v.setUint32(at + ReportLayout.xp, store.f.xp[slot], true);
  v.setUint32(at + ReportLayout.rewardSeq, store.f.rewardSeq[slot], true);
  out.commit(ReportLayout.bytes);
  return true;
}

/** PORTAL: the slot's position, hp, level, xp and rewardSeq read from the store, as writePlayerReport does; `back` is where the player stood before it stepped in. */
export function writePortal(out: MessageSink, conn: number, tick: number, portal: number, store: EntityStore, slot: number, backX: number, backY: number, carry?: Uint8Array): boolean {
  const tail = carry !== undefined && carry.length > 0 && carry.length <= 0xffff ? carry : null;
  const at = out.reserve(tail ? PortalLayout.carry + tail.length : PortalLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  const hp = store.f.hp[slot];
  v.setUint8(at, CellMsg.PORTAL);
  v.setUint32(at + PortalLayout.conn, conn, true);
  v.setUint32(at + PortalLayout.tick, tick, true);
  v.setUint16(at + PortalLayout.portal, portal, true);
  v.setFloat32(at + PortalLayout.x, store.f.x[slot], true);
  v.setFloat32(at + PortalLayout.y, store.f.y[slot], true);
  v.setUint16(at + PortalLayout.hp, hp < 0 ? 0 : hp > 0xffff ? 0xffff : hp, true);
  v.setFloat32(at + PortalLayout.backX, backX, true);
  v.setFloat32(at + PortalLayout.backY, backY, true);
  v.setUint8(at + PortalLayout.level, store.f.level[slot]);
  v.setUint32(at + PortalLayout.xp, store.f.xp[slot], true);
  v.setUint32(at + PortalLayout.rewardSeq, store.f.rewardSeq[slot], true);
  if (!tail) {
    out.commit(PortalLayout.bytes);
    return true;
  }
  v.setUint16(at + PortalLayout.carryLength, tail.length, true);
  new Uint8Array(v.buffer, v.byteOffset + at + PortalLayout.carry, tail.length).set(tail);
  out.commit(PortalLayout.carry + tail.length);
  return true;
}

export function writeQuestFact(out: MessageSink, conn: number, kind: number, value: number): boolean {
  const at = out.reserve(QuestFactLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, CellMsg.QUEST_FACT);
  v.setUint32(at + QuestFactLayout.conn, conn, true);
  v.setUint8(at + QuestFactLayout.kind, kind);
  v.setUint32(at + QuestFactLayout.value, value, true);
  out.commit(QuestFactLayout.bytes);
  return true;
}

/**
 * u8 op | u32 conn | u8 check (ActionCheck, layout.ts): the player of
 * connection `conn` tried an impossible action. The cell has counted it in
 * its stat slots already (the metric reads those); this tells the
 * coordinator who, for its warn/kick/ban policy (main/anticheat/).
 * Must-deliver, a few bytes, at most a handful per player per tick.
 */
export const ViolationLayout = { conn: 1, check: 5, bytes: 6 } as const;

export function writeViolation(out: MessageSink, conn: number, check: number): boolean {
  const at = out.reserve(ViolationLayout.bytes);
  if (at < 0) return false;
  const v = out.view;
  v.setUint8(at, CellMsg.VIOLATION);
  v.setUint32(at + ViolationLayout.conn, conn, true);
  v.setUint8(at + ViolationLayout.check, check);
  out.commit(ViolationLayout.bytes);
  return true;
}

/** A cell message decoded into reusable fields. */
export class CellMessage {
  op = 0;
  conn = 0;
  /** FRAME */
  kind = 0;
  tick = 0;
  /** Body of a FRAME: [bodyStart, bodyEnd) of the ring's bytes. */
  bodyStart = 0;
  bodyEnd = 0;
  /** JOINED */
  status = 0;
  handle = 0;
  /** MOVED */
  cell = 0;
  /** LEFT, STATE, EXPERIENCE, REWARDED, PORTAL */
  x = 0;
  y = 0;
  hp = 0;
  level = 0;
  xp = 0;
  rewardSeq = 0;
  /** PORTAL (and `tick`) */
  portal = 0;
  /** PORTAL: where its combat carry lies in the view read, and its length (0: none). */
  carryAt = 0;
  carryLength = 0;
  backX = 0;
  backY = 0;
  /** QUEST_FACT */
  fact = 0;
  value = 0;
  /** VIOLATION: the ActionCheck. */
  check = 0;

  /** Reads the message at `o` (length `len`); false when it is not a known, complete message. */
  read(v: DataView, o: number, len: number): boolean {
    if (len < 1) return false;
    this.op = v.getUint8(o);
    switch (this.op) {
      case CellMsg.FRAME:
        if (len < FrameLayout.bytes) return false;
        this.kind = v.getUint8(o + FrameLayout.kind);
        this.conn = v.getUint32(o + FrameLayout.conn, true);
        this.tick = v.getUint32(o + FrameLayout.tick, true);
        this.bodyStart = o + FrameLayout.bytes;
        this.bodyEnd = o + len;
        return true;
      case CellMsg.ITEM:
        // Read by ItemMessage (shared/messages/items.ts); the body is the whole message.
        this.bodyStart = o;
        this.bodyEnd = o + len;
        return true;
      case CellMsg.CHECKPOINT:
        if (len < CheckpointLayout.bytes) return false;
        this.conn = v.getUint32(o + CheckpointLayout.conn, true);
        this.tick = v.getUint32(o + CheckpointLayout.tick, true);
        this.bodyStart = o + CheckpointLayout.bytes;
        this.bodyEnd = o + len;
        return true;
      case CellMsg.JOINED:
        if (len < JoinedLayout.bytes) return false;
        this.conn = v.getUint32(o + JoinedLayout.conn, true);
        this.status = v.getUint8(o + JoinedLayout.status);
        this.handle = v.getUint32(o + JoinedLayout.handle, true);
        return true;
      case CellMsg.MOVED:
        if (len < MovedLayout.bytes) return false;
        this.conn = v.getUint32(o + MovedLayout.conn, true);
        this.cell = v.getUint16(o + MovedLayout.cell, true);
        this.tick = v.getUint32(o + MovedLayout.tick, true);
        return true;
      case CellMsg.LEFT:
      case CellMsg.STATE:
      case CellMsg.EXPERIENCE:
      case CellMsg.REWARDED:
        if (len < ReportLayout.bytes) return false;
        this.conn = v.getUint32(o + ReportLayout.conn, true);
        this.x = v.getFloat32(o + ReportLayout.x, true);
        this.y = v.getFloat32(o + ReportLayout.y, true);
        this.hp = v.getUint16(o + ReportLayout.hp, true);
        this.level = v.getUint8(o + ReportLayout.level);
        this.xp = v.getUint32(o + ReportLayout.xp, true);
        this.rewardSeq = v.getUint32(o + ReportLayout.rewardSeq, true);
        return true;
      case CellMsg.VIOLATION:
        if (len < ViolationLayout.bytes) return false;
        this.conn = v.getUint32(o + ViolationLayout.conn, true);
        this.check = v.getUint8(o + ViolationLayout.check);
        return true;
      case CellMsg.QUEST_FACT:
        if (len < QuestFactLayout.bytes) return false;
        this.conn = v.getUint32(o + QuestFactLayout.conn, true);
        this.fact = v.getUint8(o + QuestFactLayout.kind);
        this.value = v.getUint32(o + QuestFactLayout.value, true);
        return true;
      case CellMsg.PORTAL:
        if (len < PortalLayout.bytes) return false;
        this.conn = v.getUint32(o + PortalLayout.conn, true);
        this.tick = v.getUint32(o + PortalLayout.tick, true);
        this.portal = v.getUint16(o + PortalLayout.portal, true);
        this.x = v.getFloat32(o + PortalLayout.x, true);
        this.y = v.getFloat32(o + PortalLayout.y, true);
        this.hp = v.getUint16(o + PortalLayout.hp, true);
        this.backX = v.getFloat32(o + PortalLayout.backX, true);
        this.backY = v.getFloat32(o + PortalLayout.backY, true);
        this.level = v.getUint8(o + PortalLayout.level);
        this.xp = v.getUint32(o + PortalLayout.xp, true);
        this.rewardSeq = v.getUint32(o + PortalLayout.rewardSeq, true);
        this.carryAt = 0;
        this.carryLength = 0;
        if (len > PortalLayout.bytes) {
          if (len < PortalLayout.carry) return false;
          const n = v.getUint16(o + PortalLayout.carryLength, true);
          if (PortalLayout.carry + n !== len) return false;
          this.carryAt = o + PortalLayout.carry;
          this.carryLength = n;
        }
        return true;
      default:
        return false;
    }
  }
}
