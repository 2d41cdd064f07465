import type { MessageSink } from '../reliable-ring.ts';

/**
 * Cell → cell messages. Layouts, writers and the reader (PeerMessage) of
 * each live here; the handoff's private-state records are written by
 * src/workers/handoff.ts after the header laid out here.
 */
export const PeerMsg = {
  /**
   * u8 op | u32 handle | u8 kind | u8 records, then per record:
   * u8 part id | u32 length | that many bytes (the part's own encoding).
   * The entity's shared fields already sit in the store; only what the
   * owner alone keeps travels here.
   */
  HANDOFF: 1,
  /** u8 op | a gate message for a player that moved on, verbatim. */
  FORWARD: 2,
  /** u8 op | u16 type | u32 target | u32 source | i32 a | i32 b | i32 c: an action on an entity this cell owns. */
  EVENT: 3,
} as const;

export const HandoffLayout = { handle: 1, kind: 5, records: 6, bytes: 7 } as const;
/** Header of one private-state record inside a handoff. */
export const HandoffRecordLayout = { part: 0, length: 1, bytes: 5 } as const;
export const ForwardLayout = { body: 1 } as const;
export const EventLayout = { type: 1, target: 3, source: 7, a: 11, b: 15, c: 19, bytes: 23 } as const;

/** Copies a gate message (`src[at, at + len)`) into a FORWARD. */
export function writeForward(out: MessageSink, src: Uint8Array, at: number, len: number): boolean {
  const o = out.reserve(ForwardLayout.body + len);
  if (o < 0) return false;
  out.bytes[o] = PeerMsg.FORWARD;
  out.bytes.set(src.subarray(at, at + len), o + ForwardLayout.body);
  out.commit(ForwardLayout.body + len);
  return true;
}

export function writeEvent(out: MessageSink, type: number, target: number, source: number, a: number, b: number, c = 0): boolean {
  const o = out.reserve(EventLayout.bytes);
  if (o < 0) return false;
  const v = out.view;
  v.setUint8(o, PeerMsg.EVENT);
  v.setUint16(o + EventLayout.type, type, true);
  v.setUint32(o + EventLayout.target, target, true);
  v.setUint32(o + EventLayout.source, source, true);
  v.setInt32(o + EventLayout.a, a, true);
  v.setInt32(o + EventLayout.b, b, true);
  v.setInt32(o + EventLayout.c, c, true);
  out.commit(EventLayout.bytes);
  return true;
}

/** An event decoded into reusable fields; also what event handlers receive. */
export class EventMessage {
  type = 0;
  /** Handle of the entity acted on. */
  target = 0;
  /** Handle of the entity acting (or 0xffffffff for none). */
  source = 0;
  a = 0;
  b = 0;
  c = 0;

  read(v: DataView, o: number, len: number): boolean {
    if (len < EventLayout.bytes || v.getUint8(o) !== PeerMsg.EVENT) return false;
    this.type = v.getUint16(o + EventLayout.type, true);
    this.target = v.getUint32(o + EventLayout.target, true);
    this.source = v.getUint32(o + EventLayout.source, true);
    this.a = v.getInt32(o + EventLayout.a, true);
    this.b = v.getInt32(o + EventLayout.b, true);
    this.c = v.getInt32(o + EventLayout.c, true);
    return true;
  }
}

/** Reads a HANDOFF header; false when the message is too short. */
export class HandoffHeader {
  handle = 0;
  kind = 0;
  records = 0;

  read(v: DataView, o: number, len: number): boolean {
    if (len < HandoffLayout.bytes || v.getUint8(o) !== PeerMsg.HANDOFF) return false;
    this.handle = v.getUint32(o + HandoffLayout.handle, true);
    this.kind = v.getUint8(o + HandoffLayout.kind);
    this.records = v.getUint8(o + HandoffLayout.records);
    return true;
  }
}
