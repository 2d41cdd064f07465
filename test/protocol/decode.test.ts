import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClientMessage, decodeServerMessage } from '../../src/protocol/decode.ts';
import { ActionKind } from '../../src/protocol/combat-codes.ts';
import {
  dequantise,
  encodeAck,
  encodeAction,
  encodeClientMessage,
  encodeError,
  encodeHello,
  encodeInput,
  encodeInputInto,
  encodeNames,
  encodeNotice,
  encodePing,
  encodePong,
  encodeWelcome,
  encodeZoneChange,
  quantise,
} from '../../src/protocol/encode.ts';
import { CloseCode, ErrorCode, ProtocolError } from '../../src/protocol/errors.ts';
import { NoticeCode } from '../../src/protocol/notices.ts';
import type { ServerMessage } from '../../src/protocol/messages.ts';
import { AuthKind, ClientOp, Limits, MoveKind, PROTOCOL_VERSION, ServerOp } from '../../src/protocol/opcodes.ts';
import { atOffset, clientMessageArb, mutate, onlyProtocolErrors, serverMessageArb } from './arbitraries.ts';

function encodeServerMessage(m: ServerMessage): Uint8Array {
  switch (m.op) {
    case 'welcome': {
      const { op: _op, ...rest } = m;
      return encodeWelcome(rest);
    }
    case 'pong':
      return encodePong(m.clientTime, m.serverTime);
    case 'error':
      return encodeError(m.code, m.message);
    case 'zoneChange': {
      const { op: _op, ...rest } = m;
      return encodeZoneChange(rest);
    }
    case 'notice':
      return encodeNotice(m.code, m.message);
    case 'names':
      return encodeNames(m.entries);
  }
}

function codeOf(fn: () => unknown): number | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
}

describe('client messages: encode/decode round trip', () => {
  it('every message decodes to what was encoded, from any buffer offset, shared or not', () => {
    fc.assert(
      fc.property(clientMessageArb, fc.integer({ min: 0, max: 9 }), fc.boolean(), (m, offset, shared) => {
        const bytes = encodeClientMessage(m);
        expect(bytes.length).toBeLessThanOrEqual(Limits.maxClientFrame);
        expect(decodeClientMessage(bytes)).toEqual(m);
        expect(decodeClientMessage(atOffset(bytes, offset, shared))).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });

  it('encodeInputInto writes at an offset of a caller buffer', () => {
    const out = new Uint8Array(64).fill(0xaa);
    const m = { seq: 7, ackTick: 9, move: MoveKind.DESTINATION, dx: 0, dy: 0, x: 12.5, y: 3.0625 } as const;
    const n = encodeInputInto(m, out, 5);
    expect(out[4]).toBe(0xaa);
    expect(out[5 + n]).toBe(0xaa);
    expect(decodeClientMessage(out.subarray(5, 5 + n))).toEqual({ op: 'input', ...m });
    expect(out.subarray(5, 5 + n)).toEqual(encodeInput(m));
  });

  it('a decodable frame is canonical: re-encoding its message gives the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(...Object.values(ClientOp)), (tail, op) => {
        const bytes = new Uint8Array([op, ...tail]);
        const r = onlyProtocolErrors(() => decodeClientMessage(bytes));
        if (r instanceof ProtocolError) return;
        expect(encodeClientMessage(r)).toEqual(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it('quantises positions to 1/16 unit, clamped to the u16 range', () => {
    expect(quantise(0)).toBe(0);
    expect(quantise(1)).toBe(16);
    expect(quantise(1 / 32)).toBe(1); // rounds half up
    expect(quantise(-5)).toBe(0);
    expect(quantise(4095.9375)).toBe(0xffff);
    expect(quantise(5000)).toBe(0xffff);
    expect(dequantise(0xffff)).toBe(4095.9375);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), (q) => quantise(dequantise(q)) === q));
  });
});

describe('server messages: encode/decode round trip', () => {
  it('every message decodes to what was encoded, from any buffer offset, shared or not', () => {
    fc.assert(
      fc.property(serverMessageArb, fc.integer({ min: 0, max: 9 }), fc.boolean(), (m, offset, shared) => {
        const bytes = encodeServerMessage(m);
        expect(decodeServerMessage(bytes)).toEqual(m);
        expect(decodeServerMessage(atOffset(bytes, offset, shared))).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });

  it('routes a snapshot (returns null) without reading it', () => {
    expect(decodeServerMessage(new Uint8Array([ServerOp.SNAPSHOT]))).toBeNull();
  });
});

describe('client decoder rejects malformed input with typed errors only', () => {
  it('random bytes: a message or a ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyProtocolErrors(() => decodeClientMessage(bytes));
      }),
      { numRuns: 20000 },
    );
  });

  it('mutated valid frames (bit flips, overwrites, truncation, extension, splices)', () => {
    fc.assert(
      fc.property(
        clientMessageArb.chain((m) => mutate(encodeClientMessage(m))),
        (bytes) => {
          onlyProtocolErrors(() => decodeClientMessage(bytes));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('every strict prefix of a valid frame is TRUNCATED; any extra byte is TRAILING_BYTES', () => {
    fc.assert(
      fc.property(clientMessageArb, fc.integer({ min: 0, max: 255 }), (m, extra) => {
        const bytes = encodeClientMessage(m);
        for (let n = 0; n < bytes.length; n++) {
          const code = codeOf(() => decodeClientMessage(bytes.subarray(0, n)));
          // A prefix that cuts a guest name short can instead read as a string
          // whose length byte points past the end: still TRUNCATED.
          expect(code).toBe(ErrorCode.TRUNCATED);
        }
        expect(codeOf(() => decodeClientMessage(new Uint8Array([...bytes, extra])))).toBe(ErrorCode.TRAILING_BYTES);
      }),
      { numRuns: 500 },
    );
  });

  it('names the error for each kind of bad field', () => {
    expect(codeOf(() => decodeClientMessage(new Uint8Array([0])))).toBe(ErrorCode.UNKNOWN_OPCODE);
    expect(codeOf(() => decodeClientMessage(new Uint8Array([ServerOp.WELCOME])))).toBe(ErrorCode.UNKNOWN_OPCODE);
    const hello = encodeHello('bob');
    const badAuth = hello.slice();
    badAuth[3] = 2;
    expect(codeOf(() => decodeClientMessage(badAuth))).toBe(ErrorCode.BAD_VALUE);
    const longName = new Uint8Array([ClientOp.HELLO, 1, 0, AuthKind.GUEST, 25, ...new Uint8Array(25).fill(97), 0, 0, 0, 0]);
    expect(codeOf(() => decodeClientMessage(longName))).toBe(ErrorCode.BAD_STRING);
    const badUtf8 = new Uint8Array([ClientOp.HELLO, 1, 0, AuthKind.GUEST, 2, 0xc3, 0x28, 0, 0, 0, 0]);
    expect(codeOf(() => decodeClientMessage(badUtf8))).toBe(ErrorCode.BAD_STRING);
    const dir = encodeInput({ seq: 1, ackTick: 0, move: MoveKind.DIRECTION, dx: 1, dy: 1, x: 0, y: 0 });
    const dir128 = dir.slice();
    dir128[10] = 0x80;
    expect(codeOf(() => decodeClientMessage(dir128))).toBe(ErrorCode.BAD_VALUE);
    const badMove = dir.slice(0, 10);
    badMove[9] = 3;
    expect(codeOf(() => decodeClientMessage(badMove))).toBe(ErrorCode.BAD_VALUE);
    for (const t of [NaN, Infinity, -Infinity]) expect(codeOf(() => decodeClientMessage(encodePing(t)))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => decodeClientMessage(encodeAck(5).subarray(0, 4)))).toBe(ErrorCode.TRUNCATED);
  });

  it('ACTION: 14 bytes; an unknown kind, an auto-attack other than 0 or 1, or skill 0 is BAD_VALUE', () => {
    const m = { seq: 9, kind: ActionKind.SKILL, target: 0x00100003, skill: 4, x: 12.5, y: 3.0625 } as const;
    const bytes = encodeAction(m);
    expect(bytes.length).toBe(14);
    expect(decodeClientMessage(bytes)).toEqual({ op: 'action', ...m });
    const set = (i: number, v: number) => {
      const b = bytes.slice();
      b[i] = v;
      return b;
    };
    for (const kind of [0, 5, 255]) expect(codeOf(() => decodeClientMessage(set(3, kind)))).toBe(ErrorCode.BAD_VALUE);
    const attack = encodeAction({ ...m, kind: ActionKind.ATTACK, skill: 1 });
    expect(decodeClientMessage(attack)).toMatchObject({ kind: ActionKind.ATTACK, skill: 1 });
    const attack2 = attack.slice();
    attack2[8] = 2;
    expect(codeOf(() => decodeClientMessage(attack2))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => decodeClientMessage(encodeAction({ ...m, skill: 0 })))).toBe(ErrorCode.BAD_VALUE);
    expect(decodeClientMessage(encodeAction({ ...m, kind: ActionKind.RESPAWN, skill: 0, target: 0 }))).toMatchObject({ kind: ActionKind.RESPAWN });
  });

  it('a token may be longer than a guest name, up to its own limit', () => {
    const token = 't'.repeat(Limits.maxTokenBytes);
    expect(decodeClientMessage(encodeHello(token, 3, AuthKind.TOKEN))).toMatchObject({ auth: AuthKind.TOKEN, credential: token, characterId: 3 });
    // the encoder cuts a guest name to the limit rather than producing an invalid frame
    expect(decodeClientMessage(encodeHello('n'.repeat(40)))).toMatchObject({ credential: 'n'.repeat(Limits.maxNameBytes) });
  });

  it('carries the protocol version as sent (the gate checks it)', () => {
    expect(decodeClientMessage(encodeHello('a', 0, AuthKind.GUEST, PROTOCOL_VERSION + 1))).toMatchObject({ version: PROTOCOL_VERSION + 1 });
  });

  it("HELLO carries the client's content hash, empty when it has none, at most maxContentHashBytes", () => {
    expect(decodeClientMessage(encodeHello('a'))).toMatchObject({ contentHash: '' });
    expect(decodeClientMessage(encodeHello('a', 0, AuthKind.GUEST, PROTOCOL_VERSION, 'f00d'))).toMatchObject({ contentHash: 'f00d' });
    const hello = encodeHello('a');
    const long = new Uint8Array([...hello.subarray(0, hello.length - 1), Limits.maxContentHashBytes + 1, ...new Uint8Array(Limits.maxContentHashBytes + 1).fill(48)]);
    expect(codeOf(() => decodeClientMessage(long))).toBe(ErrorCode.BAD_STRING);
  });

  it('every ProtocolError carries the close code of its error code', () => {
    const e = new ProtocolError(ErrorCode.UNSUPPORTED_VERSION, 'x');
    expect(e.closeCode).toBe(CloseCode.UNSUPPORTED_VERSION);
    expect(new ProtocolError(ErrorCode.TRUNCATED, 'x').closeCode).toBe(CloseCode.PROTOCOL_ERROR);
  });
});

describe('server decoder rejects malformed input with typed errors only', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyProtocolErrors(() => decodeServerMessage(bytes));
      }),
      { numRuns: 20000 },
    );
  });

  it('mutated valid frames', () => {
    fc.assert(
      fc.property(
        serverMessageArb.chain((m) => mutate(encodeServerMessage(m))),
        (bytes) => {
          onlyProtocolErrors(() => decodeServerMessage(bytes));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('every strict prefix of a valid frame is TRUNCATED; any extra byte is TRAILING_BYTES', () => {
    fc.assert(
      fc.property(serverMessageArb, fc.integer({ min: 0, max: 255 }), (m, extra) => {
        const bytes = encodeServerMessage(m);
        for (let n = 0; n < bytes.length; n++) expect(codeOf(() => decodeServerMessage(bytes.subarray(0, n)))).toBe(ErrorCode.TRUNCATED);
        expect(codeOf(() => decodeServerMessage(new Uint8Array([...bytes, extra])))).toBe(ErrorCode.TRAILING_BYTES);
      }),
      { numRuns: 500 },
    );
  });

  it('ZONE_CHANGE: a zone name or content hash past its limit is BAD_STRING; the encoder cuts rather than overflows', () => {
    const zc = { entity: 5, zoneId: 2, tickHz: 20, mapWidth: 64, mapHeight: 48, aoiTile: 16, zoneName: 'crypt', contentHash: 'ab'.repeat(16) };
    const bytes = encodeZoneChange(zc);
    expect(bytes.length).toBe(16 + 5 + 32);
    expect(decodeServerMessage(bytes)).toEqual({ op: 'zoneChange', ...zc });
    const nameAt = 14;
    const longName = new Uint8Array([...bytes.subarray(0, nameAt), Limits.maxZoneNameBytes + 1, ...new Uint8Array(Limits.maxZoneNameBytes + 1).fill(97), 0]);
    expect(codeOf(() => decodeServerMessage(longName))).toBe(ErrorCode.BAD_STRING);
    const badUtf8 = new Uint8Array([...bytes.subarray(0, nameAt), 2, 0xc3, 0x28, 0]);
    expect(codeOf(() => decodeServerMessage(badUtf8))).toBe(ErrorCode.BAD_STRING);
    expect(decodeServerMessage(encodeZoneChange({ ...zc, zoneName: 'z'.repeat(40), contentHash: 'h'.repeat(80) }))).toMatchObject({
      zoneName: 'z'.repeat(Limits.maxZoneNameBytes),
      contentHash: 'h'.repeat(Limits.maxContentHashBytes),
    });
  });

  it('WELCOME (protocol 4) ends with the zone name, at most maxZoneNameBytes', () => {
    const w = { version: PROTOCOL_VERSION, entity: 7, zoneId: 1, tickHz: 20, mapWidth: 64, mapHeight: 64, aoiTile: 16, serverTime: 1, contentHash: 'ab', zoneName: 'town' };
    const bytes = encodeWelcome(w);
    expect(bytes.length).toBe(25 + 2 + 1 + 4);
    expect(decodeServerMessage(bytes)).toEqual({ op: 'welcome', ...w });
    // A version 3 WELCOME (no zone name) is cut short.
    expect(codeOf(() => decodeServerMessage(bytes.subarray(0, 25 + 2)))).toBe(ErrorCode.TRUNCATED);
    const longName = new Uint8Array([...bytes.subarray(0, 27), Limits.maxZoneNameBytes + 1, ...new Uint8Array(Limits.maxZoneNameBytes + 1).fill(97)]);
    expect(codeOf(() => decodeServerMessage(longName))).toBe(ErrorCode.BAD_STRING);
  });

  it('NAMES: 1..maxNamesPerMessage entries of a non-zero entity and a 1..maxPlayerNameBytes name; anything else is refused', () => {
    const entries = [{ entity: 0x00100003, name: 'Zoë' }, { entity: 9, name: 'Ada' }];
    const bytes = encodeNames(entries);
    expect(bytes[0]).toBe(ServerOp.NAMES);
    expect(bytes.length).toBe(2 + 5 + 4 + 5 + 3);
    expect(decodeServerMessage(bytes)).toEqual({ op: 'names', entries });
    const full = Array.from({ length: Limits.maxNamesPerMessage }, (_, i) => ({ entity: i + 1, name: '😀'.repeat(16) }));
    const big = encodeNames(full);
    expect(big.length).toBeLessThanOrEqual(Limits.maxServerFrame);
    expect(decodeServerMessage(big)).toEqual({ op: 'names', entries: full });
    // The encoder refuses no entries or too many, and cuts a long name (at a character boundary).
    expect(() => encodeNames([])).toThrow(RangeError);
    expect(() => encodeNames([...full, { entity: 1, name: 'x' }])).toThrow(RangeError);
    expect(decodeServerMessage(encodeNames([{ entity: 1, name: 'é'.repeat(40) }]))).toEqual({ op: 'names', entries: [{ entity: 1, name: 'é'.repeat(32) }] });
    // Hostile frames.
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ServerOp.NAMES, 0])))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ServerOp.NAMES, Limits.maxNamesPerMessage + 1])))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ServerOp.NAMES, 1, 0, 0, 0, 0, 1, 97])))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ServerOp.NAMES, 1, 1, 0, 0, 0, 0])))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ServerOp.NAMES, 1, 1, 0, 0, 0, 2, 0xc3, 0x28])))).toBe(ErrorCode.BAD_STRING);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ServerOp.NAMES, 1, 1, 0, 0, 0, 65, ...new Uint8Array(65).fill(97)])))).toBe(ErrorCode.BAD_STRING);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ServerOp.NAMES, 2, 1, 0, 0, 0, 1, 97])))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([...bytes, 0])))).toBe(ErrorCode.TRAILING_BYTES);
  });

  it('an unknown notice code is BAD_VALUE', () => {
    const bytes = encodeNotice(NoticeCode.PORTAL_ZONE_FULL, 'full');
    expect(decodeServerMessage(bytes)).toEqual({ op: 'notice', code: NoticeCode.PORTAL_ZONE_FULL, message: 'full' });
    bytes[1] = 0xff;
    expect(codeOf(() => decodeServerMessage(bytes))).toBe(ErrorCode.BAD_VALUE);
  });

  it('an unknown error code is BAD_VALUE', () => {
    const bytes = encodeError(ErrorCode.TRUNCATED, 'x');
    bytes[1] = 0xff;
    expect(codeOf(() => decodeServerMessage(bytes))).toBe(ErrorCode.BAD_VALUE);
    expect(codeOf(() => decodeServerMessage(new Uint8Array([ClientOp.HELLO])))).toBe(ErrorCode.UNKNOWN_OPCODE);
    expect(codeOf(() => decodeServerMessage(new Uint8Array(0)))).toBe(ErrorCode.TRUNCATED);
  });
});
