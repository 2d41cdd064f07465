import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { wsHeaderBytes, writeWsHeader } from '../../src/protocol/ws-header.ts';

/** ws's own framing (exported at run time, not in its types): the reference for the headers. */
const { Sender } = ws as unknown as {
  Sender: {
    frame(data: Buffer, o: { fin: boolean; opcode: number; mask: boolean; maskBuffer: Buffer; generateMask: () => void; readOnly: boolean; rsv1: boolean }): Buffer[];
  };
};

const LENGTHS = [0, 1, 125, 126, 65_535, 65_536, 70_000];

describe('wsHeaderBytes', () => {
  it('follows RFC 6455 length encodings, plus the mask key from clients', () => {
    expect(wsHeaderBytes(125, false)).toBe(2);
    expect(wsHeaderBytes(126, false)).toBe(4);
    expect(wsHeaderBytes(65535, false)).toBe(4);
    expect(wsHeaderBytes(65536, false)).toBe(10);
    expect(wsHeaderBytes(16, true)).toBe(6);
  });
});

describe('writeWsHeader', () => {
  it.each(LENGTHS)('writes the header ws writes for a %i-byte frame, masked or not, and returns where the key or payload goes', (n) => {
    for (const [opcode, mask] of [
      [0x2, false],
      [0x2, true],
      [0x8, true],
      [0xa, false],
    ] as const) {
      const [wsFrame] = Sender.frame(Buffer.alloc(n), { fin: true, opcode, mask, maskBuffer: Buffer.alloc(4), generateMask: () => undefined, readOnly: false, rsv1: false });
      const buf = new Uint8Array(16).fill(0xee);
      const end = writeWsHeader(buf, 3, opcode, n, mask);
      // ws's frame carries the key after the header: compare the header alone.
      const header = wsHeaderBytes(n);
      expect(end).toBe(3 + header);
      expect([...buf.subarray(3, end)]).toEqual([...wsFrame.subarray(0, header)]);
      // Nothing outside the header is touched.
      expect([...buf.subarray(0, 3), ...buf.subarray(end)].every((b) => b === 0xee)).toBe(true);
    }
  });

  it('spells out the mask bit with each length form', () => {
    const at = (n: number): number[] => {
      const buf = new Uint8Array(10);
      return [...buf.subarray(0, writeWsHeader(buf, 0, 0x2, n, true))];
    };
    expect(at(125)).toEqual([0x82, 0x80 | 125]);
    expect(at(126)).toEqual([0x82, 0x80 | 126, 0, 126]);
    expect(at(2 ** 32 + 5)).toEqual([0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 5]);
  });
});
