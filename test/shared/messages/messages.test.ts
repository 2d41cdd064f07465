import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntityStore, indexOf } from '../../../src/shared/entity-store.ts';
import { CellMessage, CellMsg, beginFrame, commitFrame, FrameKind, JoinStatus, PortalLayout, writeJoined, writeMoved, writePlayerReport, writePortal } from '../../../src/shared/messages/cell-to-gate.ts';
import { EventMessage, HandoffHeader, PeerMsg, writeEvent, writeForward } from '../../../src/shared/messages/cell-to-cell.ts';
import { GateMessage } from '../../../src/shared/messages/gate-message.ts';
import { encodeJoin, encodeLeave, GATE_MSG_MAX_BYTES, GateMsg, JoinLayout, MAX_CARRY_BYTES, TeleportLayout, writeAck, writeAction, writeDepart, writeInput, writeTeleport } from '../../../src/shared/messages/gate-to-cell.ts';
import { ReliableRing } from '../../../src/shared/reliable-ring.ts';
import { Ring } from '../../../src/shared/ring.ts';

/** The one message in `ring`, as [offset, length]. */
function only(ring: Ring): [number, number] {
  ring.flush();
  const at = ring.peek();
  expect(at).toBeGreaterThanOrEqual(0);
  return [at, ring.messageLength];
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const f32 = fc.float({ noNaN: true, noDefaultInfinity: true });

describe('gate → cell messages', () => {
  it('JOIN, LEAVE, INPUT, ACK and ACTION read back what their writers wrote', () => {
    fc.assert(
      fc.property(u32, u32, f32, f32, fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), (conn, n, a, b, small, move) => {
        const m = new GateMessage();
        const j = encodeJoin(conn, n, a, b, small, small, move, n);
        expect(j.length).toBeLessThanOrEqual(GATE_MSG_MAX_BYTES);
        expect(m.read(new DataView(j.buffer), 0, j.length)).toBe(true);
        expect([m.op, m.conn, m.characterId, m.x, m.y, m.template, m.hp, m.level, m.xp]).toEqual([GateMsg.JOIN, conn, n, Math.fround(a), Math.fround(b), small, small, move, n]);
        const l = encodeLeave(conn);
        expect(m.read(new DataView(l.buffer), 0, l.length)).toBe(true);
        expect([m.op, m.conn]).toEqual([GateMsg.LEAVE, conn]);
        const ring = Ring.create(256);
        expect(writeInput(ring, conn, n, small, move, a, b)).toBe(true);
        let [at, len] = only(ring);
        expect(len).toBeLessThanOrEqual(GATE_MSG_MAX_BYTES);
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.seq, m.ackTick, m.move, m.a, m.b]).toEqual([GateMsg.INPUT, conn, n, small, move, Math.fround(a), Math.fround(b)]);
        ring.release();
        ring.done();
        expect(writeAck(ring, conn, n)).toBe(true);
        [at, len] = only(ring);
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.ackTick]).toEqual([GateMsg.ACK, conn, n]);
        ring.release();
        ring.done();
        expect(writeAction(ring, conn, small, move, n, small, a, b)).toBe(true);
        [at, len] = only(ring);
        expect(len).toBeLessThanOrEqual(GATE_MSG_MAX_BYTES);
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.seq, m.kind, m.target, m.skill, m.x, m.y]).toEqual([GateMsg.ACTION, conn, small, move, n, small, Math.fround(a), Math.fround(b)]);
      }),
    );
  });

  it("TELEPORT and DEPART (an operator's) read back, refuses a truncated one, and is must-deliver on a full ring", () => {
    fc.assert(
      fc.property(u32, f32, f32, (conn, x, y) => {
        const m = new GateMessage();
        const ring = Ring.create(256);
        expect(writeTeleport(ring, conn, x, y)).toBe(true);
        const [at, len] = only(ring);
        expect(len).toBe(TeleportLayout.bytes);
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.x, m.y]).toEqual([GateMsg.TELEPORT, conn, Math.fround(x), Math.fround(y)]);
        for (let short = 0; short < len; short++) expect(m.read(ring.view, at, short)).toBe(false);
        ring.release();
        ring.done();
        expect(writeDepart(ring, conn)).toBe(true);
        const [at2, len2] = only(ring);
        expect(m.read(ring.view, at2, len2)).toBe(true);
        expect([m.op, m.conn]).toEqual([GateMsg.DEPART, conn]);
      }),
    );
    // On a full ring it waits in order and arrives whole.
    const ring = Ring.create(64);
    const out = new ReliableRing(ring, 16);
    for (let i = 0; i < 10; i++) writeTeleport(out, i, i, i);
    out.flush();
    const m = new GateMessage();
    const seen: number[] = [];
    for (let round = 0; round < 20 && seen.length < 10; round++) {
      for (let at = ring.peek(); at >= 0; at = ring.peek()) {
        expect(m.read(ring.view, at, ring.messageLength)).toBe(true);
        seen.push(m.conn);
        ring.release();
      }
      ring.done();
      out.flush();
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses truncated, empty and unknown messages instead of reading past them', () => {
    const m = new GateMessage();
    for (const msg of [encodeJoin(1, 2, 3, 4, 5, 6), encodeLeave(7)]) {
      const v = new DataView(msg.buffer);
      expect(m.read(v, 0, msg.length)).toBe(true);
      for (let len = 0; len < msg.length; len++) expect(m.read(v, 0, len)).toBe(false);
    }
    const junk = new Uint8Array(32);
    for (const op of [0, 99, 200, 255]) {
      junk[0] = op;
      expect(m.read(new DataView(junk.buffer), 0, 32)).toBe(false);
    }
  });

  it('a writer on a full ring says so and writes nothing', () => {
    const ring = Ring.create(64);
    let n = 0;
    while (writeInput(ring, 1, n, 1, 1, 0, 0)) n++;
    expect(n).toBeGreaterThan(0);
    const before = ring.used;
    expect(writeAck(ring, 1, 1)).toBe(false); // 13 bytes with prefix do not fit either
    expect(ring.used).toBe(before);
  });
});

describe('cell → gate messages', () => {
  it('FRAME, JOINED, MOVED, LEFT and STATE read back what their writers wrote', () => {
    fc.assert(
      fc.property(u32, u32, fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(JoinStatus.OK, JoinStatus.ZONE_FULL), (conn, tick, cell, status) => {
        const ring = Ring.create(1024);
        const m = new CellMessage();
        const body = beginFrame(ring, FrameKind.EVENT, conn, tick, 64);
        ring.bytes.set([9, 8, 7], body);
        commitFrame(ring, 3);
        let [at, len] = only(ring);
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.kind, m.conn, m.tick]).toEqual([CellMsg.FRAME, FrameKind.EVENT, conn, tick]);
        expect([...ring.bytes.subarray(m.bodyStart, m.bodyEnd)]).toEqual([9, 8, 7]);
        ring.release();
        expect(writeJoined(ring, conn, status, tick)).toBe(true);
        [at, len] = only(ring);
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.status, m.handle]).toEqual([CellMsg.JOINED, conn, status, tick]);
        ring.release();
        expect(writeMoved(ring, conn, cell, tick)).toBe(true);
        [at, len] = only(ring);
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.cell, m.tick]).toEqual([CellMsg.MOVED, conn, cell, tick]);
        ring.release();
        ring.done();
      }),
    );
  });

  it('LEFT and STATE carry the store position, level and experience, and clamp hp to u16', () => {
    const store = EntityStore.create(4);
    const h = store.allocate();
    const s = indexOf(h);
    store.f.x[s] = 12.5;
    store.f.y[s] = 3.25;
    store.f.level[s] = 7;
    store.f.xp[s] = 123_456;
    const m = new CellMessage();
    for (const [hp, want] of [[-5, 0], [70, 70], [1e6, 0xffff]]) {
      store.f.hp[s] = hp;
      const ring = Ring.create(256);
      expect(writePlayerReport(ring, CellMsg.LEFT, 42, store, s)).toBe(true);
      const [at, len] = only(ring);
      expect(m.read(ring.view, at, len)).toBe(true);
      expect([m.op, m.conn, m.x, m.y, m.hp, m.level, m.xp]).toEqual([CellMsg.LEFT, 42, 12.5, 3.25, want, 7, 123_456]);
    }
  });

  it('PORTAL reads back the portal, the tick, the store state (hp clamped) and the spot to go back to', () => {
    fc.assert(
      fc.property(u32, u32, fc.integer({ min: 0, max: 0xffff }), f32, f32, fc.integer({ min: -10, max: 70_000 }), f32, f32, (conn, tick, portal, x, y, hp, bx, by) => {
        const store = EntityStore.create(4);
        const s = indexOf(store.allocate());
        store.f.x[s] = x;
        store.f.y[s] = y;
        store.f.hp[s] = hp;
        store.f.level[s] = portal & 0xff;
        store.f.xp[s] = tick;
        const ring = Ring.create(256);
        expect(writePortal(ring, conn, tick, portal, store, s, bx, by)).toBe(true);
        const [at, len] = only(ring);
        const m = new CellMessage();
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.level, m.xp]).toEqual([portal & 0xff, tick]);
        expect([m.op, m.conn, m.tick, m.portal, m.x, m.y, m.hp, m.backX, m.backY]).toEqual([
          CellMsg.PORTAL,
          conn,
          tick,
          portal,
          Math.fround(x),
          Math.fround(y),
          Math.min(0xffff, Math.max(0, Math.fround(hp))),
          Math.fround(bx),
          Math.fround(by),
        ]);
        for (let l = 0; l < len; l++) expect(m.read(ring.view, at, l)).toBe(false);
      }),
    );
  });

  it('PORTAL and JOIN carry a player\'s combat carry as a tail, byte for byte; a tail of the wrong length is refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: MAX_CARRY_BYTES }), (carry) => {
        const store = EntityStore.create(4);
        const s = indexOf(store.allocate());
        const ring = Ring.create(4096);
        expect(writePortal(ring, 3, 9, 1, store, s, 0, 0, carry)).toBe(true);
        const [at, len] = only(ring);
        const m = new CellMessage();
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.carryLength]).toEqual([CellMsg.PORTAL, 3, carry.length]);
        expect(ring.bytes.slice(m.carryAt, m.carryAt + m.carryLength)).toEqual(carry);
        expect(m.read(ring.view, at, len - 1)).toBe(false);
        expect(m.read(ring.view, at, PortalLayout.bytes + 1)).toBe(false);
        ring.release();
        ring.done();
        const join = encodeJoin(3, 4, 1, 2, 1, 50, 2, 300, carry);
        const g = new GateMessage();
        const v = new DataView(join.buffer);
        expect(g.read(v, 0, join.length)).toBe(true);
        expect([g.op, g.conn, g.level, g.xp, g.carryLength]).toEqual([GateMsg.JOIN, 3, 2, 300, carry.length]);
        expect(join.slice(g.carryAt, g.carryAt + g.carryLength)).toEqual(carry);
        expect(g.read(v, 0, join.length - 1)).toBe(false);
        expect(g.read(v, 0, JoinLayout.bytes + 1)).toBe(false);
      }),
      { numRuns: 50 },
    );
    // Without one, both are as they were: no tail.
    const g = new GateMessage();
    const plain = encodeJoin(1, 1, 0, 0, 0, 0);
    expect(plain.length).toBe(JoinLayout.bytes);
    expect(g.read(new DataView(plain.buffer), 0, plain.length)).toBe(true);
    expect(g.carryLength).toBe(0);
    // A carry past the limit is left out of a JOIN rather than sent broken.
    expect(encodeJoin(1, 1, 0, 0, 0, 0, 0, 0, new Uint8Array(MAX_CARRY_BYTES + 1)).length).toBe(JoinLayout.bytes);
  });

  it('PORTAL is must-deliver: on a full ring it waits, in order behind LEFT, and arrives whole', () => {
    const store = EntityStore.create(4);
    const s = indexOf(store.allocate());
    store.f.hp[s] = 33;
    const ring = Ring.create(128);
    while (writeMoved(ring, 1, 0, 1)) {} // fill it
    const out = new ReliableRing(ring);
    writePlayerReport(out, CellMsg.LEFT, 7, store, s);
    writePortal(out, 9, 5, 2, store, s, 1.5, 2.5);
    expect(out.waiting).toBe(2);
    const m = new CellMessage();
    const seen: number[] = [];
    for (let round = 0; round < 10 && seen.length < 2; round++) {
      for (let at = ring.peek(); at >= 0; at = ring.peek()) {
        expect(m.read(ring.view, at, ring.messageLength)).toBe(true);
        if (m.op !== CellMsg.MOVED) seen.push(m.op);
        if (m.op === CellMsg.PORTAL) expect([m.conn, m.tick, m.portal, m.hp, m.backX, m.backY]).toEqual([9, 5, 2, 33, 1.5, 2.5]);
        ring.release();
      }
      ring.done();
      out.flush();
    }
    expect(seen).toEqual([CellMsg.LEFT, CellMsg.PORTAL]);
    expect(out.waiting).toBe(0);
  });

  it('refuses truncated and unknown messages', () => {
    const ring = Ring.create(256);
    writeJoined(ring, 1, JoinStatus.OK, 2);
    const [at, len] = only(ring);
    const m = new CellMessage();
    for (let l = 0; l < len; l++) expect(m.read(ring.view, at, l)).toBe(false);
    ring.view.setUint8(at, 77);
    expect(m.read(ring.view, at, len)).toBe(false);
  });
});

describe('cell → cell messages', () => {
  it('EVENT reads back, and FORWARD carries a gate message verbatim', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffff }), u32, u32, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (type, target, source, a) => {
        const ring = Ring.create(256);
        expect(writeEvent(ring, type, target, source, a, -a | 0)).toBe(true);
        let [at, len] = only(ring);
        const e = new EventMessage();
        expect(e.read(ring.view, at, len)).toBe(true);
        expect([e.type, e.target, e.source, e.a, e.b]).toEqual([type, target, source, a, -a | 0]);
        ring.release();
        const leave = encodeLeave(target);
        expect(writeForward(ring, leave, 0, leave.length)).toBe(true);
        [at, len] = only(ring);
        expect(ring.view.getUint8(at)).toBe(PeerMsg.FORWARD);
        const m = new GateMessage();
        expect(m.read(ring.view, at + 1, len - 1)).toBe(true);
        expect([m.op, m.conn]).toEqual([GateMsg.LEAVE, target]);
      }),
    );
  });

  it('EVENT and HANDOFF readers refuse short or mislabelled messages', () => {
    const ring = Ring.create(256);
    writeEvent(ring, 1, 2, 3, 4, 5);
    const [at, len] = only(ring);
    const e = new EventMessage();
    for (let l = 0; l < len; l++) expect(e.read(ring.view, at, l)).toBe(false);
    expect(new HandoffHeader().read(ring.view, at, len)).toBe(false); // an EVENT is not a HANDOFF
  });
});
