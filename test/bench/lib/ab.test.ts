import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AB_FIGURES, abMarkdown, abOrder, parseAbArgs, summariseAb, type AbRun, type AbStep } from '../../../bench/lib/ab.ts';

const OUT = '/tmp/ab-out';
const parse = (...argv: string[]) => parseAbArgs(argv, OUT);

describe('parseAbArgs', () => {
  it('takes the base, the pairs and the folder, and passes what follows -- to the load bench', () => {
    expect(parse('--base', 'HEAD~1', '--pairs', '4', '--out', '/tmp/x', '--', '--steps', '2000', '--steady', '20')).toEqual({
      base: 'HEAD~1',
      pairs: 4,
      out: '/tmp/x',
      loadArgv: ['--steps', '2000', '--steady', '20'],
    });
  });

  it('defaults to three pairs of the 1,500 step into its own folder', () => {
    expect(parse('--base', '512799e')).toEqual({ base: '512799e', pairs: 3, out: OUT, loadArgv: ['--steps', '1500'] });
    expect(parse('--base', 'main', '--', '--steady', '20').loadArgv).toEqual(['--steps', '1500', '--steady', '20']);
  });

  it('takes a relative --out as the caller’s folder (each side runs in its own tree)', () => {
    expect(parse('--base', 'HEAD', '--out', 'bench/results/ab-x').out).toBe(resolve(process.cwd(), 'bench/results/ab-x'));
  });

  it('refuses a missing or odd base, pairs out of 1..20, unknown options, and the options it sets itself', () => {
    expect(() => parse()).toThrow(/--base is required/);
    expect(() => parse('--base')).toThrow(/--base needs a value/);
    for (const bad of ['-x', '../../etc', 'a b', `x${'y'.repeat(100)}`]) expect(() => parse('--base', bad)).toThrow(/--base must name a commit/);
    for (const bad of ['0', '21', '1.5', 'two']) expect(() => parse('--base', 'HEAD', '--pairs', bad)).toThrow(/--pairs must be an integer from 1 to 20/);
    expect(() => parse('--base', 'HEAD', '--steps', '1500')).toThrow(/unknown option "--steps" \(the load bench's options go after --\)/);
    for (const owned of ['--out', '--repeat', '--retries']) expect(() => parse('--base', 'HEAD', '--', owned, '2')).toThrow(new RegExp(`${owned}: set by bench:ab`));
  });
});

describe('abOrder', () => {
  it('alternates base-head and head-base, so that a drift weighs on both sides', () => {
    expect(abOrder(1)).toEqual(['base', 'head']);
    expect(abOrder(3)).toEqual(['base', 'head', 'head', 'base', 'base', 'head']);
    const four = abOrder(4);
    expect(four.filter((s) => s === 'base')).toHaveLength(4);
    // Each side's mean position in the order is the same: neither runs later on average.
    const meanAt = (side: string) => four.reduce((n, s, i) => n + (s === side ? i : 0), 0) / 4;
    expect(meanAt('base')).toBe(meanAt('head'));
  });
});

function step(players: number, o: Partial<AbStep> = {}): AbStep {
  return {
    players,
    held: true,
    representative: true,
    tickP99Ms: 30,
    rttPingP99Ms: 90,
    snapshotsPerSecondPerBot: 19,
    serverCpuCores: 0.9,
    botCpuCores: 1,
    botCpuMicrosPerFrame: 20,
    serverBytesPerPlayerVsIdle: 60 * 1024,
    cpu: { coordinator: { userCores: 0.4, kernelCores: 0.25 } },
    ...o,
  };
}

describe('summariseAb', () => {
  it('gives each side\'s runs, held and quiet counts and medians per step, and head over base', () => {
    const runs: AbRun[] = [
      { side: 'base', steps: [step(1000), step(1500, { held: false, rttPingP99Ms: 140, serverCpuCores: 1.0 })] },
      { side: 'head', steps: [step(1000), step(1500, { rttPingP99Ms: 95, serverCpuCores: 0.8, representative: false })] },
      { side: 'head', steps: [step(1000), step(1500, { held: false, rttPingP99Ms: 120, serverCpuCores: 0.9 })] },
      { side: 'base', steps: [step(1000), step(1500, { rttPingP99Ms: 100, serverCpuCores: 1.0, cpu: null })] },
    ];
    const [a, b] = summariseAb(runs);
    expect(a.players).toBe(1000);
    expect(a.ratio.pingP99).toBe(1);
    expect(b.players).toBe(1500);
    expect(b.base).toMatchObject({ measured: 2, held: 1, quiet: 2 });
    expect(b.head).toMatchObject({ measured: 2, held: 1, quiet: 1 });
    expect(b.base.figures.pingP99).toEqual({ values: [140, 100], median: 100 });
    expect(b.head.figures.pingP99).toEqual({ values: [95, 120], median: 95 });
    expect(b.ratio.pingP99).toBeCloseTo(0.95);
    expect(b.ratio.serverCpu).toBeCloseTo(0.8);
    // A run without CPU by thread has no figure for it; the median is over the runs that have one.
    expect(b.base.figures.gateCpu).toEqual({ values: [0.65, null], median: 0.65 });
  });

  it('has no ratio where a side has no figure or base\'s is 0, and counts a step one side never reached', () => {
    const runs: AbRun[] = [
      { side: 'base', steps: [step(1000, { botCpuMicrosPerFrame: null, tickP99Ms: 0 })] },
      { side: 'head', steps: [step(1000), step(1500)] },
    ];
    const [a, b] = summariseAb(runs);
    expect(a.ratio.botMicros).toBeNull();
    expect(a.ratio.tickP99).toBeNull();
    expect(b.base).toMatchObject({ measured: 0, held: 0 });
    expect(b.base.figures.pingP99.median).toBeNull();
    expect(b.ratio.pingP99).toBeNull();
  });

  it('reads the steps of a real results file', () => {
    const file = new URL('../../../bench/results/load-2026-12-04T04-50-ab-after-1.json', import.meta.url);
    const steps = (JSON.parse(readFileSync(file, 'utf8')) as { steps: AbStep[] }).steps;
    const [row] = summariseAb([{ side: 'base', steps }, { side: 'head', steps }]);
    expect(row.players).toBe(1500);
    for (const f of AB_FIGURES) {
      expect(row.base.figures[f.key].median, f.key).not.toBeNull();
      expect(row.ratio[f.key], f.key).toBe(1);
    }
  });
});

describe('abMarkdown', () => {
  it('prints, per step, both sides\' runs with their medians and the ratio', () => {
    const md = abMarkdown(summariseAb([
      { side: 'base', steps: [step(1500, { rttPingP99Ms: 140 })] },
      { side: 'head', steps: [step(1500, { rttPingP99Ms: 105, held: false })] },
    ]), 'e23b286', 'a180e9f', 1);
    expect(md).toContain('base `e23b286`, head `a180e9f`');
    expect(md).toContain('**1500 players.** Held: base 1 of 1, head 0 of 1');
    expect(md).toContain('| ping RTT p99 (ms) | 140 (140) | 105 (105) | 0.750 |');
    expect(md).toContain('| server KB per player over idle | 60 (60) | 60 (60) | 1.000 |');
  });
});
