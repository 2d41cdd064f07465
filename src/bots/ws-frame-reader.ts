/**
 * A server's RFC 6455 frames, parsed straight from the socket's reads: the
 * receiving half of the bots' WebSocket client (ws-client.ts).
 *
 * A read's bytes are only valid during the call (the client reads every
 * socket of a worker into one buffer), so a payload handed on is a view of
 * them that the sink uses at once; a frame split across reads is copied
 * into the reader's own buffer until it is whole. No extension is ever
 * negotiated, so RSV bits are an error, and a server's frames are never
 * masked.
 */
import { CloseCode } from '../protocol/errors.ts';

/** RFC 6455 opcodes. */
export const WsOp = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

/** A frame the client must fail the connection for (RFC 6455 §7.1.7), with the close code to send (1002 or 1009). */
export class WsProtocolError extends Error {
  readonly code: string;
  readonly closeCode: number;
  constructor(message: string, closeCode: number) {
    super(message);
    this.name = 'WsProtocolError';
    this.closeCode = closeCode;
    this.code = closeCode === CloseCode.MESSAGE_TOO_BIG ? 'WS_ERR_TOO_BIG' : 'WS_ERR_PROTOCOL';
  }
}

/** Where whole frames go; a payload is valid only during the call. */
export interface FrameSink {
  /** A whole message: a data frame, or a fragmented message's frames joined. */
  message(opcode: number, payload: Uint8Array): void;
  /** A close, ping or pong frame. */
  control(opcode: number, payload: Uint8Array): void;
}

/** Control frames carry at most this much (§5.5). */
const MAX_CONTROL_PAYLOAD = 125;
const FIN = 0x80;
const RSV = 0x70;
const MASK = 0x80;
/** Most header bytes a server frame takes: 2, and 8 of a 64-bit length. */
const MAX_HEADER = 10;

export class WsFrameReader {
  private readonly maxPayload: number;
  private readonly sink: FrameSink;
  /** Bytes of a frame split across reads (the start of `held`). */
  private held: Uint8Array = new Uint8Array(0);
  private heldLength = 0;
  /** The opcode of a fragmented message in progress, or -1. */
  private fragmentOp = -1;
  private fragments: Uint8Array = new Uint8Array(0);
  private fragmentLength = 0;
  /** Set by a close frame: nothing after it is read (§5.5.1). */
  private closed = false;

  /** `maxPayload`: the largest message accepted; a larger one fails with 1009 as soon as its header says so. */
  constructor(maxPayload: number, sink: FrameSink) {
    if (!Number.isInteger(maxPayload) || maxPayload < MAX_CONTROL_PAYLOAD) throw new RangeError(`maxPayload must be an integer of at least ${MAX_CONTROL_PAYLOAD}, not ${maxPayload}`);
    this.maxPayload = maxPayload;
    this.sink = sink;
  }

  /** Parses `chunk` (valid only during the call); throws WsProtocolError for a frame the connection must fail for. */
  push(chunk: Uint8Array): void {
    if (this.closed || chunk.length === 0) return;
    if (this.heldLength === 0) {
      const used = this.parse(chunk, chunk.length);
      if (used < chunk.length && !this.closed) this.hold(chunk, used);
      return;
    }
    this.append(chunk);
    const used = this.parse(this.held, this.heldLength);
    if (this.closed) this.heldLength = 0;
    else if (used > 0) {
      this.held.copyWithin(0, used, this.heldLength);
      this.heldLength -= used;
    }
  }

  /** Parses whole frames from `buf[0, end)`; returns how many bytes they took. */
  private parse(buf: Uint8Array, end: number): number {
    let at = 0;
    while (!this.closed && end - at >= 2) {
      const b0 = buf[at];
      const b1 = buf[at + 1];
      if ((b0 & RSV) !== 0) throw new WsProtocolError('a frame with RSV bits set (no extension was negotiated)', CloseCode.WS_PROTOCOL_ERROR);
      if ((b1 & MASK) !== 0) throw new WsProtocolError('a masked frame from the server', CloseCode.WS_PROTOCOL_ERROR);
      const op = b0 & 0x0f;
      const fin = (b0 & FIN) !== 0;
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - at < 4) break;
        length = (buf[at + 2] << 8) | buf[at + 3];
        header = 4;
      } else if (length === 127) {
        if (end - at < MAX_HEADER) break;
        const high = ((buf[at + 2] << 24) | (buf[at + 3] << 16) | (buf[at + 4] << 8) | buf[at + 5]) >>> 0;
        const low = ((buf[at + 6] << 24) | (buf[at + 7] << 16) | (buf[at + 8] << 8) | buf[at + 9]) >>> 0;
        // Anything past 32 bits is past any maxPayload; the check below says so.
        length = high > 0 ? Number.MAX_SAFE_INTEGER : low;
        header = MAX_HEADER;
      }
      this.check(op, fin, length);
      if (end - at < header + length) break;
      const payload = buf.subarray(at + header, at + header + length);
      at += header + length;
      if (op >= WsOp.CLOSE) {
        if (op === WsOp.CLOSE) this.closed = true;
        this.sink.control(op, payload);
      } else if (op !== WsOp.CONTINUATION && fin) {
        this.sink.message(op, payload);
      } else {
        this.fragment(op, fin, payload);
      }
    }
    return at;
  }

  /** Refuses a frame by its header alone, before its payload is waited for. */
  private check(op: number, fin: boolean, length: number): void {
    switch (op) {
      case WsOp.CLOSE:
      case WsOp.PING:
      case WsOp.PONG:
        if (!fin) throw new WsProtocolError('a fragmented control frame', CloseCode.WS_PROTOCOL_ERROR);
        if (length > MAX_CONTROL_PAYLOAD) throw new WsProtocolError(`a control frame of ${length} bytes (at most ${MAX_CONTROL_PAYLOAD})`, CloseCode.WS_PROTOCOL_ERROR);
        return;
      case WsOp.TEXT:
      case WsOp.BINARY:
        if (this.fragmentOp !== -1) throw new WsProtocolError('a new message inside a fragmented one', CloseCode.WS_PROTOCOL_ERROR);
        if (length > this.maxPayload) throw new WsProtocolError(`a message of ${length} bytes (at most ${this.maxPayload})`, CloseCode.MESSAGE_TOO_BIG);
        return;
      case WsOp.CONTINUATION:
        if (this.fragmentOp === -1) throw new WsProtocolError('a continuation frame with no message to continue', CloseCode.WS_PROTOCOL_ERROR);
        if (this.fragmentLength + length > this.maxPayload) throw new WsProtocolError(`a message of more than ${this.maxPayload} bytes`, CloseCode.MESSAGE_TOO_BIG);
        return;
      default:
        throw new WsProtocolError(`an unknown opcode 0x${op.toString(16)}`, CloseCode.WS_PROTOCOL_ERROR);
    }
  }

  /** A frame of a fragmented message: kept until the final one, then the whole message goes to the sink. */
  private fragment(op: number, fin: boolean, payload: Uint8Array): void {
    if (op !== WsOp.CONTINUATION) {
      this.fragmentOp = op;
      this.fragmentLength = 0;
    }
    this.fragments = ensure(this.fragments, this.fragmentLength + payload.length);
    this.fragments.set(payload, this.fragmentLength);
    this.fragmentLength += payload.length;
    if (!fin) return;
    const whole = this.fragments.subarray(0, this.fragmentLength);
    const opcode = this.fragmentOp;
    this.fragmentOp = -1;
    this.fragmentLength = 0;
    this.sink.message(opcode, whole);
  }

  private hold(chunk: Uint8Array, from: number): void {
    this.held = ensure(this.held, chunk.length - from);
    this.held.set(chunk.subarray(from), 0);
    this.heldLength = chunk.length - from;
  }

  private append(chunk: Uint8Array): void {
    this.held = ensure(this.held, this.heldLength + chunk.length, this.heldLength);
    this.held.set(chunk, this.heldLength);
    this.heldLength += chunk.length;
  }
}

/** `buf`, or a larger copy of its first `keep` bytes when it holds fewer than `need`. */
function ensure(buf: Uint8Array, need: number, keep = 0): Uint8Array {
  if (buf.length >= need) return buf;
  const next = new Uint8Array(Math.max(need, buf.length * 2, 256));
  if (keep > 0) next.set(buf.subarray(0, keep));
  return next;
}
