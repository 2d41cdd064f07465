import { describe, expect, it } from 'vitest';
import { CLIENT_FRAME_KINDS, mutate, mutatedFrame, randomFrame, validFrame } from '../../../src/bots/fuzz/frames.ts';
import { decodeClientMessage } from '../../../src/protocol/decode.ts';
import { ProtocolError } from '../../../src/protocol/errors.ts';
import { AuthKind, MoveKind } from '../../../src/protocol/opcodes.ts';
import { mulberry32 } from '../../../src/shared/random.ts';

describe('fuzz frames', () => {
  it('makes a valid frame of every client message type, through the protocol encoders', () => {
    const rnd = mulberry32(7);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      for (const kind of CLIENT_FRAME_KINDS) {
        const m = decodeClientMessage(validFrame(kind, rnd));
        const key =
          m.op === 'hello'
            ? `hello_${m.auth === AuthKind.GUEST ? 'guest' : 'token'}`
            : m.op === 'input'
              ? `input_${['stop', 'direction', 'destination'][m.move]}`
              : m.op === 'chat'
                ? `chat_${['', 'say', 'zone', 'whisper'][m.channel]}`
                : m.op;
        expect(key).toBe(kind);
        seen.add(key);
      }
    }
    expect([...seen].sort()).toEqual([...CLIENT_FRAME_KINDS].sort());
    expect(MoveKind.DESTINATION).toBe(2);
  });

  it('is repeatable from a seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 50; i++) expect(mutatedFrame(a)).toEqual(mutatedFrame(b));
  });

  it('mutates: most mutations change the bytes, and the decoder answers every one with a ProtocolError or a message', () => {
    const rnd = mulberry32(3);
    let changed = 0;
    let refused = 0;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      const valid = validFrame(CLIENT_FRAME_KINDS[i % CLIENT_FRAME_KINDS.length], rnd);
      const bad = i % 5 === 0 ? randomFrame(rnd) : mutate(valid, rnd);
      if (Buffer.compare(Buffer.from(valid), Buffer.from(bad)) !== 0) changed++;
      try {
        decodeClientMessage(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError);
        refused++;
      }
    }
    expect(changed / n).toBeGreaterThan(0.9);
    // Most are refused, but not all: some mutations still decode (a flipped bit in a sequence number).
    expect(refused / n).toBeGreaterThan(0.5);
    expect(refused).toBeLessThan(n);
  });
});
