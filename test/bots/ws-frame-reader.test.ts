import { describe, expect, it } from 'vitest';
import { WsFrameReader, WsOp, WsProtocolError } from '../../src/bots/ws-frame-reader.ts';
import { CloseCode } from '../../src/protocol/errors.ts';
import { wsHeaderBytes } from '../../src/protocol/ws-header.ts';

/** An unmasked server frame. */
function frame(op: number, payload: Uint8Array, fin = true, rsv = 0): Uint8Array {
  const n = payload.length;
  const header = wsHeaderBytes(n);
  const out = new Uint8Array(header + n);
  out[0] = (fin ? 0x80 : 0) | rsv | op;
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    out[2] = n >>> 8;
    out[3] = n & 0xff;
  } else {
    out[1] = 127;
    new DataView(out.buffer).setUint32(6, n);
  }
  out.set(payload, header);
  return out;
}

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

/** A reader that records what it was given (copies: payloads are only valid during the call). */
function recorder(maxPayload = 70_000) {
  const got: { kind: 'message' | 'control'; op: number; payload: string }[] = [];
  const reader = new WsFrameReader(maxPayload, {
    message: (op, p) => got.push({ kind: 'message', op, payload: hex(p) }),
    control: (op, p) => got.push({ kind: 'control', op, payload: hex(p) }),
  });
  return { reader, got };
}

/** Feeds `stream` in pieces, reusing one scratch buffer for every read as the client's shared read buffer does. */
function feed(reader: WsFrameReader, stream: Uint8Array, cuts: number[]): void {
  const scratch = new Uint8Array(stream.length);
  let from = 0;
  for (const to of [...cuts, stream.length]) {
    // What the previous read left in the buffer is overwritten, as the next socket's read would.
    scratch.fill(0xee, 0, Math.min(scratch.length, to - from + 16));
    scratch.set(stream.subarray(from, to), 0);
    reader.push(scratch.subarray(0, to - from));
    from = to;
  }
}

const small = bytes(100, 1);
const medium = bytes(300, 2);
const large = bytes(66_000, 3);
const stream = Buffer.concat([frame(WsOp.BINARY, small), frame(WsOp.PING, bytes(4, 9)), frame(WsOp.BINARY, medium), frame(WsOp.TEXT, bytes(5, 4)), frame(WsOp.BINARY, large), frame(WsOp.BINARY, new Uint8Array(0))]);
const expected = [
  { kind: 'message', op: WsOp.BINARY, payload: hex(small) },
  { kind: 'control', op: WsOp.PING, payload: hex(bytes(4, 9)) },
  { kind: 'message', op: WsOp.BINARY, payload: hex(medium) },
  { kind: 'message', op: WsOp.TEXT, payload: hex(bytes(5, 4)) },
  { kind: 'message', op: WsOp.BINARY, payload: hex(large) },
  { kind: 'message', op: WsOp.BINARY, payload: '' },
];

describe('WsFrameReader', () => {
  it('reads frames of 7-, 16- and 64-bit lengths from one read', () => {
    const { reader, got } = recorder();
    feed(reader, stream, []);
    expect(got).toEqual(expected);
  });

  it('reads the same frames however the reads cut them: every cut into two, and a byte at a time', () => {
    // Every two-piece cut of the frames before the large one, and cuts around the large one's header.
    const headEnd = stream.length - large.length - 10 - 2;
    for (let cut = 1; cut < headEnd + 12; cut++) {
      const { reader, got } = recorder();
      feed(reader, stream, [cut]);
      expect(got, `cut at ${cut}`).toEqual(expected);
    }
    const { reader, got } = recorder();
    feed(reader, stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1));
    expect(got).toEqual(expected);
  });

  it('joins a fragmented message, with a ping between its frames, and hands it on whole', () => {
    const { reader, got } = recorder();
    const parts = [bytes(10, 1), bytes(200, 2), bytes(7, 3)];
    const s = Buffer.concat([frame(WsOp.BINARY, parts[0], false), frame(WsOp.PING, bytes(2, 5)), frame(WsOp.CONTINUATION, parts[1], false), frame(WsOp.CONTINUATION, parts[2], true), frame(WsOp.BINARY, small)]);
    feed(reader, s, [5, 30, 31]);
    expect(got).toEqual([
      { kind: 'control', op: WsOp.PING, payload: hex(bytes(2, 5)) },
      { kind: 'message', op: WsOp.BINARY, payload: hex(Buffer.concat(parts)) },
      { kind: 'message', op: WsOp.BINARY, payload: hex(small) },
    ]);
  });

  it('reads nothing after a close frame', () => {
    const { reader, got } = recorder();
    feed(reader, Buffer.concat([frame(WsOp.CLOSE, Uint8Array.of(0x03, 0xe8)), frame(WsOp.BINARY, small)]), [3]);
    reader.push(frame(WsOp.BINARY, small));
    expect(got).toEqual([{ kind: 'control', op: WsOp.CLOSE, payload: '03e8' }]);
  });

  const refusals: [string, Uint8Array, number, RegExp][] = [
    ['RSV bits set', frame(WsOp.BINARY, small, true, 0x40), CloseCode.WS_PROTOCOL_ERROR, /RSV/],
    ['a masked frame', Uint8Array.of(0x82, 0x80 | 1, 1, 2, 3, 4, 5), CloseCode.WS_PROTOCOL_ERROR, /masked/],
    ['an unknown opcode', frame(0x3, small), CloseCode.WS_PROTOCOL_ERROR, /opcode 0x3/],
    ['a reserved control opcode', frame(0xb, small), CloseCode.WS_PROTOCOL_ERROR, /opcode 0xb/],
    ['a fragmented control frame', frame(WsOp.PING, small, false), CloseCode.WS_PROTOCOL_ERROR, /fragmented control/],
    ['a control frame of 126 bytes', frame(WsOp.PONG, bytes(126, 0)), CloseCode.WS_PROTOCOL_ERROR, /control frame of 126/],
    ['a continuation of nothing', frame(WsOp.CONTINUATION, small), CloseCode.WS_PROTOCOL_ERROR, /continuation/],
    ['a new message inside a fragmented one', Buffer.concat([frame(WsOp.BINARY, small, false), frame(WsOp.BINARY, small)]), CloseCode.WS_PROTOCOL_ERROR, /inside a fragmented/],
    ['a message past maxPayload', frame(WsOp.BINARY, bytes(70_001, 0)), CloseCode.MESSAGE_TOO_BIG, /70001 bytes/],
    ['fragments past maxPayload', Buffer.concat([frame(WsOp.BINARY, bytes(40_000, 0), false), frame(WsOp.CONTINUATION, bytes(40_000, 0))]), CloseCode.MESSAGE_TOO_BIG, /more than 70000/],
  ];
  for (const [what, wire, closeCode, message] of refusals) {
    it(`fails the connection on ${what}`, () => {
      const { reader, got } = recorder();
      let err: unknown;
      try {
        reader.push(wire);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WsProtocolError);
      expect((err as WsProtocolError).closeCode).toBe(closeCode);
      expect((err as WsProtocolError).message).toMatch(message);
      expect(got).toEqual([]);
    });
  }

  it('refuses an oversized message by its header alone, before its payload comes', () => {
    const { reader } = recorder(1000);
    // A 64-bit length of 2^40: nothing of the payload is ever sent.
    const header = Uint8Array.of(0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0);
    expect(() => reader.push(header)).toThrow(/at most 1000/);
    const { reader: r2 } = recorder(1000);
    expect(() => r2.push(Uint8Array.of(0x82, 126, 0x10, 0x00))).toThrow(WsProtocolError);
  });

  it('takes no maxPayload below a control frame’s', () => {
    expect(() => new WsFrameReader(100, { message() {}, control() {} })).toThrow(/at least 125/);
  });
});
