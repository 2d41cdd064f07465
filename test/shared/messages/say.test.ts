import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAT_LINE_MAX_BYTES } from '../../../src/protocol/chat-lines.ts';
import { GateMessage } from '../../../src/shared/messages/gate-message.ts';
import { GateMsg, SayLayout, writeSay } from '../../../src/shared/messages/gate-to-cell.ts';
import { Ring } from '../../../src/shared/ring.ts';

describe('SAY (gate → cell)', () => {
  it('reads back the connection and the line, at any length up to the largest line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: CHAT_LINE_MAX_BYTES }), (conn, line) => {
        const ring = Ring.create(4096);
        expect(writeSay(ring, conn, line)).toBe(true);
        ring.flush();
        const at = ring.peek();
        const m = new GateMessage();
        expect(m.read(ring.view, at, ring.messageLength)).toBe(true);
        expect([m.op, m.conn, m.lineLength]).toEqual([GateMsg.SAY, conn, line.length]);
        expect([...ring.bytes.subarray(m.lineAt, m.lineAt + m.lineLength)]).toEqual([...line]);
      }),
    );
  });

  it('refuses a SAY whose length disagrees with its message, or that is cut short', () => {
    const ring = Ring.create(4096);
    writeSay(ring, 9, Uint8Array.of(1, 2, 3, 4));
    ring.flush();
    const at = ring.peek();
    const len = ring.messageLength;
    const m = new GateMessage();
    expect(m.read(ring.view, at, len - 1)).toBe(false);
    expect(m.read(ring.view, at, SayLayout.line - 1)).toBe(false);
    ring.view.setUint16(at + SayLayout.length, 200, true);
    expect(m.read(ring.view, at, len)).toBe(false);
  });

  it('does not fit a ring with no room, and says so', () => {
    const ring = Ring.create(256);
    let n = 0;
    while (writeSay(ring, 1, new Uint8Array(100))) n++;
    expect(n).toBeGreaterThan(0);
    expect(writeSay(ring, 1, new Uint8Array(100))).toBe(false);
  });
});
