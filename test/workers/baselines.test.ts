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
    for (let tick = 1; tick <= 20; tick++) h.claim(tick, 1); // acknowledged tick 1, then silence
    expect(h.tables.length).toBe(20);
    expect(h.find(1)).not.toBeNull();
    for (let tick = 21; tick <= 40; tick++) h.claim(tick, 1);
    expect(h.tables.length).toBe(32);
    // Past max the oldest goes, the acknowledged one first among them.
    expect(h.find(1)).toBeNull();
    expect(h.find(8)).toBeNull();
    expect(h.find(9)).not.toBeNull();
    // The client catches up: everything older than its ack is free again, and no more views are made.
    for (let tick = 41; tick <= 200; tick++) h.claim(tick, tick - 2);
    expect(h.tables.length).toBe(32);
    expect(h.find(199)).not.toBeNull();
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
});
