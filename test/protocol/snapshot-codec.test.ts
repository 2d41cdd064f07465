import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientView } from '../../src/protocol/client-view.ts';
import { ErrorCode, ProtocolError } from '../../src/protocol/errors.ts';
import { Limits, ServerOp } from '../../src/protocol/opcodes.ts';
import { Reader } from '../../src/protocol/reader.ts';
import {
  EMPTY_EXTRA_BYTES,
  ENTER_BODY_BYTES,
  MAX_VID_BYTES,
  MAX_UPDATE_BYTES,
  SNAPSHOT_HEADER_BYTES,
  UpdateMask,
  decodeSnapshotBody,
  maxSnapshotBytes,
  type SnapshotHeader,
} from '../../src/protocol/snapshot-codec.ts';
import { ReplicatedFields, ViewTable } from '../../src/protocol/view-table.ts';
import { FIELD_NAMES, row, deltaArb, mutate, onlyProtocolErrors, rowsArb, rowsOf, snapshotFrame, tableOf, type Row } from './arbitraries.ts';

const sorted = (rows: Row[]): Row[] => [...rows].sort((a, b) => a.id - b.id);

/** A client view that has applied the full snapshot of `rows` at `tick`. */
function viewAt(rows: Row[], tick: number): ClientView {
  const v = new ClientView();
  v.apply(snapshotFrame(tick, null, tableOf(rows, tick)));
  return v;
}

function header(frame: Uint8Array): SnapshotHeader & { enters: number } {
  const r = new Reader().reset(frame);
  r.u8();
  const h = { tick: r.u32(), baseTick: r.u32(), lastInputSeq: r.u32(), you: r.u32(), enters: r.u16() };
  return h;
}

/** Bytes of a section's ids: LEB128 of each id's step from the previous (from 0 first). */
function idBytes(rows: { id: number }[]): number {
  let bytes = 0;
  let prev = 0;
  for (const r of rows) {
    let step = r.id - prev;
    prev = r.id;
    do {
      bytes++;
      step = Math.floor(step / 128);
    } while (step > 0);
  }
  return bytes;
}

describe('snapshot deltas reconstruct the current view exactly', () => {
  it('full snapshot then delta: enters, leaves, updates, big and wrapping moves', () => {
    fc.assert(
      fc.property(deltaArb(), fc.integer({ min: 1, max: 1e6 }), ({ base, cur }, t0) => {
        const v = viewAt(base, t0);
        expect(rowsOf(v.current)).toEqual(sorted(base));
        const frame = snapshotFrame(t0 + 1, tableOf(base, t0), tableOf(cur, t0 + 1), 77, 5);
        expect(frame.length).toBeLessThanOrEqual(maxSnapshotBytes(Limits.maxViewEntities));
        expect(frame.length).toBeLessThanOrEqual(Limits.maxServerFrame);
        const out = v.apply(frame);
        expect(rowsOf(out)).toEqual(sorted(cur));
        expect(v.lastTick).toBe(t0 + 1);
        expect(v.header).toEqual({ tick: t0 + 1, baseTick: t0, lastInputSeq: 77, you: 5 });
      }),
      { numRuns: 400 },
    );
  });

  it('a chain of deltas against lagging acknowledged baselines', () => {
    fc.assert(
      fc.property(
        fc.array(deltaArb(40), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 12, maxLength: 12 }),
        (steps, lags) => {
          // Server states: s[0] = steps[0].base, s[k] = steps[k-1].cur (rebased on s[k-1]'s ids).
          const states: Row[][] = [steps[0].base];
          for (const step of steps) {
            // reuse the step's shape: apply its changes by id onto the previous state
            const prev = states.at(-1)!;
            const byId = new Map(step.cur.map((r) => [r.id, r]));
            const baseIds = new Set(step.base.map((r) => r.id));
            const next = prev.filter((r) => !baseIds.has(r.id) || byId.has(r.id)).map((r) => byId.get(r.id) ?? r);
            const have = new Set(next.map((r) => r.id));
            for (const r of step.cur) if (!baseIds.has(r.id) && !have.has(r.id) && next.length < 64) next.push(r);
            states.push(next);
          }
          const v = new ClientView(8);
          const sent = new Map<number, ViewTable>();
          let acked = 0;
          for (let k = 0; k < states.length; k++) {
            const tick = 100 + k;
            const cur = tableOf(states[k], tick);
            const base = acked ? sent.get(acked)! : null;
            const frame = snapshotFrame(tick, base, cur);
            expect(rowsOf(v.apply(frame))).toEqual(sorted(states[k]));
            sent.set(tick, cur);
            // the client acks a recent tick it holds (not always the newest)
            const lagged = Math.max(100, tick - lags[k % lags.length]);
            if (v.history.find(lagged)) acked = lagged;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('empty views: full, delta to empty, delta from empty', () => {
    const rows: Row[] = [row({ id: 3, kind: 1, template: 2, x: 10, y: 20, hp: 5, maxHp: 9, level: 1, flags: 0 })];
    const v = viewAt([], 1);
    expect(v.current.count).toBe(0);
    v.apply(snapshotFrame(2, tableOf([], 1), tableOf(rows, 2)));
    expect(rowsOf(v.current)).toEqual(rows);
    v.apply(snapshotFrame(3, tableOf(rows, 2), tableOf([], 3)));
    expect(v.current.count).toBe(0);
    const empty = snapshotFrame(4, tableOf([], 3), tableOf([], 4));
    expect(empty.length).toBe(SNAPSHOT_HEADER_BYTES + 6 + EMPTY_EXTRA_BYTES);
  });

  it('full views of maxViewEntities, including a complete turnover in one delta', () => {
    const n = Limits.maxViewEntities;
    const mk = (from: number): Row[] =>
      Array.from({ length: n }, (_, i) => row({ id: from + i * 3, kind: 2, template: i, x: i * 100, y: 65535 - i, hp: i, maxHp: 0xffff, level: 255, flags: i & 0xff }));
    const a = mk(1);
    const b = mk(2); // every id different
    const full = snapshotFrame(1, null, tableOf(a, 1));
    expect(full.length).toBe(SNAPSHOT_HEADER_BYTES + 6 + EMPTY_EXTRA_BYTES + idBytes(a) + n * ENTER_BODY_BYTES);
    const v = new ClientView();
    v.apply(full);
    expect(rowsOf(v.current)).toEqual(a);
    const turnover = snapshotFrame(2, tableOf(a, 1), tableOf(b, 2));
    expect(turnover.length).toBe(SNAPSHOT_HEADER_BYTES + 6 + EMPTY_EXTRA_BYTES + idBytes(b) + n * ENTER_BODY_BYTES + idBytes(a));
    expect(turnover.length).toBeLessThanOrEqual(maxSnapshotBytes(n));
    expect(rowsOf(v.apply(turnover))).toEqual(b);
    // every row updated with every field at once
    const c = b.map((r) => ({ ...r, x: r.x + 1000, kind: 3, template: r.template + 1, hp: r.hp + 1, maxHp: 1, level: 2, flags: 255 - r.flags, target: 7, mana: 8, maxMana: 9, castSkill: 1, castEnd: 2, castTicks: 3 }));
    const all = snapshotFrame(3, tableOf(b, 2), tableOf(c, 3));
    expect(all.length).toBe(SNAPSHOT_HEADER_BYTES + 6 + EMPTY_EXTRA_BYTES + idBytes(c) + n * (MAX_UPDATE_BYTES - MAX_VID_BYTES));
    expect(rowsOf(v.apply(all))).toEqual(c);
  });

  it('chooses the smallest position encoding: i8 delta inside -128..127, absolute outside', () => {
    const at = (x: number, y: number): Row[] => [row({ id: 1, kind: 1, template: 0, x, y, hp: 0, maxHp: 0, level: 0, flags: 0 })];
    const maskOf = (frame: Uint8Array): number => frame[SNAPSHOT_HEADER_BYTES + 2 + 2 + 1]; // id 1: a one-byte varint
    const cases: [number, number, number][] = [
      [1000, 1000 - 128, UpdateMask.POS_DELTA],
      [1000, 1000 + 127, UpdateMask.POS_DELTA],
      [1000, 1000 - 129, UpdateMask.POS_ABS],
      [1000, 1000 + 128, UpdateMask.POS_ABS],
      [0, 65535, UpdateMask.POS_ABS],
      [65535, 0, UpdateMask.POS_ABS],
    ];
    for (const [from, to, mask] of cases) {
      const v = viewAt(at(from, 7), 1);
      const frame = snapshotFrame(2, tableOf(at(from, 7), 1), tableOf(at(to, 7), 2));
      expect(maskOf(frame)).toBe(mask);
      expect(rowsOf(v.apply(frame))).toEqual(at(to, 7));
    }
  });
});

describe('every replicated field has a codec entry', () => {
  const base: Row = row({ id: 42, kind: 1, template: 2, x: 300, y: 400, hp: 50, maxHp: 60, level: 3, flags: 1 });

  it('ViewTable has one column per ReplicatedFields entry, of the declared width', () => {
    const t = new ViewTable(2);
    const widths = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array } as const;
    const columns = Object.entries(t).filter(([k, v]) => ArrayBuffer.isView(v) && k !== 'ids' && k !== 'bytes' && k !== 'cols').map(([k]) => k).sort();
    expect(columns).toEqual([...FIELD_NAMES].sort());
    for (const f of FIELD_NAMES) expect(t[f]).toBeInstanceOf(widths[ReplicatedFields[f]]);
  });

  for (const field of Object.keys(ReplicatedFields) as (keyof typeof ReplicatedFields)[]) {
    it(`${field}: a change to it alone survives a delta, an enter, and copyRow`, () => {
      const max = { u8: 0xff, u16: 0xffff, u32: 0xffffffff }[ReplicatedFields[field]];
      for (const value of [0, 1, max, (base[field] + 77) & max]) {
        if (value === base[field]) continue;
        const changed = { ...base, [field]: value };
        // delta
        const v = viewAt([base], 1);
        const frame = snapshotFrame(2, tableOf([base], 1), tableOf([changed], 2));
        expect(frame.length).toBeGreaterThan(SNAPSHOT_HEADER_BYTES + 6 + EMPTY_EXTRA_BYTES); // an update record was written
        expect(rowsOf(v.apply(frame))).toEqual([changed]);
        // enter
        expect(rowsOf(viewAt([changed], 1).current)).toEqual([changed]);
        // unchanged rows are carried by copyRow into the next state
        const other: Row = { ...base, id: 43 };
        const v2 = viewAt([changed, other], 1);
        v2.apply(snapshotFrame(2, tableOf([changed, other], 1), tableOf([changed], 2)));
        expect(rowsOf(v2.current)).toEqual([changed]);
      }
    });
  }
});

describe('ClientView rejects malformed snapshots with typed errors only', () => {
  const base = sorted([
    row({ id: 5, kind: 1, template: 1, x: 100, y: 100, hp: 10, maxHp: 10, level: 1, flags: 0 }),
    row({ id: 9, kind: 2, template: 3, x: 200, y: 220, hp: 1, maxHp: 4, level: 2, flags: 1 }),
    row({ id: 70000, kind: 2, template: 3, x: 5000, y: 6000, hp: 1, maxHp: 4, level: 2, flags: 1 }),
  ]);

  it('random bytes after the opcode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, zeroBase) => {
        const v = viewAt(base, 10);
        const bytes = new Uint8Array([ServerOp.SNAPSHOT, ...tail]);
        if (bytes.length >= 9) {
          // point baseTick at the held baseline (or 0) so the records get decoded
          new DataView(bytes.buffer).setUint32(5, zeroBase ? 0 : 10, true);
        }
        onlyProtocolErrors(() => v.apply(bytes));
      }),
      { numRuns: 20000 },
    );
  });

  it('mutated valid deltas leave the view as it was when they fail', () => {
    fc.assert(
      fc.property(
        deltaArb(24).chain(({ base: b, cur }) =>
          fc.tuple(fc.constant(b), fc.constant(cur), mutate(snapshotFrame(11, tableOf(b, 10), tableOf(cur, 11)))),
        ),
        ([b, cur, bytes]) => {
          const v = viewAt(b, 10);
          const before = rowsOf(v.current);
          const r = onlyProtocolErrors(() => v.apply(bytes));
          if (r instanceof ProtocolError) {
            expect(rowsOf(v.current)).toEqual(before);
            expect(v.lastTick).toBe(10);
            // and the view still takes the genuine frame
            expect(rowsOf(v.apply(snapshotFrame(11, tableOf(b, 10), tableOf(cur, 11))))).toEqual(sorted(cur));
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('names the baseline and record errors', () => {
    const v = viewAt(base, 10);
    const code = (bytes: Uint8Array) => {
      const r = onlyProtocolErrors(() => v.apply(bytes));
      return r instanceof ProtocolError ? r.code : 'ok';
    };
    expect(code(snapshotFrame(12, tableOf(base, 11), tableOf(base, 12)))).toBe(ErrorCode.BAD_VALUE); // unknown baseline
    expect(code(new Uint8Array([ServerOp.PONG]))).toBe(ErrorCode.UNKNOWN_OPCODE);
    // an enter of an id already in view
    const dupEnter = snapshotFrame(12, tableOf([], 10), tableOf([base[0]], 12));
    expect(code(dupEnter)).toBe(ErrorCode.BAD_VALUE);
    // an update or leave of an id not in view
    const ghost = { ...base[0], id: 6 };
    const upd = snapshotFrame(12, tableOf([ghost], 10), tableOf([{ ...ghost, hp: 99 }], 12));
    expect(code(upd)).toBe(ErrorCode.BAD_VALUE);
    const leave = snapshotFrame(12, tableOf([ghost], 10), tableOf([], 12));
    expect(code(leave)).toBe(ErrorCode.BAD_VALUE);
    // counts over the limit
    const big = new Uint8Array(SNAPSHOT_HEADER_BYTES + 2);
    big[0] = ServerOp.SNAPSHOT;
    new DataView(big.buffer).setUint16(SNAPSHOT_HEADER_BYTES, Limits.maxViewEntities + 1, true);
    expect(code(big)).toBe(ErrorCode.BAD_VALUE);
    expect(code(snapshotFrame(12, tableOf(base, 10), tableOf(base, 12)).subarray(0, 20))).toBe(ErrorCode.TRUNCATED);
    expect(rowsOf(v.current)).toEqual(base);
  });

  it('rejects a view that would grow past maxViewEntities', () => {
    const n = Limits.maxViewEntities;
    const full: Row[] = Array.from({ length: n }, (_, i) => row({ id: i * 2, kind: 1, template: 0, x: 0, y: 0, hp: 0, maxHp: 0, level: 0, flags: 0 }));
    const v = viewAt(full, 1);
    const more = snapshotFrame(2, tableOf([], 1), tableOf([{ ...full[0], id: 1 }], 2));
    const r = onlyProtocolErrors(() => v.apply(more));
    expect(r).toBeInstanceOf(ProtocolError);
    expect(v.current.count).toBe(n);
  });

  // "a malformed snapshot changes nothing the caller holds" (snapshot-codec.ts):
  // the header the caller reads (tick, lastInputSeq, you) is written before the
  // body is validated, so a rejected frame leaves a half-applied header behind.
  it('a rejected frame leaves ClientView.header as it was', () => {
    const v = viewAt(base, 10);
    const before = { ...v.header };
    const bad = snapshotFrame(99, tableOf(base, 10), tableOf(base, 99), 1234, 77);
    bad[bad.length - 1] ^= 0xff; // damage the leave count
    expect(onlyProtocolErrors(() => v.apply(bad))).toBeInstanceOf(ProtocolError);
    expect(v.header).toEqual(before);
  });
});

describe('decodeSnapshotBody contract', () => {
  it('refuses to decode into its own baseline', () => {
    const t = tableOf([], 5);
    const r = new Reader().reset(snapshotFrame(6, t, tableOf([], 6)).subarray(1));
    expect(() => decodeSnapshotBody(r, () => t, t, { tick: 0, baseTick: 0, lastInputSeq: 0, you: 0 })).toThrow(/baseline/);
  });

  it('sizes its bound from the largest records', () => {
    fc.assert(
      fc.property(rowsArb(Limits.maxViewEntities), rowsArb(Limits.maxViewEntities), (a, b) => {
        const frame = snapshotFrame(2, tableOf(a, 1), tableOf(b, 2));
        expect(frame.length).toBeLessThanOrEqual(maxSnapshotBytes(Limits.maxViewEntities));
        expect(header(frame).baseTick).toBe(1);
      }),
      { numRuns: 100 },
    );
  });
});
