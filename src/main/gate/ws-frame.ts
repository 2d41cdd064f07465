/**
 * Server→client binary frames written as one buffer with one `socket.write`.
 *
 * ws's Sender writes a frame as two chunks (header, then payload) under
 * cork/uncork, which the socket flushes with one `writev`; most of the gate's
 * thread went to those system calls (docs/benchmarks.md, "Where the time
 * goes"). The gate copies every frame anyway (the ring's memory is reused),
 * so the RFC 6455 header goes into the front of that copy and the whole
 * frame leaves in one plain write.
 *
 * This reaches into ws's internals (ws 8: `_socket`, `_sender`,
 * `_extensions`) and only when they look as expected and nothing of ws's own
 * is pending; anything else goes through `ws.send`, as before.
 * test/main/gate/ws-frame.test.ts fails if a ws upgrade makes the direct
 * path unreachable.
 */
import type { WebSocket } from 'ws';
import { wsHeaderBytes, writeWsHeader } from '../../protocol/ws-header.ts';

/** Most bytes a server frame's header takes: 2, plus 8 for a 64-bit length (no mask: server frames are not masked). */
export const MAX_HEADER_BYTES = 10;

/** RFC 6455's binary opcode. */
const BINARY = 0x2;
/** ws's WebSocket.OPEN and its Sender's idle state (DEFAULT: not deflating, not reading a Blob). */
const WS_OPEN = 1;
const SENDER_IDLE = 0;

/**
 * Writes the header of a final, unmasked binary frame of `payload` bytes
 * into `buf` so that it ends at `end` (where the payload starts), and
 * returns where it starts.
 */
export function writeBinaryHeader(buf: Uint8Array, end: number, payload: number): number {
  const at = end - wsHeaderBytes(payload);
  if (at < 0) throw new RangeError(`no room for a ${end - at}-byte frame header before offset ${end}`);
  writeWsHeader(buf, at, BINARY, payload);
  return at;
}

/** The stream ws writes to: `write`, and what it still holds after one. */
interface FrameSink {
  write(chunk: Uint8Array): boolean;
  readonly writableLength: number;
}

/** How sendBinaryFrame sent a frame, which says whether its buffer is free again. */
export const FrameSent = {
  /** Through ws.send: ws may hold the buffer (queued behind a busy sender). */
  WS: 0,
  /** Written directly, but the socket queued some of it: the socket holds the buffer until the kernel takes the rest. */
  QUEUED: 1,
  /** Written directly and taken whole by the kernel: nothing references the buffer, which may be reused at once. */
  WRITTEN: 2,
} as const;
export type FrameSent = (typeof FrameSent)[keyof typeof FrameSent];

/** ws 8's internals this module reads (not part of its typed API). */
interface WsInternals {
  readyState: number;
  _socket?: FrameSink | null;
  _extensions?: Record<string, unknown>;
  _sender?: { _socket?: unknown; _state?: number; _queue?: unknown[]; _firstFragment?: boolean } | null;
}

/**
 * The socket a whole frame may be written to directly, or null when the
 * frame must go through `ws.send`: the ws is not open, an extension
 * (permessage-deflate) was negotiated (frames would need RSV1 and
 * compression), or ws's Sender is busy (deflating or reading a Blob, with
 * messages queued behind it, or in the middle of a fragmented message) so a
 * direct write would jump ahead of what ws still holds. When the Sender is
 * idle it writes each frame synchronously (cork, header, payload, uncork),
 * so a whole-frame write of ours lands between two of its frames, never
 * inside one: stream writes are kept whole and in order.
 */
export function directSocketOf(ws: WebSocket): FrameSink | null {
  const w = ws as unknown as WsInternals;
  if (w.readyState !== WS_OPEN) return null;
  const socket = w._socket;
  const sender = w._sender;
  const extensions = w._extensions;
  if (!socket || !sender || !extensions || sender._socket !== socket) return null;
  for (const _ in extensions) return null;
  if (sender._state !== SENDER_IDLE || sender._firstFragment !== true || sender._queue?.length !== 0) return null;
  return socket;
}

/** Bytes the messages `msgs` take as binary frames, headers included: the headroom they need ahead of a frame in sendBinaryFrame. */
export function framedBytes(msgs: readonly Uint8Array[]): number {
  let n = 0;
  for (const m of msgs) n += wsHeaderBytes(m.length) + m.length;
  return n;
}

/**
 * Sends the messages `before` (if any), then `buf[headroom, buf.length)`,
 * each as one binary message. When directSocketOf allows, they leave in one
 * socket write: the frame's header goes into the headroom right before its
 * payload and `before`'s frames right before that header, so `headroom`
 * must be at least framedBytes(before) + MAX_HEADER_BYTES (or as many as the
 * payload's header needs); otherwise each goes through ws.send, in order.
 * Either way `ws.bufferedAmount` counts the frames until the kernel takes
 * them. `buf` must not be changed afterwards unless this returns
 * FrameSent.WRITTEN: a stream write that completes at once leaves its
 * socket's write queue empty (Node's Writable counts the chunk in
 * `writableLength` until its handle has written it, and a handle that could
 * not write all of it keeps the buffer with the queued request).
 */
export function sendBinaryFrame(ws: WebSocket, buf: Buffer, headroom: number, before: readonly Uint8Array[] | null = null): FrameSent {
  const socket = directSocketOf(ws);
  const payload = buf.length - headroom;
  const lead = before === null ? 0 : framedBytes(before);
  if (socket === null || headroom < lead + wsHeaderBytes(payload)) {
    if (before !== null) for (const m of before) ws.send(m, { binary: true });
    ws.send(buf.subarray(headroom), { binary: true });
    return FrameSent.WS;
  }
  const start = writeBinaryHeader(buf, headroom, payload) - lead;
  if (before !== null) {
    let at = start;
    for (const m of before) {
      const header = wsHeaderBytes(m.length);
      writeBinaryHeader(buf, at + header, m.length);
      buf.set(m, at + header);
      at += header + m.length;
    }
  }
  socket.write(start === 0 ? buf : buf.subarray(start));
  return socket.writableLength === 0 ? FrameSent.WRITTEN : FrameSent.QUEUED;
}

/**
 * Sends `bytes` as one binary message, copied behind a header into one
 * buffer (the copy costs far less than the second chunk of a writev) when
 * directSocketOf allows, else with ws.send (no copy). For the gate's small
 * messages (pong, names, replies). Returns true when it was written directly.
 */
export function sendBinaryMessage(ws: WebSocket, bytes: Uint8Array): boolean {
  const socket = directSocketOf(ws);
  if (socket === null) {
    ws.send(bytes, { binary: true });
    return false;
  }
  const header = wsHeaderBytes(bytes.length);
  const buf = Buffer.allocUnsafe(header + bytes.length);
  writeBinaryHeader(buf, header, bytes.length);
  buf.set(bytes, header);
  socket.write(buf);
  return true;
}
