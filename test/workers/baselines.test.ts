import { describe, expect, it } from 'vitest';
import { BaselineHistory } from '../../src/workers/baselines.ts';

describe('BaselineHistory', () => {
  it('a prompt client holds only the views still in flight', () => {
    const h = new BaselineHistory(32);
    // Acks come back three frames later: views older than the ack are reused.
    for (let tick = 1; tick <= 500; tick++) h.claim(tick, Math.max(0, tick - 3));
    expect(h.tables.length).toBeLessThanOrEqual(4);
    expect(h.find(497)).not.toBeNull();
    expect(h.find(500)).not.toBeNull();
  });

  it('a lagging client grows its history up to max, keeping the acknowledged view, then evicts the oldest', () => {
    const h = new BaselineHistory(32);
    for (let tick = 1; tick <= 17; tick++) h.claim(tick, 1); // acknowledged tick 1, then silence
    // The table grows four views at a time: room for 20, not the 32 of doubling.
    expect(h.slab.capacity).toBe(20 * h.stride);
    for (let tick = 18; tick <= 20; tick++) h.claim(tick, 1);
    expect(h.tables.length).toBe(20);
    expect(h.find(1)).not.toBeNull();
    for (let tick = 21; tick <= 40; tick++) h.claim(tick, 1);
    expect(h.tables.length).toBe(32);
    // Past max the oldest goes, the acknowledged one first among them.
    expect(h.find(1)).toBeNull();
    expect(h.find(8)).toBeNull();
    expect(h.find(9)).not.toBeNull();
    // The client catches up: everything older than its ack is free again, and after eight reviews
    // in a row (32 claims apart) that find it holding four times the views in use, the history shrinks back.
    const lagged = h.slab.capacity;
    for (let tick = 41; tick <= 41 + 7 * 32; tick++) h.claim(tick, tick - 2);
    expect(h.slab.capacity).toBe(lagged);
    for (let tick = 42 + 7 * 32; tick <= 400; tick++) h.claim(tick, tick - 2);
    expect(h.tables.length).toBeLessThanOrEqual(6);
    expect(h.slab.capacity).toBeLessThan(lagged / 4);
    expect(h.find(399)).not.toBeNull();
    expect(h.find(400)).not.toBeNull();
  });

  it('walks its views by tick, either way, whatever their order in the table list', () => {
    const h = new BaselineHistory(8);
    for (const tick of [5, 6, 7, 8]) h.claim(tick);
    h.claim(9, 7); // reuses 5 or 6
    const up: number[] = [];
    for (let t = h.after(0); t; t = h.after(t.tick)) up.push(t.tick);
    const down: number[] = [];
    for (let t = h.before(Infinity); t; t = h.before(t.tick)) down.push(t.tick);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(down).toEqual([...up].reverse());
    expect(up).toContain(9);
    expect(up).toContain(7);
    expect(() => new BaselineHistory(0)).toThrow(/at least one view/);
  });

  it("keeps every view's rows its own in the shared table while it grows in views and in rows per view", () => {
    const h = new BaselineHistory(32, 4);
    /** Writes view `t`'s rows: ids tick*1000 + i, hp tick + i. */
    const put = (tick: number, rows: number) => {
      const t = h.claim(tick, 0);
      h.ensure(rows);
      for (let i = 0; i < rows; i++) {
        h.slab.ids[t.row + i] = tick * 1000 + i;
        h.slab.hp[t.row + i] = tick + i;
      }
      t.count = rows;
    };
    const check = () => {
      const seen = new Set<number>();
      for (const t of h.tables) {
        if (t.tick === 0) continue;
        for (let i = 0; i < t.count; i++) {
          expect(h.slab.ids[t.row + i]).toBe(t.tick * 1000 + i);
          expect(h.slab.hp[t.row + i]).toBe(t.tick + i);
          expect(seen.has(t.row + i)).toBe(false); // no two views share a row
          seen.add(t.row + i);
        }
      }
    };
    for (let tick = 1; tick <= 6; tick++) put(tick, 3); // past the first 4 views: the table grows
    check();
    expect(h.stride).toBe(4);
    put(7, 9); // denser than the stride: every view moves
    expect(h.stride).toBeGreaterThanOrEqual(9);
    check();
    for (let tick = 8; tick <= 40; tick++) put(tick, (tick * 7) % 13); // past max: the oldest are reused
    expect(h.tables.length).toBe(32);
    check();
    expect(() => new BaselineHistory(4, 0)).toThrow(/at least one row/);
  });

  it('allocates no table per view: one shared table, grown only by lag or density', () => {
    const h = new BaselineHistory(32);
    const slab = h.slab;
    // A prompt client, acks three frames behind, for a long time: the same table throughout.
    for (let tick = 1; tick <= 1000; tick++) {
      h.claim(tick, Math.max(0, tick - 3));
      h.ensure(30);
    }
    expect(h.slab).toBe(slab);
  });

  it('keeps its table while its client\'s acks jitter between 2 and 8 frames behind, with spikes past that', () => {
    const h = new BaselineHistory(32);
    // A fixed pseudo-random lag per frame (a linear congruential sequence), a spike to 14 every 150 frames.
    let seed = 12345;
    const lagAt = (tick: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return tick % 150 < 3 ? 14 : 2 + (seed % 7);
    };
    let replaced = 0;
    let slab = h.slab;
    for (let tick = 1; tick <= 5000; tick++) {
      h.claim(tick, Math.max(0, tick - lagAt(tick)));
      if (h.slab !== slab) {
        if (tick > 1000) replaced++;
        slab = h.slab;
      }
    }
    // One shrink a review used to make it give views back and take them again: 89 new tables here.
    expect(replaced).toBe(0);
    // Room for the spikes' views, not for max.
    expect(h.tables.length).toBeGreaterThanOrEqual(9);
    expect(h.tables.length).toBeLessThanOrEqual(16);
  });

  it('gives back the room of a crowd that has passed, keeping the views still in flight', () => {
    const h = new BaselineHistory(32, 32);
    const put = (tick: number, rows: number) => {
      const t = h.claim(tick, Math.max(0, tick - 2));
      h.ensure(rows);
      for (let i = 0; i < rows; i++) h.slab.ids[t.row + i] = tick * 1000 + i;
      t.count = rows;
    };
    for (let tick = 1; tick <= 10; tick++) put(tick, 200);
    expect(h.stride).toBe(256);
    for (let tick = 11; tick <= 80; tick++) put(tick, 20);
    expect(h.stride).toBe(64); // room for twice the largest view
    for (let tick = 78; tick <= 80; tick++) {
      const t = h.find(tick)!;
      expect(t.count).toBe(20);
      for (let i = 0; i < 20; i++) expect(h.slab.ids[t.row + i]).toBe(tick * 1000 + i);
    }
    // Views whose size wanders (20 to 40 rows) do not move the history back and forth.
    for (let tick = 81; tick <= 400; tick++) put(tick, tick % 3 === 0 ? 40 : 20);
    const slab = h.slab;
    for (let tick = 401; tick <= 600; tick++) put(tick, tick % 3 === 0 ? 40 : 20);
    expect(h.slab).toBe(slab);
  });
});
