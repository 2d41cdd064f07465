import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClientMessage } from '../../src/protocol/decode.ts';
import { ErrorCode, ProtocolError } from '../../src/protocol/errors.ts';
import { ANY_SLOT, ITEM_OP_MAX, ItemOp, type ItemOpValue } from '../../src/protocol/item-codes.ts';
import { decodeInventory, encodeInventory, encodeItemRequest, INVENTORY_MAX_RECORDS, ITEM_REQUEST_BYTES } from '../../src/protocol/item-messages.ts';
import { ClientOp, Limits, ServerOp } from '../../src/protocol/opcodes.ts';
import { Reader } from '../../src/protocol/reader.ts';

const request = { seq: 7, itemOp: ItemOp.SPLIT as ItemOpValue, item: 123_456_789_012, version: 3, other: 0, otherVersion: 0, slot: 4, count: 2 };

function refused(bytes: Uint8Array): ProtocolError {
  try {
    decodeClientMessage(bytes);
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('ITEM', () => {
  it('round-trips every operation and field range, within the client frame limit', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 0, max: 0xffff }),
          itemOp: fc.integer({ min: 1, max: ITEM_OP_MAX }),
          item: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          version: fc.nat({ max: 0xffffffff }),
          other: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          otherVersion: fc.nat({ max: 0xffffffff }),
          slot: fc.integer({ min: 0, max: ANY_SLOT }),
          count: fc.nat({ max: 0xffffffff }),
        }),
        (m) => {
          const bytes = encodeItemRequest({ ...m, itemOp: m.itemOp as ItemOpValue });
          expect(bytes.length).toBe(ITEM_REQUEST_BYTES);
          expect(bytes.length).toBeLessThanOrEqual(Limits.maxClientFrame);
          expect(decodeClientMessage(bytes)).toEqual({ op: 'item', ...m });
        },
      ),
    );
  });

  it('refuses an unknown operation, a non-integer or negative id, and a cut or stretched frame, each with a reason', () => {
    for (const op of [0, ITEM_OP_MAX + 1, 255]) {
      const b = encodeItemRequest(request);
      b[3] = op;
      const e = refused(b);
      expect(e.code).toBe(ErrorCode.BAD_VALUE);
      expect(e.message).toContain(`unknown item operation ${op}`);
    }
    for (const bad of [NaN, Infinity, -1, 0.5, 2 ** 53]) {
      const b = encodeItemRequest(request);
      new DataView(b.buffer).setFloat64(4, bad, true);
      expect(refused(b).message).toMatch(/^item must be a whole number/);
    }
    const whole = encodeItemRequest(request);
    for (let cut = 1; cut < whole.length; cut++) expect(refused(whole.slice(0, cut))).toBeInstanceOf(ProtocolError);
    expect(refused(Uint8Array.from([...whole, 0]))).toBeInstanceOf(ProtocolError);
    expect(whole[0]).toBe(ClientOp.ITEM);
  });

  it('answers random hostile bytes after the opcode with a ProtocolError or a valid request, never a throw of another kind', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: Limits.maxClientFrame }), (tail) => {
        const b = Uint8Array.from([ClientOp.ITEM, ...tail]);
        try {
          const m = decodeClientMessage(b);
          expect(m.op).toBe('item');
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});

describe('INVENTORY', () => {
  const item = { id: 9_007_199_254_740_991, version: 4_000_000_000, template: 65_534, count: 20, container: 2, slot: 12 };

  it('round-trips a full and a delta inventory with results; -1 gold means unchanged', () => {
    for (const m of [
      { full: true, gold: 1234, items: [item, { ...item, id: 1, container: 1 }], removed: [], results: [] },
      { full: false, gold: -1, items: [], removed: [5, 6], results: [{ seq: 65_535, reason: 3 }, { seq: 0, reason: 0 }] },
    ]) {
      const bytes = encodeInventory(m);
      expect(bytes[0]).toBe(ServerOp.INVENTORY);
      const r = new Reader().reset(bytes);
      r.u8();
      expect(decodeInventory(r)).toEqual({ op: 'inventory', ...m });
      r.finish();
    }
  });

  it('refuses lists over the bound when encoding, and hostile counts, gold and ids when decoding', () => {
    expect(() => encodeInventory({ full: false, gold: 0, items: Array(INVENTORY_MAX_RECORDS + 1).fill(item), removed: [], results: [] })).toThrow(RangeError);
    const ok = encodeInventory({ full: false, gold: 0, items: [item], removed: [], results: [] });
    const read = (b: Uint8Array) => {
      const r = new Reader().reset(b);
      r.u8();
      return () => decodeInventory(r);
    };
    const hugeCount = ok.slice();
    new DataView(hugeCount.buffer).setUint16(10, 0xffff, true);
    expect(read(hugeCount)).toThrow(/65535 item records, at most 512/);
    const badGold = ok.slice();
    new DataView(badGold.buffer).setFloat64(2, -2, true);
    expect(read(badGold)).toThrow(/gold must be/);
    const badFull = ok.slice();
    badFull[1] = 2;
    expect(read(badFull)).toThrow(/full must be 0 or 1/);
    const badId = ok.slice();
    new DataView(badId.buffer).setFloat64(12, NaN, true);
    expect(read(badId)).toThrow(/item must be a whole number/);
    for (let cut = 2; cut < ok.length; cut++) expect(read(ok.slice(0, cut))).toThrow(ProtocolError);
  });
});
