import { AuthKind, ClientOp, Limits, MoveKind, PROTOCOL_VERSION, ServerOp } from './opcodes.ts';
import type { ActionMessage, ClientMessage, InputMessage, ServerMessage, ZoneChangeMessage } from './messages.ts';
import type { ErrorCodeValue } from './errors.ts';
import type { NoticeCodeValue } from './notices.ts';
import { Writer } from './writer.ts';

const scratch = new Uint8Array(512);
/** NAMES is the one message past 512 bytes: its largest. */
const namesScratch = new Uint8Array(2 + Limits.maxNamesPerMessage * (5 + Limits.maxPlayerNameBytes));
const w = new Writer();

function done(): Uint8Array {
  return scratch.slice(0, w.length);
}

/** Quantises a world coordinate to the wire's u16. */
export function quantise(v: number): number {
  const q = Math.round(v * Limits.positionScale);
  return q < 0 ? 0 : q > 0xffff ? 0xffff : q;
}

/** Inverse of quantise(). */
export function dequantise(q: number): number {
  return q / Limits.positionScale;
}

export function encodeHello(credential: string, characterId = 0, auth: number = AuthKind.GUEST, version = PROTOCOL_VERSION, contentHash = ''): Uint8Array {
  w.reset(scratch);
  w.u8(ClientOp.HELLO);
  w.u16(version);
  w.u8(auth);
  w.str8(credential, auth === AuthKind.GUEST ? Limits.maxNameBytes : Limits.maxTokenBytes);
  w.u32(characterId);
  w.str8(contentHash, Limits.maxContentHashBytes);
  return done();
}

/** Encodes an input into `out` at `offset` and returns its length (for lean clients). */
export function encodeInputInto(m: Omit<InputMessage, 'op'>, out: Uint8Array, offset = 0): number {
  w.reset(out, offset);
  w.u8(ClientOp.INPUT);
  w.u32(m.seq >>> 0);
  w.u32(m.ackTick >>> 0);
  w.u8(m.move);
  if (m.move === MoveKind.DIRECTION) {
    w.i8(m.dx);
    w.i8(m.dy);
  } else if (m.move === MoveKind.DESTINATION) {
    w.u16(quantise(m.x));
    w.u16(quantise(m.y));
  }
  return w.length;
}

export function encodeInput(m: Omit<InputMessage, 'op'>): Uint8Array {
  const n = encodeInputInto(m, scratch);
  return scratch.slice(0, n);
}

export function encodeAck(ackTick: number): Uint8Array {
  w.reset(scratch);
  w.u8(ClientOp.ACK);
  w.u32(ackTick >>> 0);
  return done();
}

export function encodePing(clientTime: number): Uint8Array {
  w.reset(scratch);
  w.u8(ClientOp.PING);
  w.f64(clientTime);
  return done();
}

/** Encodes an ACTION into `out` at `offset` and returns its length (for lean clients). */
export function encodeActionInto(m: Omit<ActionMessage, 'op'>, out: Uint8Array, offset = 0): number {
  w.reset(out, offset);
  w.u8(ClientOp.ACTION);
  w.u16(m.seq & 0xffff);
  w.u8(m.kind);
  w.u32(m.target >>> 0);
  w.u16(m.skill);
  w.u16(quantise(m.x));
  w.u16(quantise(m.y));
  return w.length;
}

export function encodeAction(m: Omit<ActionMessage, 'op'>): Uint8Array {
  const n = encodeActionInto(m, scratch);
  return scratch.slice(0, n);
}

/** Encodes any client message (tests and tools; hot clients use the functions above). */
export function encodeClientMessage(m: ClientMessage): Uint8Array {
  switch (m.op) {
    case 'hello':
      return encodeHello(m.credential, m.characterId, m.auth, m.version, m.contentHash);
    case 'input':
      return encodeInput(m);
    case 'ack':
      return encodeAck(m.ackTick);
    case 'ping':
      return encodePing(m.clientTime);
    case 'action':
      return encodeAction(m);
  }
}

export function encodeWelcome(m: Omit<Extract<ServerMessage, { op: 'welcome' }>, 'op'>): Uint8Array {
  w.reset(scratch);
  w.u8(ServerOp.WELCOME);
  w.u16(m.version);
  w.u32(m.entity >>> 0);
  w.u16(m.zoneId);
  w.u8(m.tickHz);
  w.u16(m.mapWidth);
  w.u16(m.mapHeight);
  w.u16(m.aoiTile);
  w.f64(m.serverTime);
  w.str8(m.contentHash, Limits.maxContentHashBytes);
  w.str8(m.zoneName, Limits.maxZoneNameBytes);
  return done();
}

/** NAMES: 1..maxNamesPerMessage entries (the caller splits longer lists). */
export function encodeNames(entries: readonly { entity: number; name: string }[]): Uint8Array {
  if (entries.length < 1 || entries.length > Limits.maxNamesPerMessage) throw new RangeError(`NAMES takes 1..${Limits.maxNamesPerMessage} entries, got ${entries.length}`);
  w.reset(namesScratch);
  w.u8(ServerOp.NAMES);
  w.u8(entries.length);
  for (const e of entries) {
    w.u32(e.entity >>> 0);
    w.str8(e.name, Limits.maxPlayerNameBytes);
  }
  return namesScratch.slice(0, w.length);
}

export function encodePong(clientTime: number, serverTime: number): Uint8Array {
  w.reset(scratch);
  w.u8(ServerOp.PONG);
  w.f64(clientTime);
  w.f64(serverTime);
  return done();
}

export function encodeError(code: ErrorCodeValue, message: string): Uint8Array {
  w.reset(scratch);
  w.u8(ServerOp.ERROR);
  w.u16(code);
  w.str8(message, 200);
  return done();
}

export function encodeZoneChange(m: Omit<ZoneChangeMessage, 'op'>): Uint8Array {
  w.reset(scratch);
  w.u8(ServerOp.ZONE_CHANGE);
  w.u32(m.entity >>> 0);
  w.u16(m.zoneId);
  w.u8(m.tickHz);
  w.u16(m.mapWidth);
  w.u16(m.mapHeight);
  w.u16(m.aoiTile);
  w.str8(m.zoneName, Limits.maxZoneNameBytes);
  w.str8(m.contentHash, Limits.maxContentHashBytes);
  return done();
}

/** A NOTICE: told, not fatal (the message is for people, at most 200 bytes as sent, like ERROR's). */
export function encodeNotice(code: NoticeCodeValue, message: string): Uint8Array {
  w.reset(scratch);
  w.u8(ServerOp.NOTICE);
  w.u16(code);
  w.str8(message, 200);
  return done();
}
