/**
 * The compiled field codec against the loops over the table's descriptors:
 * for Tessera's table and for tables with other widths, thresholds and
 * groups, both write the same bytes and read them back to the same views.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codecOf, compileCodec, genericCodec, type FieldCodec } from '../../src/protocol/field-codec.ts';
import { DEFAULT_SCHEMA, FieldSchema, REPLICATED_FIELDS, type FieldTableSpec } from '../../src/protocol/fields.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { decodeSnapshotBody, encodeSnapshot, encodeSnapshotRefs, encodeSnapshotRows, maxSnapshotBytes } from '../../src/protocol/snapshot-codec.ts';
import { ViewTable } from '../../src/protocol/view-table.ts';
import { writeNoEvents } from '../../src/protocol/snapshot-events.ts';
import { writeNoChat } from '../../src/protocol/chat-lines.ts';
import { Writer } from '../../src/protocol/writer.ts';

const TABLES: Record<string, FieldTableSpec> = {
  tessera: REPLICATED_FIELDS,
  // A u32 field in a group of its own, a thresholded one, and a second delta group.
  wider: {
    fields: {
      ...REPLICATED_FIELDS.fields,
      aim: { store: 'u32', wire: 'u32', group: 'aim', quantise: 'bits' },
      focus: { store: 'i32', wire: 'u16', group: 'focus', quantise: 'clamp', threshold: 3 },
      facing: { store: 'u8', wire: 'u8', group: 'turn', quantise: 'clamp' },
      lean: { store: 'u8', wire: 'u8', group: 'turn', quantise: 'clamp' },
    },
    groups: [...REPLICATED_FIELDS.groups, { name: 'aim' }, { name: 'focus' }, { name: 'turn', delta: true }],
  },
};

/** A table of `n` rows with sorted unique ids and random values within each field's wire range. */
function randomTable(schema: FieldSchema, seed: number, n: number, ids: number[], tick: number): ViewTable {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const t = new ViewTable(n, schema);
  t.ensure(n);
  for (let i = 0; i < n; i++) {
    t.ids[i] = ids[i];
    for (const f of schema.fields) t.cols[f.index][i] = Math.floor(next() * (f.max + 1));
  }
  t.count = n;
  t.tick = tick;
  return t;
}

/** The next state: most rows nudged a little, some jumped, some left alone. */
function nudge(schema: FieldSchema, from: ViewTable, seed: number, tick: number): ViewTable {
  let s = seed >>> 0 || 7;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const t = new ViewTable(from.count, schema);
  t.ensure(from.count);
  for (let i = 0; i < from.count; i++) {
    t.ids[i] = from.ids[i];
    for (const f of schema.fields) {
      const r = next();
      const v = from.cols[f.index][i];
      t.cols[f.index][i] = r < 0.5 ? v : r < 0.9 ? Math.min(f.max, Math.max(0, v + Math.floor(next() * 9) - 4)) : Math.floor(next() * (f.max + 1));
    }
  }
  t.count = from.count;
  t.tick = tick;
  return t;
}

function encode(codec: FieldCodec, base: ViewTable | null, cur: ViewTable): Uint8Array {
  const buf = new Uint8Array(maxSnapshotBytes(256, cur.schema));
  const w = new Writer().reset(buf);
  encodeSnapshot(w, cur.tick, base, cur, 0, 0, codec);
  return buf.slice(0, w.length);
}

function decode(codec: FieldCodec, schema: FieldSchema, frame: Uint8Array, base: ViewTable | null): ViewTable {
  const out = new ViewTable(8, schema);
  const r = new Reader().reset(frame);
  r.u8();
  decodeSnapshotBody(r, (t) => (t === 0 ? null : base!), out, { tick: 0, baseTick: 0, lastInputSeq: 0, you: 0 }, codec);
  return out;
}

/** What encodeSnapshot writes after the entities: no events, no self record, no chat. */
function writeEmptySections(w: Writer): void {
  writeNoEvents(w);
  w.u8(0);
  writeNoChat(w);
}

const rows = (t: ViewTable) => Array.from({ length: t.count }, (_, i) => [t.ids[i], ...t.cols.map((c) => c[i])]);

describe('compiled and generic field codecs', () => {
  for (const [name, spec] of Object.entries(TABLES)) {
    it(`${name}: write the same bytes and read them back to the same views`, () => {
      const schema = new FieldSchema(spec);
      const compiled = compileCodec(schema)!;
      const generic = genericCodec(schema);
      expect(compiled.compiled).toBe(true);
      expect(generic.compiled).toBe(false);
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1 << 20 }), { maxLength: 60 }), fc.integer(), fc.integer(), (idList, s1, s2) => {
          const ids = [...idList].sort((a, b) => a - b);
          const base = randomTable(schema, s1, ids.length, ids, 10);
          // Thresholds undo small changes in `cur` while encoding: each codec gets its own copy.
          const curA = nudge(schema, base, s2, 11);
          const curB = nudge(schema, base, s2, 11);
          const full = encode(compiled, null, curA);
          expect(encode(generic, null, curB)).toEqual(full);
          const whole = rows(curA); // what the full snapshot carries (a delta may then undo changes within thresholds)
          const deltaA = encode(compiled, base, curA);
          const deltaB = encode(generic, base, curB);
          expect(deltaB).toEqual(deltaA);
          expect(rows(curB)).toEqual(rows(curA));
          for (const reader of [compiled, generic]) {
            expect(rows(decode(reader, schema, full, null))).toEqual(whole);
            expect(rows(decode(reader, schema, deltaA, base))).toEqual(rows(curA));
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  for (const [name, spec] of Object.entries(TABLES)) {
    it(`${name}: a baseline and a view at any rows of one shared table encode as the two tables alone do`, () => {
      const schema = new FieldSchema(spec);
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 1, max: 1 << 20 }), { maxLength: 40 }),
          fc.integer(),
          fc.integer(),
          fc.nat(50),
          fc.nat(50),
          fc.boolean(),
          (idList, s1, s2, gapA, gapB, baseFirst) => {
            const ids = [...idList].sort((a, b) => a - b);
            const base = randomTable(schema, s1, ids.length, ids, 10);
            for (const codec of [compileCodec(schema)!, genericCodec(schema)]) {
              const alone = nudge(schema, base, s2, 11);
              const want = encode(codec, base, alone);
              // After the delta undid the changes within thresholds, as the shared view's will be.
              const wantFull = encode(codec, null, alone);
              // Both in one table, apart by a gap of garbage rows, in either order.
              const n = ids.length;
              const shared = randomTable(schema, s2 ^ 0x5a5a, gapA + 2 * n + gapB + 1, Array.from({ length: gapA + 2 * n + gapB + 1 }, (_, i) => i), 0);
              const baseRow = baseFirst ? gapA : gapA + n + gapB;
              const curRow = baseFirst ? gapA + n + gapB : gapA;
              const cur = nudge(schema, base, s2, 11);
              for (let i = 0; i < n; i++) {
                codec.copyRow(shared, baseRow + i, base, i);
                codec.copyRow(shared, curRow + i, cur, i);
              }
              const buf = new Uint8Array(maxSnapshotBytes(256, schema));
              const w = new Writer().reset(buf);
              encodeSnapshotRows(w, 11, 0, 0, shared, 10, baseRow, n, shared, curRow, n, codec);
              const fullBuf = new Uint8Array(maxSnapshotBytes(256, schema));
              const full = new Writer().reset(fullBuf);
              encodeSnapshotRows(full, 11, 0, 0, null, 0, 0, 0, shared, curRow, n, codec);
              writeEmptySections(w);
              writeEmptySections(full);
              expect(buf.slice(0, w.length)).toEqual(want);
              expect(fullBuf.slice(0, full.length)).toEqual(wantFull);
              // The thresholds' undoing lands on the view's rows, as on the table alone.
              expect(Array.from({ length: n }, (_, i) => [shared.ids[curRow + i], ...shared.cols.map((c) => c[curRow + i])])).toEqual(rows(alone));
            }
          },
        ),
        { numRuns: 100 },
      );
    });

    it(`${name}: views of references into one shared table encode what takes the client from the base's rows to the view's`, () => {
      const schema = new FieldSchema(spec);
      const compiled = compileCodec(schema)!;
      const generic = genericCodec(schema);
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 1, max: 1 << 20 }), { minLength: 1, maxLength: 40 }),
          fc.integer(),
          fc.array(fc.nat(3), { minLength: 40, maxLength: 40 }),
          (idList, seed, fate) => {
            const ids = Uint32Array.from([...idList].sort((a, b) => a - b));
            const n = ids.length;
            // 64 rows of random values; references name them after & 63, from anywhere in the u32 range.
            const shared = randomTable(schema, seed, 64, Array.from({ length: 64 }, (_, i) => i), 0);
            const bRefs = new Uint32Array(n);
            const cIds: number[] = [];
            const cRefs: number[] = [];
            for (let i = 0; i < n; i++) {
              bRefs[i] = (0xfffffff0 + i * 7) >>> 0;
              // 0: the same row (unchanged), 1: a row nudged from it, 2: another row, 3: gone from the view.
              if (fate[i] === 3) continue;
              const ref = fate[i] === 0 ? bRefs[i] : (i * 13 + 5 + fate[i]) >>> 0;
              if (fate[i] === 1) for (const f of schema.fields) shared.cols[f.index][ref & 63] = Math.min(f.max, shared.cols[f.index][bRefs[i] & 63] + (i % 3));
              cIds.push(ids[i]);
              cRefs.push(ref);
            }
            // One entity new to the view, past every other id.
            cIds.push(ids[n - 1] + 1);
            cRefs.push(63);
            const view = (vIds: ArrayLike<number>, vRefs: ArrayLike<number>): ViewTable => {
              const t = new ViewTable(vIds.length, schema);
              for (let i = 0; i < vIds.length; i++) {
                compiled.copyRow(t, i, shared, vRefs[i] & 63);
                t.ids[i] = vIds[i];
              }
              t.count = vIds.length;
              t.tick = 10;
              return t;
            };
            const base = view(ids, bRefs);
            const want = rows(view(cIds, cRefs));
            const frames = [compiled, generic].map((codec) => {
              const buf = new Uint8Array(maxSnapshotBytes(256, schema));
              const w = new Writer().reset(buf);
              encodeSnapshotRefs(w, 11, 0, 0, shared, 63, 10, ids, bRefs, 0, n, Uint32Array.from(cIds), Uint32Array.from(cRefs), 0, cIds.length, codec);
              writeEmptySections(w);
              return buf.slice(0, w.length);
            });
            expect(frames[1]).toEqual(frames[0]);
            for (const reader of [compiled, generic]) expect(rows(decode(reader, schema, frames[0], base))).toEqual(want);
            // A full snapshot of the same view.
            const buf = new Uint8Array(maxSnapshotBytes(256, schema));
            const w = new Writer().reset(buf);
            encodeSnapshotRefs(w, 11, 0, 0, shared, 63, 0, null, bRefs, 0, 0, Uint32Array.from(cIds), Uint32Array.from(cRefs), 0, cIds.length, compiled);
            writeEmptySections(w);
            expect(rows(decode(compiled, schema, buf.slice(0, w.length), null))).toEqual(want);
          },
        ),
        { numRuns: 150 },
      );
    });

    it(`${name}: refreshRow quantises as fill does, holding a change within its threshold to the previous row`, () => {
      const schema = new FieldSchema(spec);
      const store = schema.fields.map((f) => (f.store === 'f32' ? new Float32Array(4) : f.store === 'i32' ? new Int32Array(4) : new Uint32Array(4)));
      for (const codec of [compileCodec(schema)!, genericCodec(schema)]) {
        const t = new ViewTable(8, schema);
        for (const f of schema.fields) store[f.index][1] = f.store === 'f32' ? 12.5 : 40;
        expect(codec.refreshRow(t, store, 1, 0, -1)).toBe(1);
        for (const f of schema.fields) expect(t.cols[f.index][0]).toBe(schema.quantise(f.index, store[f.index][1]));
        // Nothing moved: row 1 equals row 0.
        expect(codec.refreshRow(t, store, 1, 1, 0)).toBe(0);
        for (const f of schema.fields) expect(t.cols[f.index][1]).toBe(t.cols[f.index][0]);
        // Each field moved by 2: a field of threshold 2 or more keeps row 0's value, the others change.
        for (const f of schema.fields) store[f.index][1] = f.store === 'f32' ? 12.5 + 2 / 16 : 42;
        const held = schema.fields.filter((f) => f.threshold >= 2);
        expect(codec.refreshRow(t, store, 1, 2, 0)).toBe(held.length === schema.fields.length ? 0 : 1);
        for (const f of schema.fields) expect(t.cols[f.index][2]).toBe(f.threshold >= 2 ? t.cols[f.index][0] : schema.quantise(f.index, store[f.index][1]));
        // Only a held field moved: no change.
        for (const f of schema.fields) store[f.index][1] = f.store === 'f32' ? 12.5 : f.threshold >= 2 ? 42 : 40;
        expect(codec.refreshRow(t, store, 1, 3, 0)).toBe(0);
        for (const f of schema.fields) expect(t.cols[f.index][3]).toBe(t.cols[f.index][0]);
      }
    });

    it(`${name}: refreshRow quantises any store slot into any row, values past the wire range included`, () => {
      const schema = new FieldSchema(spec);
      // A store of 16 slots: each field's column at its store type, values past the wire range included.
      const store = schema.fields.map((f) => {
        const col = f.store === 'f32' ? new Float32Array(16) : f.store === 'i32' ? new Int32Array(16) : f.store === 'u32' ? new Uint32Array(16) : f.store === 'u16' ? new Uint16Array(16) : new Uint8Array(16);
        for (let i = 0; i < 16; i++) col[i] = f.store === 'f32' ? i * 3.7 - 5 : f.store === 'i32' ? (i - 4) * 9000 : i * 0x1357;
        return col;
      });
      const slots = [3, 0, 15, 7, 9];
      for (const off of [0, 1, 37]) {
        const a = new ViewTable(64, schema);
        const b = new ViewTable(64, schema);
        slots.forEach((slot, i) => {
          expect(compileCodec(schema)!.refreshRow(a, store, slot, off + i, -1)).toBe(1);
          expect(genericCodec(schema).refreshRow(b, store, slot, off + i, -1)).toBe(1);
        });
        expect(rows({ ...a, count: 64 } as ViewTable)).toEqual(rows({ ...b, count: 64 } as ViewTable));
        for (let i = 0; i < slots.length; i++) for (const f of schema.fields) expect(a.cols[f.index][off + i]).toBe(schema.quantise(f.index, store[f.index][slots[i]]));
        // Nothing outside the rows asked for.
        for (let r = 0; r < 64; r++) if (r < off || r >= off + slots.length) for (const c of a.cols) expect(c[r]).toBe(0);
      }
    });
  }

  it('a change within a field threshold is not sent and the server keeps the baseline value', () => {
    const schema = new FieldSchema(TABLES.wider);
    const k = schema.index.focus;
    const base = randomTable(schema, 1, 1, [5], 1);
    base.cols[k][0] = 100;
    const cur = new ViewTable(1, schema);
    codecOf(schema).copyRow(cur, 0, base, 0);
    cur.count = 1;
    cur.tick = 2;
    cur.cols[k][0] = 103; // within 3
    const small = encode(codecOf(schema), base, cur);
    expect(cur.cols[k][0]).toBe(100);
    expect(rows(decode(codecOf(schema), schema, small, base))).toEqual(rows(base));
    cur.cols[k][0] = 104; // past it
    const big = encode(codecOf(schema), base, cur);
    expect(big.length).toBeGreaterThan(small.length);
    expect(decode(codecOf(schema), schema, big, base).cols[k][0]).toBe(104);
  });

  it('falls back to the generic codec where code generation is refused (a strict CSP)', () => {
    const original = globalThis.Function;
    (globalThis as { Function: unknown }).Function = function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    };
    try {
      const schema = new FieldSchema(TABLES.wider);
      expect(compileCodec(schema)).toBeNull();
      expect(codecOf(schema).compiled).toBe(false);
    } finally {
      globalThis.Function = original;
    }
    expect(codecOf(DEFAULT_SCHEMA).compiled).toBe(true);
  });

  it('refuses field names that are not identifiers or that a view table already uses', () => {
    for (const bad of ['ids', 'count', 'cols', '__proto__', 'constructor', 'a-b', '1x', '', 'x"]; alert(1); //']) {
      const spec: FieldTableSpec = { fields: { [bad]: { store: 'u8', wire: 'u8', group: 'g', quantise: 'clamp' } }, groups: [{ name: 'g' }] };
      expect(() => new FieldSchema(spec), bad).toThrow(/not a usable field name/);
    }
  });
});
