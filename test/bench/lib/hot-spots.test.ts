import { describe, expect, it } from 'vitest';
import { Scrape } from '../../../src/bots/prom-parse.ts';
import { hotSpotsLine, windowHotSpots } from '../../../bench/lib/hot-spots.ts';

const LE = ['0.001', '0.01', '0.05', '+Inf'];

/** A cell histogram's lines from its counts per bucket (not cumulative) and its sum. */
function histogram(name: string, labels: string, perBucket: number[], sum: number): string[] {
  let c = 0;
  const lines = LE.map((le, i) => `${name}_bucket{${labels},le="${le}"} ${(c += perBucket[i])}`);
  return [...lines, `${name}_sum{${labels}} ${sum}`, `${name}_count{${labels}} ${c}`];
}

const tick = (cell: string, perBucket: number[], sum: number) => histogram('tessera_tick_duration_seconds', `zone="field",cell="${cell}",phase="total"`, perBucket, sum);
const system = (cell: string, name: string, perBucket: number[], sum: number) =>
  histogram('tessera_system_duration_seconds', `zone="field",cell="${cell}",system="${name}"`, perBucket, sum);

describe('windowHotSpots', () => {
  const before = Scrape.parse(
    [...tick('0', [100, 0, 0, 0], 0.05), ...tick('1', [100, 0, 0, 0], 0.05), ...system('0', 'movement', [100, 0, 0, 0], 0.02), ...system('1', 'npc-ai', [100, 0, 0, 0], 0.01)].join('\n'),
  );
  // In the window cell 1 ticked 100 times, 10 of them above 10 ms (0.9 s in all); its npc-ai took 0.6 s of it. Cell 0 stayed fast.
  const after = Scrape.parse(
    [
      ...tick('0', [200, 0, 0, 0], 0.1),
      ...tick('1', [100, 90, 10, 0], 0.95),
      ...system('0', 'movement', [200, 0, 0, 0], 0.04),
      ...system('1', 'npc-ai', [100, 95, 5, 0], 0.61),
      ...system('1', 'replicate', [100, 100, 0, 0], 0.2),
    ].join('\n'),
  );

  it('names the slowest cell and the systems that took the most time in the window', () => {
    const h = windowHotSpots(before, after);
    expect(h.cells.map((c) => c.cell)).toEqual(['1', '0']);
    expect(h.cells[0].ticks).toBe(100);
    expect(h.cells[0].meanMs).toBe(9);
    expect(h.cells[0].p99Ms).toBeGreaterThan(10);
    expect(h.cells[0].p99Ms).toBeLessThanOrEqual(50);
    expect(h.systems.map((s) => `${s.system}@${s.cell}`)).toEqual(['npc-ai@1', 'replicate@1', 'movement@0']);
    expect(h.systems[0].runs).toBe(100);
    expect(h.systems[0].meanMs).toBe(6);
    expect(h.systems[0].shareOfCell).toBeCloseTo(0.6 / 0.9, 2);
    // A series new in the window (replicate) counts from zero.
    expect(h.systems[1].runs).toBe(200);
    expect(hotSpotsLine(h)).toMatch(/^hot spots: slowest cell field\/1 tick p99 .* \| npc-ai@field\/1 6 ms mean/);
  });

  it('keeps at most `limit` of each and skips cells that did not tick', () => {
    const h = windowHotSpots(after, after, 5);
    expect(h).toEqual({ cells: [], systems: [] });
    expect(windowHotSpots(before, after, 1).systems).toHaveLength(1);
  });

  it('is empty for a server without cell histograms, or no scrape', () => {
    expect(windowHotSpots(null, Scrape.parse('other 1\n'))).toEqual({ cells: [], systems: [] });
    expect(windowHotSpots(null, null)).toEqual({ cells: [], systems: [] });
    expect(hotSpotsLine({ cells: [], systems: [] })).toBe('hot spots: none exported');
  });
});
