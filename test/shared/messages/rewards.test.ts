/**
 * Stored rewards on the wire: REWARD's seq, REWARDED, and the rewardSeq
 * that travels with a player's experience in JOIN, the reports (LEFT,
 * STATE, EXPERIENCE, REWARDED) and PORTAL. Each reads back what its writer
 * wrote, a forwarded REWARD keeps its seq, and a truncated or padded-out
 * message is refused instead of read past.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntityStore, indexOf } from '../../../src/shared/entity-store.ts';
import { CellMessage, CellMsg, PortalLayout, ReportLayout, writePlayerReport, writePortal } from '../../../src/shared/messages/cell-to-gate.ts';
import { ForwardLayout, PeerMsg, writeForward } from '../../../src/shared/messages/cell-to-cell.ts';
import { GateMessage } from '../../../src/shared/messages/gate-message.ts';
import { encodeJoin, GATE_MSG_MAX_BYTES, GateMsg, JoinLayout, RewardLayout, writeReward } from '../../../src/shared/messages/gate-to-cell.ts';
import { Ring } from '../../../src/shared/ring.ts';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** The one message in `ring`, as [offset, length]. */
function only(ring: Ring): [number, number] {
  ring.flush();
  const at = ring.peek();
  expect(at).toBeGreaterThanOrEqual(0);
  return [at, ring.messageLength];
}

describe('REWARD', () => {
  it('reads back its experience and seq, fits the gate limit, and refuses every truncation', () => {
    fc.assert(
      fc.property(u32, u32, u32, (conn, xp, seq) => {
        const ring = Ring.create(256);
        expect(writeReward(ring, conn, xp, seq)).toBe(true);
        const [at, len] = only(ring);
        expect(len).toBe(RewardLayout.bytes);
        expect(len).toBeLessThanOrEqual(GATE_MSG_MAX_BYTES);
        const m = new GateMessage();
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.xp, m.seq]).toEqual([GateMsg.REWARD, conn, xp, seq]);
        for (let short = 0; short < len; short++) expect(m.read(ring.view, at, short)).toBe(false);
      }),
    );
  });

  it('left without a seq is one with no stored row (0)', () => {
    const ring = Ring.create(64);
    writeReward(ring, 3, 40);
    const [at, len] = only(ring);
    const m = new GateMessage();
    m.seq = 77; // a previous message's
    expect(m.read(ring.view, at, len)).toBe(true);
    expect(m.seq).toBe(0);
  });

  it('forwarded to the cell that owns the player now, keeps its seq (the bytes travel whole)', () => {
    const src = Ring.create(64);
    writeReward(src, 9, 250, 12);
    const [at, len] = only(src);
    const peer = Ring.create(256);
    expect(writeForward(peer, src.bytes, at, len)).toBe(true);
    const [fat, flen] = only(peer);
    expect(peer.view.getUint8(fat)).toBe(PeerMsg.FORWARD);
    const m = new GateMessage();
    expect(m.read(peer.view, fat + ForwardLayout.body, flen - ForwardLayout.body)).toBe(true);
    expect([m.op, m.conn, m.xp, m.seq]).toEqual([GateMsg.REWARD, 9, 250, 12]);
  });
});

describe('rewardSeq beside the experience', () => {
  it('JOIN carries it (with or without a combat carry) and refuses a message cut inside it', () => {
    fc.assert(
      fc.property(u32, u32, u32, fc.boolean(), (conn, xp, rewardSeq, withCarry) => {
        const carry = withCarry ? new Uint8Array([1, 2, 3]) : undefined;
        const j = encodeJoin(conn, 5, 1, 2, 0, 10, 3, xp, carry, rewardSeq);
        const m = new GateMessage();
        expect(m.read(new DataView(j.buffer), 0, j.length)).toBe(true);
        expect([m.op, m.conn, m.xp, m.rewardSeq, m.carryLength]).toEqual([GateMsg.JOIN, conn, xp, rewardSeq, withCarry ? 3 : 0]);
        for (let short = 0; short < JoinLayout.bytes; short++) expect(m.read(new DataView(j.buffer), 0, short)).toBe(false);
      }),
    );
  });

  it('LEFT, STATE, EXPERIENCE and REWARDED read it from the store with the experience; a short one is refused', () => {
    fc.assert(
      fc.property(u32, u32, u32, fc.constantFrom(CellMsg.LEFT, CellMsg.STATE, CellMsg.EXPERIENCE, CellMsg.REWARDED), (conn, xp, rewardSeq, op) => {
        const store = EntityStore.create(4);
        const s = indexOf(store.allocate());
        store.f.level[s] = 2;
        store.f.xp[s] = xp;
        store.f.rewardSeq[s] = rewardSeq;
        const ring = Ring.create(256);
        expect(writePlayerReport(ring, op, conn, store, s)).toBe(true);
        const [at, len] = only(ring);
        expect(len).toBe(ReportLayout.bytes);
        const m = new CellMessage();
        expect(m.read(ring.view, at, len)).toBe(true);
        expect([m.op, m.conn, m.level, m.xp, m.rewardSeq]).toEqual([op, conn, 2, xp, rewardSeq]);
        for (let short = 0; short < len; short++) expect(m.read(ring.view, at, short)).toBe(false);
      }),
    );
  });

  it('PORTAL carries it before its carry; a tail that does not add up is refused', () => {
    const store = EntityStore.create(4);
    const s = indexOf(store.allocate());
    store.f.xp[s] = 900;
    store.f.rewardSeq[s] = 6;
    const ring = Ring.create(256);
    expect(writePortal(ring, 4, 10, 1, store, s, 0, 0, new Uint8Array([7, 7]))).toBe(true);
    const [at, len] = only(ring);
    expect(len).toBe(PortalLayout.carry + 2);
    const m = new CellMessage();
    expect(m.read(ring.view, at, len)).toBe(true);
    expect([m.xp, m.rewardSeq, m.carryLength]).toEqual([900, 6, 2]);
    expect([...ring.bytes.subarray(m.carryAt, m.carryAt + m.carryLength)]).toEqual([7, 7]);
    for (let short = 0; short < PortalLayout.bytes; short++) expect(m.read(ring.view, at, short)).toBe(false);
    expect(m.read(ring.view, at, len - 1)).toBe(false);
  });

  it('random bytes under a REWARD or REWARDED opcode are read only when long enough, and never past the length given', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), fc.boolean(), (junk, toCell) => {
        const bytes = new Uint8Array(64).fill(0xee);
        bytes.set(junk);
        if (junk.length > 0) bytes[0] = toCell ? GateMsg.REWARD : CellMsg.REWARDED;
        const v = new DataView(bytes.buffer);
        const ok = toCell ? new GateMessage().read(v, 0, junk.length) : new CellMessage().read(v, 0, junk.length);
        expect(ok).toBe(junk.length >= (toCell ? RewardLayout.bytes : ReportLayout.bytes));
      }),
    );
  });
});
