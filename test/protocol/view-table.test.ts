import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ViewHistory, ViewTable } from '../../src/protocol/view-table.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { baselinesBytes, HANDOFF_BASELINES_BUDGET, readBaselines, writeBaselines } from '../../src/workers/handoff.ts';
import type { Baseline } from '../../src/workers/baselines.ts';
import { PlayerState } from '../../src/workers/player-state.ts';
import { FIELD_NAMES, row, rowsArb, rowsOf, tableOf } from './arbitraries.ts';

describe('ViewTable', () => {
  it('grows by doubling and keeps its rows', () => {
    const t = tableOf([row({ id: 1, kind: 1, template: 2, x: 3, y: 4, hp: 5, maxHp: 6, level: 7, flags: 8 })]);
    const cap = t.capacity;
    t.ensure(cap * 3 + 1);
    expect(t.capacity).toBeGreaterThanOrEqual(cap * 3 + 1);
    expect(rowsOf(t)).toEqual([row({ id: 1, kind: 1, template: 2, x: 3, y: 4, hp: 5, maxHp: 6, level: 7, flags: 8 })]);
    for (const f of FIELD_NAMES) expect(t[f].length).toBe(t.capacity);
  });

  it('copyRowsOf: every row of a table, in one copy of its buffer into one as large, or a row at a time', () => {
    const rows = Array.from({ length: 5 }, (_, i) => row({ id: 10 + i, kind: 1, template: i, x: 100 * i, y: 7 + i, hp: 50 - i, maxHp: 50, level: i, flags: i & 1 }));
    const src = tableOf(rows);
    // As large, the rows filling it: one copy of the buffer.
    const whole = new ViewTable(src.capacity);
    whole.copyRowsOf(src);
    whole.count = src.count;
    expect(rowsOf(whole)).toEqual(rows);
    // A larger table: a row at a time.
    const larger = new ViewTable(src.capacity * 4);
    larger.copyRowsOf(src);
    larger.count = src.count;
    expect(rowsOf(larger)).toEqual(rows);
    // As large, but mostly empty: a row at a time.
    const sparse = new ViewTable(src.capacity * 4);
    sparse.copyRowsOf(larger);
    sparse.count = larger.count;
    expect(rowsOf(sparse)).toEqual(rows);
    // A smaller table grows to take them.
    const smaller = new ViewTable(1);
    smaller.copyRowsOf(src);
    smaller.count = src.count;
    expect(smaller.capacity).toBeGreaterThanOrEqual(src.count);
    expect(rowsOf(smaller)).toEqual(rows);
  });

  it('indexOf finds every id by binary search and misses absent ones', () => {
    fc.assert(
      fc.property(rowsArb(100), fc.integer({ min: 0, max: 0xffffffff }), (rows, probe) => {
        const t = tableOf(rows);
        rows.forEach((r) => expect(t.indexOf(r.id)).toBe(rowsOf(t).findIndex((x) => x.id === r.id)));
        if (!rows.some((r) => r.id === probe)) expect(t.indexOf(probe)).toBe(-1);
      }),
    );
  });
});

describe('ViewHistory', () => {
  it('claim reuses the oldest table; find returns a table by tick until it is overwritten', () => {
    const h = new ViewHistory(4);
    const tables = [1, 2, 3, 4].map((t) => h.claim(t));
    for (const [i, t] of tables.entries()) expect(h.find(i + 1)).toBe(t);
    const t5 = h.claim(5);
    expect(t5).toBe(tables[0]);
    expect(h.find(1)).toBeNull();
    expect(h.find(5)).toBe(t5);
    expect(h.find(0)).toBeNull(); // 0 means "no baseline", never a table
    expect(h.slotOf(0)).toBe(-1);
    h.clear();
    for (const t of [2, 3, 4, 5]) expect(h.find(t)).toBeNull();
  });

  it('swapIn stores a table as the newest and hands back the evicted one, emptied', () => {
    const h = new ViewHistory(2);
    const a = new ViewTable();
    a.tick = 10;
    const b = new ViewTable();
    b.tick = 11;
    const e1 = h.swapIn(a);
    const e2 = h.swapIn(b);
    expect(h.find(10)).toBe(a);
    expect(h.find(11)).toBe(b);
    expect(e1.tick).toBe(0);
    e1.tick = 12;
    expect(h.swapIn(e1)).toBe(a);
    expect(a.tick).toBe(0);
    expect(h.find(10)).toBeNull();
    expect(e2).not.toBe(a);
  });

  it('finds by the ticks it was given, through claims, swaps and a clear in any order', () => {
    const h = new ViewHistory(3);
    const model: (number | null)[] = [null, null, null];
    let next = 0;
    let tick = 0;
    for (let i = 0; i < 60; i++) {
      if (i % 17 === 16) {
        h.clear();
        model.fill(null);
        continue;
      }
      tick++;
      if (i % 3 === 0) h.claim(tick);
      else {
        const t = new ViewTable();
        t.tick = tick;
        h.swapIn(t);
      }
      model[next] = tick;
      expect(h.slotOf(tick)).toBe(next);
      next = (next + 1) % 3;
      expect(h.nextSlot).toBe(next);
      for (let k = Math.max(1, tick - 5); k <= tick; k++) expect(h.find(k)?.tick ?? null, `tick ${k} after step ${i}`).toBe(model.includes(k) ? k : null);
    }
  });

  it('allocates nothing once warm: claim/find/swapIn on the same tables forever', () => {
    const h = new ViewHistory(8);
    const seen = new Set(h.tables);
    for (let t = 1; t < 1000; t++) {
      const c = h.claim(t);
      expect(seen.has(c)).toBe(true);
      expect(h.find(t)).toBe(c);
    }
  });
});

/** A copy of a baseline's rows (through its references into the player's entity rows) as a table of its own. */
function tableOfBaseline(p: PlayerState, b: Baseline): ViewTable {
  const { history: h, rows } = p;
  const t = new ViewTable(b.count);
  for (let i = 0; i < b.count; i++) {
    expect(rows.live(h.slab.refs[b.row + i])).toBe(true);
    rows.codec.copyRow(t, i, rows.table, h.slab.refs[b.row + i] & rows.mask);
    t.ids[i] = h.slab.ids[b.row + i];
  }
  t.count = b.count;
  t.tick = b.tick;
  return t;
}

/** Makes `src`'s rows view `t` of p's history: each a new row of p's entity rows, as replication refers to them. */
function putRows(p: PlayerState, t: Baseline, src: ViewTable): void {
  const { history: h, rows } = p;
  for (let r = 0; r < src.count; r++) {
    const ref = rows.append(src.ids[r]);
    if (r === 0) t.oldest = ref;
    rows.codec.copyRow(rows.table, ref & rows.mask, src, r);
    h.slab.ids[t.row + r] = src.ids[r];
    h.slab.refs[t.row + r] = ref;
  }
  t.count = src.count;
}

/** Writes a player's baselines as a handoff does and reads them into a fresh player (of another cell: its own rows). */
function roundTrip(p: PlayerState): PlayerState {
  const size = baselinesBytes(p.history, p.rows, p.ackTick);
  const buf = new Uint8Array(size);
  const w = new Writer().reset(buf);
  writeBaselines(w, p.history, p.rows, p.ackTick);
  expect(w.length).toBe(size);
  const q = new PlayerState(p.conn, p.characterId, p.handle);
  const r = new Reader().reset(buf);
  readBaselines(r, q.history, q.rows);
  expect(r.remaining).toBe(0);
  return q;
}

describe('player handoff carries every replicated field of the baselines', () => {
  it('baselines the client may still acknowledge survive writeBaselines/readBaselines', () => {
    fc.assert(
      fc.property(fc.array(rowsArb(40), { minLength: 1, maxLength: 16 }), fc.integer({ min: 0, max: 20 }), (states, ackOffset) => {
        const p = new PlayerState(9, 33, 0x12345);
        states.forEach((rows, i) => {
          const src = tableOf(rows, 100 + i);
          putRows(p, p.history.claim(100 + i, 0, src.count), src);
        });
        p.ackTick = 100 + Math.min(ackOffset, states.length - 1);
        // What the old owner still holds (its history may already have wrapped).
        const held = new Set(states.map((_, i) => 100 + i).filter((t) => p.history.find(t) !== null));
        const q = roundTrip(p);
        states.forEach((rows, i) => {
          const tick = 100 + i;
          const got = q.history.find(tick);
          if (tick < p.ackTick || !held.has(tick)) {
            if (tick < p.ackTick) expect(got).toBeNull(); // older than the ack: never sent
            return;
          }
          expect(got).not.toBeNull();
          expect(rowsOf(tableOfBaseline(q, got!))).toEqual(rowsOf(tableOf(rows)));
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('baseline history after a handoff', () => {
  it('the new owner evicts the oldest baseline first, as the old owner would have', () => {
    const p = new PlayerState(1, 1, 1);
    const size = p.history.max;
    const last = size + 4;
    for (let tick = 1; tick <= last; tick++) p.history.claim(tick); // wrapped: ticks 5..last
    p.ackTick = 5;
    const q = roundTrip(p);
    q.history.claim(last + 1);
    expect(q.history.find(5)).toBeNull(); // the oldest goes
    for (let tick = 6; tick <= last; tick++) expect(q.history.find(tick)).not.toBeNull();
  });
});

describe('a handoff carries the baselines within a budget', () => {
  /** A player whose history holds `n` tables of `rows` rows each, ticks 1..n, acknowledged at `ack`. */
  function lagging(n: number, rows: number, ack: number): PlayerState {
    const p = new PlayerState(1, 1, 1, undefined, 64);
    const src = new ViewTable(rows);
    for (let i = 0; i < rows; i++) src.ids[i] = i + 1;
    src.count = rows;
    for (let tick = 1; tick <= n; tick++) putRows(p, p.history.claim(tick, 0, rows), src);
    p.ackTick = ack;
    return p;
  }

  it('the acknowledged baseline and the newest after it, as many as fit, never past the budget', () => {
    // 60 tables of 256 rows: several times what a cell-to-cell message may hold.
    const p = lagging(60, 256, 3);
    const all = baselinesBytes(p.history, p.rows, p.ackTick, Number.MAX_SAFE_INTEGER);
    expect(all).toBeGreaterThan(HANDOFF_BASELINES_BUDGET * 2);
    const size = baselinesBytes(p.history, p.rows, p.ackTick);
    expect(size).toBeLessThanOrEqual(HANDOFF_BASELINES_BUDGET);
    const buf = new Uint8Array(size);
    const w = new Writer().reset(buf);
    writeBaselines(w, p.history, p.rows, p.ackTick);
    expect(w.length).toBe(size);
    const q = new PlayerState(1, 1, 1, undefined, 64);
    readBaselines(new Reader().reset(buf), q.history, q.rows);
    const carried = q.history.tables.filter((t) => t.tick !== 0).map((t) => t.tick).sort((a, b) => a - b);
    expect(carried[0]).toBe(3); // the acknowledged one: the first frame after the handoff is still a delta
    expect(carried.at(-1)).toBe(60);
    // Contiguous from the newest back: the ones the client acknowledges next.
    expect(carried.slice(1)).toEqual(Array.from({ length: carried.length - 1 }, (_, i) => 60 - (carried.length - 2) + i));
    expect(carried.length).toBeGreaterThan(2);
  });

  it('a small history goes whole, as before', () => {
    const p = lagging(20, 30, 5);
    expect(baselinesBytes(p.history, p.rows, p.ackTick)).toBe(baselinesBytes(p.history, p.rows, p.ackTick, Number.MAX_SAFE_INTEGER));
  });
});
