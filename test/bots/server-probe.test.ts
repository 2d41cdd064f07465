import { describe, expect, it } from 'vitest';
import { Scrape } from '../../src/bots/prom-parse.ts';
import { parseProc, serverFigures, type ServerSample } from '../../src/bots/server-probe.ts';

function tickText(cell0: number[], cell1: number[], overruns: number, cpu: number, phase = 'total'): string {
  const les = ['0.01', '0.035', '0.05', '0.1', '+Inf'];
  const lines: string[] = [];
  for (const [cell, counts] of [
    ['0', cell0],
    ['1', cell1],
  ] as const) {
    les.forEach((le, i) => lines.push(`tessera_tick_duration_seconds_bucket{zone="meadow",cell="${cell}",phase="${phase}",le="${le}"} ${counts[i]}`));
    // A phase the report must not pick while "total" exists.
    les.forEach((le) => lines.push(`tessera_tick_duration_seconds_bucket{zone="meadow",cell="${cell}",phase="simulate",le="${le}"} 0`));
    lines.push(`tessera_tick_overruns_total{zone="meadow",cell="${cell}"} ${overruns}`);
  }
  lines.push(`process_cpu_seconds_total ${cpu}`, 'process_resident_memory_bytes 104857600', 'nodejs_heap_size_used_bytes 1000', 'nodejs_external_memory_bytes 24');
  lines.push(`tessera_aoi_entities_sum{zone="meadow",cell="0"} ${cpu * 300}`, `tessera_aoi_entities_count{zone="meadow",cell="0"} ${cpu * 10}`);
  lines.push('tessera_event_loop_delay_seconds{quantile="0.99"} 0.0123', `tessera_gate_backpressure_skips_total ${overruns * 2}`);
  // The delay's running sum and count (0.002 s a sample over the period) and the window's longest.
  lines.push(`tessera_event_loop_delay_seconds_sum ${cpu * 0.02}`, `tessera_event_loop_delay_seconds_count ${cpu * 10}`, 'tessera_event_loop_delay_max_seconds 0.0456');
  lines.push(`tessera_gate_bytes_total{direction="out",type="snapshot"} ${cpu * 1000}`, `tessera_gate_bytes_total{direction="in",type="input"} 5`);
  return lines.join('\n');
}

function sample(text: string, at: number): ServerSample {
  const scrape = Scrape.parse(text, at);
  return { at, source: 'metrics', scrape, cpuSeconds: scrape.sum('process_cpu_seconds_total'), rssBytes: scrape.sum('process_resident_memory_bytes'), note: '' };
}

describe('serverFigures', () => {
  it('reads tick percentiles of the period between two scrapes, worst cell first', () => {
    const a = sample(tickText([100, 100, 100, 100, 100], [100, 100, 100, 100, 100], 1, 10), 0);
    // Over the period: cell 0 did 200 ticks all under 10 ms; cell 1 did 200 with 10 over 50 ms.
    const b = sample(tickText([300, 300, 300, 300, 300], [250, 280, 290, 300, 300], 3, 25), 10_000);
    const f = serverFigures(a, b);
    expect(f.source).toBe('metrics');
    expect(f.seconds).toBe(10);
    expect(f.cpuCores).toBeCloseTo(1.5);
    expect(f.rssBytes).toBe(104857600);
    expect(f.heapAndExternalBytes).toBe(1024);
    const t = f.tick!;
    expect(t.phase).toBe('total');
    expect(t.ticks).toBe(400);
    expect(t.overruns).toBe(4);
    expect(t.cells.map((c) => c.ticks)).toEqual([200, 200]);
    expect(t.worstCellWithinBudget).toBeCloseTo(190 / 200);
    // Cell 1's rank 198 of 200 is in (0.05, 0.1]: 8 of its 10 observations.
    expect(t.worstCellP99Ms).toBeCloseTo(50 + 50 * 0.8, 1);
    expect(t.p99Ms!).toBeLessThan(t.worstCellP99Ms!);
    // (25·300 − 10·300) / (25·10 − 10·10) = 30 entities in view; gate out (25000 − 10000) B / 10 s.
    expect(f.gate).toMatchObject({ aoiMean: 30, loopDelayP99Ms: 12.3, loopDelayMeanMs: 2, loopDelayMaxMs: 45.6, backpressureSkips: 4, bytesOutPerSecond: 1500 });
  });

  it('falls back to the slowest phase when there is no whole-tick series', () => {
    const a = sample(tickText([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], 0, 0, 'replicate'), 0);
    const b = sample(tickText([10, 10, 10, 10, 10], [0, 10, 10, 10, 10], 0, 1, 'replicate'), 1000);
    const t = serverFigures(a, b).tick!;
    expect(t.phase).toBe('replicate');
    expect(t.ticks).toBe(20);
  });

  it('has no tick figures from /proc', () => {
    const a: ServerSample = { at: 0, source: 'proc', scrape: null, cpuSeconds: 1, rssBytes: 1000, note: 'x' };
    const b: ServerSample = { ...a, at: 2000, cpuSeconds: 2 };
    const f = serverFigures(a, b);
    expect(f.tick).toBeNull();
    expect(f.cpuCores).toBeCloseTo(0.5);
  });
});

describe('parseProc', () => {
  it('counts stat fields from the last parenthesis', () => {
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 50 0 0 20 0 11 0 100 0 0';
    const status = 'Name:\tnode\nVmPeak:\t 300000 kB\nVmRSS:\t  204800 kB\nThreads:\t11\n';
    expect(parseProc(stat, status, 100)).toEqual({ cpuSeconds: 3, rssBytes: 204800 * 1024 });
    expect(parseProc('garbage', status)).toBeNull();
    expect(parseProc(stat, 'no rss here')).toBeNull();
  });
});
