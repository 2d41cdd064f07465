import { describe, expect, it } from 'vitest';
import { resultsMarkdown, withResults, type BenchResult } from '../../src/bots/results-markdown.ts';
import { DEFAULT_BUDGETS, type BenchStep } from '../../src/bots/bench-step.ts';

const step = (players: number, held: boolean): BenchStep =>
  ({
    players,
    held,
    missed: held ? [] : ['RTT p99 150 ms > 100 ms'],
    tickP50Ms: 1.234,
    tickP99Ms: 9.87,
    rttPingP50Ms: 1.5,
    rttPingP99Ms: held ? 20 : 150,
    rttInputP50Ms: 30,
    rttInputP99Ms: 70,
    snapshotsPerSecondPerBot: 20,
    entitiesInView: 31.2,
    bytesInPerSecondPerBot: 3072,
    bytesOutPerSecondPerBot: 200,
    serverCpuCores: 0.8,
    serverBytesPerPlayer: 20480,
    serverHeapBytesPerPlayer: 10240,
    botCpuCores: 0.7,
  }) as BenchStep;

describe('resultsMarkdown', () => {
  const r: BenchResult = {
    maxPlayersHeld: 2000,
    date: '2026-11-22T01:05:00.000Z',
    machine: { cpu: 'CPU', cores: 2, memoryGiB: 24, node: 'v24', ws: '8.23.0' },
    stopReason: 'step 4000 missed: RTT p99 150 ms > 100 ms',
    budgets: DEFAULT_BUDGETS,
    setup: {},
    durationSeconds: 300,
    steps: [step(2000, true), step(4000, false)],
  };

  it('tabulates every step and links the files', () => {
    const md = resultsMarkdown(r, 'load-x.json', 'load-x.svg');
    expect(md).toContain('**Largest count held: 2000 players.**');
    expect(md).toContain('| 2000 | yes | 1.23 / 9.9 | 1.5 / 20 | 30 / 70 | 20 | 31.2 | 3 / 0.2 | 0.8 | 20 / 10 | 0.7 |');
    expect(md).toContain('| 4000 | **no**: RTT p99 150 ms > 100 ms |');
    expect(md).toContain('![load plot](../bench/results/load-x.svg)');
  });

  it('replaces only what follows the marker', () => {
    const doc = 'head\n<!-- results -->\n\nold table\n';
    expect(withResults(doc, 'new\n')).toBe('head\n<!-- results -->\n\nnew\n');
    expect(withResults('no marker', 'new\n')).toBe('no marker\n\n<!-- results -->\n\nnew\n');
  });
});
