import { describe, expect, it } from 'vitest';
import { addEncoded, createLatencyHistogram, encodeHistogram, recordMs, summarise } from '../../src/bots/latency.ts';

describe('latency histograms', () => {
  it('gives percentiles in ms to three significant digits', () => {
    const h = createLatencyHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(h, i / 10); // 0.1 .. 100 ms
    const s = summarise(h);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBeCloseTo(100, 0);
  });

  it('merges encoded histograms from several workers as counts, not averages', () => {
    const a = createLatencyHistogram();
    const b = createLatencyHistogram();
    for (let i = 0; i < 990; i++) recordMs(a, 1);
    for (let i = 0; i < 10; i++) recordMs(b, 500);
    const all = createLatencyHistogram();
    addEncoded(all, encodeHistogram(a));
    addEncoded(all, encodeHistogram(b));
    addEncoded(all, encodeHistogram(createLatencyHistogram())); // empty: ''
    const s = summarise(all);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(1, 1);
    expect(s.p99).toBeCloseTo(1, 1);
    expect(s.max).toBeCloseTo(500, -1);
  });

  it('clamps nonsense into range instead of throwing', () => {
    const h = createLatencyHistogram();
    recordMs(h, -5);
    recordMs(h, Number.NaN);
    recordMs(h, 1e9);
    expect(h.totalCount).toBe(3);
    expect(summarise(createLatencyHistogram()).p99).toBeNull();
  });
});
