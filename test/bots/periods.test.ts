import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, recordMs, summarise } from '../../src/bots/latency.ts';
import { compareToBaseline, type PeriodFigures } from '../../src/bots/periods.ts';
import { spread } from '../../src/bots/report.ts';

function period(rate: number, pingMs: number, extra: Partial<PeriodFigures> = {}): PeriodFigures {
  const h = createLatencyHistogram();
  for (let i = 0; i < 100; i++) recordMs(h, pingMs);
  return { seconds: 5, snapshotsPerSecond: spread([rate, rate, rate]), pingMs: summarise(h), inputMs: summarise(h), gapMs: summarise(h), disconnects: {}, errors: {}, server: null, ...extra };
}

describe('compareToBaseline', () => {
  it('lets noise pass', () => {
    expect(compareToBaseline(period(20, 2), period(19.5, 5))).toEqual([]);
  });

  it('names what moved: the snapshot rate, round trips, lost bots, errors', () => {
    const drift = compareToBaseline(period(20, 2), period(15, 400, { disconnects: { close_4004: 2 }, errors: { bad_snapshot_4: 1 } }));
    expect(drift.join('\n')).toMatch(/median snapshots per bot per second fell from 20 to 15/);
    expect(drift.join('\n')).toMatch(/ping round trip p50 grew from 2 ms to 400/);
    expect(drift.join('\n')).toMatch(/2 bot\(s\) lost their connection/);
    expect(drift.join('\n')).toMatch(/bots counted 1 error/);
  });
});
