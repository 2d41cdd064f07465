import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA, FieldSchema, REPLICATED_FIELDS } from '../../src/protocol/fields.ts';
import { EntityRows } from '../../src/workers/entity-rows.ts';

const SLOTS = 64;
const schema = DEFAULT_SCHEMA;
const X = schema.index.x;
const HP = schema.index.hp;

/** A store's replicated columns (table order) of SLOTS slots, at their store types. */
function store(s: FieldSchema = schema): (Float32Array | Int32Array | Uint32Array)[] {
  return s.fields.map((f) => (f.store === 'f32' ? new Float32Array(SLOTS) : f.store === 'i32' ? new Int32Array(SLOTS) : new Uint32Array(SLOTS)));
}

/** Looks at `slots` (handles slot + 1000) in `tick`; returns their references and the oldest. */
function look(rows: EntityRows, from: ArrayLike<number>[], slots: number[], tick: number): { refs: number[]; oldest: number } {
  const out = new Uint32Array(slots.length);
  const oldest = rows.refs(from, Int32Array.from(slots), Uint32Array.from(slots, (s) => s + 1000), slots.length, tick, out, 0);
  return { refs: [...out], oldest };
}

/** The wire values of row `ref`. */
const valuesAt = (rows: EntityRows, ref: number): number[] => rows.table.cols.map((c) => c[ref & rows.mask]);

describe('EntityRows', () => {
  it('quantises an entity once a tick however many views it is in, and gives it a new row only when it changed', () => {
    const rows = new EntityRows(schema, 4, 64);
    const from = store();
    from[X][3] = 10;
    from[HP][3] = 50;
    const a = look(rows, from, [3, 5], 1);
    const b = look(rows, from, [5, 3], 1); // a second viewer, the same tick
    expect(b.refs).toEqual([a.refs[1], a.refs[0]]);
    expect(rows.pos).toBe(2);
    expect(valuesAt(rows, a.refs[0])[X]).toBe(160);
    // Next tick: slot 5 unchanged keeps its row; slot 3 moved gets a new one, and the old row still reads as before.
    from[X][3] = 11;
    const c = look(rows, from, [3, 5], 2);
    expect(c.refs[1]).toBe(a.refs[1]);
    expect(c.refs[0]).not.toBe(a.refs[0]);
    expect(valuesAt(rows, c.refs[0])[X]).toBe(176);
    expect(valuesAt(rows, a.refs[0])[X]).toBe(160);
    expect(rows.pos).toBe(3);
    // The oldest reference of a view, for live().
    expect(c.oldest).toBe(a.refs[1]);
  });

  it('gives a new row to another entity in the same slot (a new handle)', () => {
    const rows = new EntityRows(schema, 4, 64);
    const from = store();
    const out = new Uint32Array(1);
    rows.refs(from, Int32Array.of(2), Uint32Array.of(77), 1, 1, out, 0);
    const first = out[0];
    rows.refs(from, Int32Array.of(2), Uint32Array.of(78), 1, 2, out, 0);
    expect(out[0]).not.toBe(first);
    expect(rows.table.ids[out[0] & rows.mask]).toBe(78);
  });

  it('holds a field within its threshold to the previous row, so a slow drift makes a new row only past it', () => {
    const spec = { fields: { ...REPLICATED_FIELDS.fields, hp: { ...REPLICATED_FIELDS.fields.hp, threshold: 3 } }, groups: REPLICATED_FIELDS.groups };
    const s = new FieldSchema(spec);
    const rows = new EntityRows(s, 4, 64);
    const from = store(s);
    const hp = s.index.hp;
    from[hp][1] = 100;
    let ref = look(rows, from, [1], 1).refs[0];
    const seen = [ref];
    for (let tick = 2; tick <= 8; tick++) {
      from[hp][1] = 100 + (tick - 1); // one point a tick
      ref = look(rows, from, [1], tick).refs[0];
      seen.push(ref);
    }
    // 101, 102, 103 are within 3 of 100; 104 is past it (a new row at 104), 105-107 within 3 of 104.
    expect(new Set(seen).size).toBe(2);
    expect(valuesAt(rows, seen[3])[hp]).toBe(100);
    expect(valuesAt(rows, seen[4])[hp]).toBe(104);
    expect(valuesAt(rows, seen[7])[hp]).toBe(104);
  });

  it('a row lives until the ring has gone round past it; an unchanged entity is given a fresh row a quarter of the way round', () => {
    const rows = new EntityRows(schema, 1, 64);
    const from = store();
    const still = look(rows, from, [0], 1).refs[0];
    // Slots 1..8 move every tick: 8 rows a tick.
    let tick = 1;
    let latest = still;
    let ageWhenRenewed = -1;
    const moving = [1, 2, 3, 4, 5, 6, 7, 8];
    while (ageWhenRenewed < 0 && tick < 10) {
      tick++;
      for (const s of moving) from[X][s] = tick;
      const age = rows.age(still);
      latest = look(rows, from, [0, ...moving], tick).refs[0];
      if (latest !== still) ageWhenRenewed = age;
    }
    // Past a quarter of the ring (16 of 64 rows), not before: the unchanged entity got a new row, with its values.
    expect(ageWhenRenewed).toBeGreaterThan(15);
    expect(ageWhenRenewed).toBeLessThanOrEqual(24);
    expect(valuesAt(rows, latest)).toEqual(valuesAt(rows, still));
    expect(rows.live(still)).toBe(true);
    // Written over once the ring went round (no view asked to keep it: no need()).
    for (let i = 0; i < 8; i++) {
      tick++;
      for (const s of moving) from[X][s] = tick;
      look(rows, from, moving, tick);
    }
    expect(rows.capacity).toBe(64);
    expect(rows.age(still)).toBeGreaterThan(63);
    expect(rows.live(still)).toBe(false);
    expect(rows.live(rows.pos)).toBe(false);
  });

  it('grows ahead of a view a client may still acknowledge, keeping every row at its reference', () => {
    const rows = new EntityRows(schema, 4, 64);
    const from = store();
    const slots = Array.from({ length: 8 }, (_, i) => i);
    for (const s of slots) from[HP][s] = s;
    const kept = look(rows, from, slots, 1);
    const want = kept.refs.map((r) => valuesAt(rows, r));
    for (let tick = 2; tick <= 60; tick++) {
      for (const s of slots) from[HP][s] = tick * 10 + s;
      look(rows, from, slots, tick);
      rows.need(kept.oldest); // the client has not acknowledged anything newer
      expect(rows.live(kept.oldest)).toBe(true);
    }
    expect(rows.capacity).toBeGreaterThan(64);
    expect(kept.refs.map((r) => valuesAt(rows, r))).toEqual(want);
  });

  it('grows within a tick that writes more than a quarter of the ring, so the views made earlier in it stay readable', () => {
    const rows = new EntityRows(schema, 4, 16);
    const from = store();
    for (let s = 0; s < SLOTS; s++) from[HP][s] = s + 1;
    const first = look(rows, from, [0, 1, 2], 1);
    look(rows, from, Array.from({ length: 60 }, (_, i) => i + 3), 1);
    expect(rows.capacity).toBeGreaterThanOrEqual(64);
    expect(first.refs.every((r) => rows.live(r))).toBe(true);
    expect(first.refs.map((r) => valuesAt(rows, r)[HP])).toEqual([1, 2, 3]);
  });

  it('halves after a long spell of needing far less, keeping the rows still needed', () => {
    const rows = new EntityRows(schema, 1, 64);
    const from = store();
    const slots = Array.from({ length: 32 }, (_, i) => i);
    // A lag: a view kept for 40 ticks of 32 moving entities grows the ring.
    const kept = look(rows, from, slots, 1);
    let tick = 1;
    for (; tick <= 40; tick++) {
      for (const s of slots) from[X][s] = tick;
      look(rows, from, slots, tick);
      rows.need(kept.oldest);
    }
    const grown = rows.capacity;
    expect(grown).toBeGreaterThanOrEqual(1024);
    // The lag passed: one entity moves a tick, each view asking only for its own tick's row.
    let fresh = kept;
    const shrinkAt: number[] = [];
    for (let i = 0; i < 20_000 && rows.capacity > 64; i++) {
      tick++;
      from[X][0] = tick;
      const before = rows.capacity;
      fresh = look(rows, from, [0], tick);
      rows.need(fresh.oldest);
      if (rows.capacity < before) shrinkAt.push(tick);
      expect(rows.live(fresh.oldest)).toBe(true);
      expect(valuesAt(rows, fresh.refs[0])[X]).toBe(tick * 16);
    }
    // Halved, one step at a time, each after 640 ticks of slack, back to where it started.
    expect(rows.capacity).toBe(64);
    expect(shrinkAt.length).toBe(Math.log2(grown / 64));
    for (let k = 1; k < shrinkAt.length; k++) expect(shrinkAt[k] - shrinkAt[k - 1]).toBeGreaterThanOrEqual(640);
  });

  it('a row the ring went round past stays lost when the ring grows afterwards', () => {
    const rows = new EntityRows(schema, 1, 16);
    const from = store();
    const lost = look(rows, from, [0], 1).refs[0];
    // 3 moving entities a tick, nothing kept: the ring goes round past `lost`.
    let tick = 1;
    while (rows.age(lost) <= 16) {
      tick++;
      for (const s of [1, 2, 3]) from[X][s] = tick;
      look(rows, from, [1, 2, 3], tick);
    }
    expect(rows.live(lost)).toBe(false);
    // Grown by a view that must be kept a long way ahead: the larger table never held `lost`'s row.
    const kept = look(rows, from, [1], tick).refs[0];
    for (let i = 0; i < 6; i++) {
      tick++;
      for (const s of [1, 2, 3]) from[X][s] = tick;
      look(rows, from, [1, 2, 3], tick);
      rows.need(kept);
    }
    expect(rows.capacity).toBeGreaterThan(16);
    expect(rows.age(lost)).toBeLessThanOrEqual(rows.capacity - 1);
    expect(rows.live(lost)).toBe(false);
    expect(rows.live(kept)).toBe(true);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => new EntityRows(schema, 4, 100)).toThrow(/power of two/);
    expect(() => new EntityRows(schema, 4, 2)).toThrow(/power of two/);
  });

  it('every reference still live reads the values its entity had when the view was made, through wraps and growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uniqueArray(fc.nat(SLOTS - 1), { maxLength: 20 }), fc.nat(0xffff), fc.boolean()), { minLength: 1, maxLength: 120 }),
        fc.constantFrom(16, 64),
        fc.nat(0xfffffff0),
        (ticks, size, start) => {
          const rows = new EntityRows(schema, 2, size);
          // Positions wrap past 2^32 as well.
          rows.pos = start;
          const from = store();
          const views: { refs: number[]; values: number[][]; oldest: number; keep: boolean }[] = [];
          ticks.forEach(([slots, seed, keep], k) => {
            const tick = k + 1;
            for (const s of slots) if ((seed + s) % 3 === 0) from[HP][s] = (seed + s) & 0xff;
            const v = look(rows, from, slots, tick);
            views.push({ refs: v.refs, values: slots.map((s) => schema.fields.map((f) => schema.quantise(f.index, from[f.index][s]))), oldest: v.oldest, keep });
            // Views a client keeps acknowledging-to-be ask for their rows; the others may go.
            for (const w of views) if (w.keep && w.refs.length > 0) rows.need(w.oldest);
            for (const w of views) {
              if (w.refs.length === 0 || !rows.live(w.oldest)) continue;
              w.refs.forEach((r, i) => {
                expect(rows.live(r)).toBe(true);
                expect(valuesAt(rows, r)).toEqual(w.values[i]);
              });
            }
          });
          // A view kept with need() never went.
          for (const w of views) if (w.keep && w.refs.length > 0) expect(rows.live(w.oldest)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
