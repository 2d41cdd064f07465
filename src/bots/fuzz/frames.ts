/**
 * Frames for the fuzzer: valid ones of every client message type, made by
 * the protocol's own encoders with random field values, and mutations of
 * them (bit flips, boundary bytes, cut, stretched, spliced), plus plain
 * random bytes. Seeded: the same seed gives the same frames.
 */
import { encodeAck, encodeChat, encodeHello, encodeInput, encodePing, encodeResume, quantise } from '../../protocol/encode.ts';
import { encodeItemRequest } from '../../protocol/item-messages.ts';
import { ANY_SLOT, ITEM_OP_MAX, type ItemOpValue } from '../../protocol/item-codes.ts';
import { ChatChannel } from '../../protocol/chat-codes.ts';
import { AuthKind, ClientOp, Limits, MoveKind, PROTOCOL_VERSION } from '../../protocol/opcodes.ts';

/** A seeded source of numbers in [0, 1). */
export type Rnd = () => number;

export const int = (rnd: Rnd, n: number): number => Math.floor(rnd() * n);
export const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[int(rnd, xs.length)];

/** The client message kinds, one per encoder path (HELLO by auth kind, INPUT by move kind). */
export const CLIENT_FRAME_KINDS = ['hello_guest', 'hello_token', 'input_stop', 'input_direction', 'input_destination', 'ack', 'ping', 'item', 'chat_say', 'chat_zone', 'chat_whisper', 'resume'] as const;
export type ClientFrameKind = (typeof CLIENT_FRAME_KINDS)[number];

/** Values that sit on the edges of fields: zero, one, the signed and unsigned limits. */
const EDGES_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const EDGE_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, ClientOp.HELLO, ClientOp.INPUT, ClientOp.ACK, ClientOp.PING, ClientOp.ITEM, ClientOp.CHAT, ClientOp.RESUME, 64, 65, 76];
const NAME_PARTS = ['a', 'Zoë', 'bot', '☃', '名前', ' ', '\u202e', '\u200b', '\u0000', 'x'.repeat(20)];
/** Chat text parts: ordinary words, and what chat must refuse (controls, bidi overrides and isolates, zero-width, a BOM, long runs). */
const CHAT_PARTS = [...NAME_PARTS, 'hello ', 'buy gold ', '\u2066', '\u2069', '\ufeff', '\n', '\u0007', '😀', 'y'.repeat(100)];

function u32(rnd: Rnd): number {
  return rnd() < 0.3 ? pick(rnd, EDGES_U32) : int(rnd, 0x100000000);
}

/** A string of some of NAME_PARTS, cut to `maxBytes` of UTF-8 (so the encoder accepts it). */
function text(rnd: Rnd, maxBytes: number): string {
  let s = '';
  const n = int(rnd, 4);
  for (let i = 0; i < n; i++) s += pick(rnd, NAME_PARTS);
  while (Buffer.byteLength(s) > maxBytes) s = s.slice(0, -1);
  return s.isWellFormed() ? s : '';
}

/** Some of `parts`, cut to `maxBytes` of UTF-8. */
function pieces(rnd: Rnd, parts: readonly string[], n: number, maxBytes: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += pick(rnd, parts);
  while (Buffer.byteLength(s) > maxBytes) s = s.slice(0, -1);
  return s.isWellFormed() ? s : '';
}

/** A valid frame of `kind`, with random field values (the server may still refuse what it says). */
export function validFrame(kind: ClientFrameKind, rnd: Rnd): Uint8Array {
  const version = rnd() < 0.8 ? PROTOCOL_VERSION : int(rnd, 0x10000);
  switch (kind) {
    case 'hello_guest':
      return encodeHello(text(rnd, Limits.maxNameBytes) || 'fuzz', u32(rnd), AuthKind.GUEST, version, text(rnd, Limits.maxContentHashBytes));
    case 'hello_token':
      return encodeHello(text(rnd, Limits.maxTokenBytes), u32(rnd), AuthKind.TOKEN, version, '');
    case 'input_stop':
      return encodeInput({ seq: u32(rnd), ackTick: u32(rnd), move: MoveKind.STOP, dx: 0, dy: 0, x: 0, y: 0 });
    case 'input_direction':
      return encodeInput({ seq: u32(rnd), ackTick: u32(rnd), move: MoveKind.DIRECTION, dx: int(rnd, 255) - 127, dy: int(rnd, 255) - 127, x: 0, y: 0 });
    case 'input_destination':
      return encodeInput({ seq: u32(rnd), ackTick: u32(rnd), move: MoveKind.DESTINATION, dx: 0, dy: 0, x: quantise(rnd() * 4096) / 16, y: quantise(rnd() * 4096) / 16 });
    case 'ack':
      return encodeAck(u32(rnd));
    case 'item':
      return encodeItemRequest({
        seq: int(rnd, 0x10000),
        itemOp: (1 + int(rnd, ITEM_OP_MAX)) as ItemOpValue,
        item: rnd() < 0.3 ? pick(rnd, [0, 1, 2 ** 53 - 1]) : int(rnd, 1e9),
        version: u32(rnd),
        other: int(rnd, 1e9),
        otherVersion: u32(rnd),
        slot: rnd() < 0.2 ? ANY_SLOT : int(rnd, 40),
        count: u32(rnd),
      });
    case 'resume':
      // A token no one was given (43 characters, as the server's), or junk of any length.
      return encodeResume(rnd() < 0.5 ? 'A'.repeat(43) : text(rnd, Limits.maxResumeTokenBytes) || 'x', version, text(rnd, Limits.maxContentHashBytes));
    case 'ping':
      return encodePing(rnd() < 0.2 ? pick(rnd, [0, -1, Number.MAX_VALUE, Number.MIN_VALUE, -0]) : rnd() * 2e12);
    case 'chat_say':
      return encodeChat(ChatChannel.SAY, '', pieces(rnd, CHAT_PARTS, int(rnd, 6), Limits.maxChatTextBytes));
    case 'chat_zone':
      return encodeChat(ChatChannel.ZONE, '', pieces(rnd, CHAT_PARTS, int(rnd, 6), Limits.maxChatTextBytes));
    case 'chat_whisper':
      return encodeChat(ChatChannel.WHISPER, text(rnd, Limits.maxNameBytes) || 'fuzz', pieces(rnd, CHAT_PARTS, int(rnd, 6), Limits.maxChatTextBytes));
  }
}

/** One mutation of `b` (a new array). */
function mutateOnce(b: Uint8Array, rnd: Rnd): Uint8Array {
  const at = b.length > 0 ? int(rnd, b.length) : 0;
  switch (int(rnd, 8)) {
    case 0: {
      // Flip one bit.
      const out = b.slice();
      if (out.length > 0) out[at] ^= 1 << int(rnd, 8);
      return out;
    }
    case 1: {
      // A byte set to an edge value (a length prefix, an opcode, a kind).
      const out = b.slice();
      if (out.length > 0) out[at] = pick(rnd, EDGE_BYTES);
      return out;
    }
    case 2:
      // Cut short.
      return b.slice(0, at);
    case 3: {
      // Bytes appended.
      const extra = Uint8Array.from({ length: 1 + int(rnd, 8) }, () => int(rnd, 256));
      return Uint8Array.from([...b, ...extra]);
    }
    case 4:
      // One byte dropped from the middle.
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
    case 5:
      // One byte inserted.
      return Uint8Array.from([...b.subarray(0, at), int(rnd, 256), ...b.subarray(at)]);
    case 6: {
      // A run repeated (a string's bytes, a field twice).
      const len = 1 + int(rnd, 6);
      return Uint8Array.from([...b.subarray(0, at + len), ...b.subarray(at, at + len), ...b.subarray(at + len)]);
    }
    default: {
      // A 32-bit field overwritten with an edge value.
      const out = b.slice();
      if (out.length >= 5) new DataView(out.buffer).setUint32(1 + int(rnd, out.length - 4), pick(rnd, EDGES_U32), true);
      return out;
    }
  }
}

/** `b` with one to four mutations. */
export function mutate(b: Uint8Array, rnd: Rnd): Uint8Array {
  let out = b;
  const n = 1 + int(rnd, 4);
  for (let i = 0; i < n; i++) out = mutateOnce(out, rnd);
  return out;
}

/** A mutated frame of a random kind. */
export function mutatedFrame(rnd: Rnd, kinds: readonly ClientFrameKind[] = CLIENT_FRAME_KINDS): Uint8Array {
  return mutate(validFrame(pick(rnd, kinds), rnd), rnd);
}

/** Random bytes, 0 to `maxBytes` long (mostly within the protocol's frame size). */
export function randomFrame(rnd: Rnd, maxBytes = Limits.maxClientFrame + 44): Uint8Array {
  return Uint8Array.from({ length: int(rnd, maxBytes + 1) }, () => int(rnd, 256));
}

/** A frame no decoder accepts: opcode 0. Ends a fuzzing sequence so the server closes it (4000). */
export const BAD_OPCODE = Uint8Array.of(0);
