import { describe, expect, it } from 'vitest';
import { bucketsDelta, bucketsFractionBelow, bucketsQuantile, bucketsTotal, parsePrometheus, Scrape } from '../../src/bots/prom-parse.ts';

const TEXT = `# HELP tessera_tick_duration_seconds Time a cell spent in each tick phase.
# TYPE tessera_tick_duration_seconds histogram
tessera_tick_duration_seconds_bucket{zone="meadow",cell="0",phase="total",le="0.01"} 50
tessera_tick_duration_seconds_bucket{zone="meadow",cell="0",phase="total",le="0.02"} 90
tessera_tick_duration_seconds_bucket{zone="meadow",cell="0",phase="total",le="0.05"} 100
tessera_tick_duration_seconds_bucket{zone="meadow",cell="0",phase="total",le="+Inf"} 100
tessera_tick_duration_seconds_sum{zone="meadow",cell="0",phase="total"} 1.2
tessera_tick_duration_seconds_count{zone="meadow",cell="0",phase="total"} 100
tessera_tick_duration_seconds_bucket{zone="meadow",cell="1",phase="total",le="0.01"} 100
tessera_tick_duration_seconds_bucket{zone="meadow",cell="1",phase="total",le="0.02"} 100
tessera_tick_duration_seconds_bucket{zone="meadow",cell="1",phase="total",le="0.05"} 100
tessera_tick_duration_seconds_bucket{zone="meadow",cell="1",phase="total",le="+Inf"} 100
process_cpu_seconds_total 12.5
weird_label{msg="a \\"quoted\\", comma\\\\ and\\nnewline",x="}"} 3 1700000000000
not a sample line
nan_metric NaN
`;

describe('parsePrometheus', () => {
  it('reads names, labels (with escapes), values and skips junk', () => {
    const { samples, skipped } = parsePrometheus(TEXT);
    expect(skipped).toBe(1);
    const weird = samples.find((s) => s.name === 'weird_label')!;
    expect(weird.labels).toEqual({ msg: 'a "quoted", comma\\ and\nnewline', x: '}' });
    expect(weird.value).toBe(3);
    expect(samples.find((s) => s.name === 'process_cpu_seconds_total')!.value).toBe(12.5);
    expect(Number.isNaN(samples.find((s) => s.name === 'nan_metric')!.value)).toBe(true);
    const inf = samples.find((s) => s.labels.le === '+Inf');
    expect(inf).toBeDefined();
  });

  it('sums series and lists label values', () => {
    const s = Scrape.parse(TEXT);
    expect(s.sum('process_cpu_seconds_total')).toBe(12.5);
    expect(s.sum('missing')).toBeNull();
    expect(s.labelValues('tessera_tick_duration_seconds_bucket', 'cell')).toEqual(['0', '1']);
    const h = s.histogram('tessera_tick_duration_seconds', { cell: '0' })!;
    expect(h.le).toEqual([0.01, 0.02, 0.05, Infinity]);
    expect(h.cumulative).toEqual([50, 90, 100, 100]);
    // Summed over cells when no cell label is given.
    expect(s.histogram('tessera_tick_duration_seconds')!.cumulative).toEqual([150, 190, 200, 200]);
  });
});

describe('histogram arithmetic', () => {
  const h = { le: [0.01, 0.02, 0.05, Infinity], cumulative: [50, 90, 100, 100] };

  it('interpolates quantiles like histogram_quantile()', () => {
    expect(bucketsQuantile(h, 0.5)).toBeCloseTo(0.01);
    expect(bucketsQuantile(h, 0.25)).toBeCloseTo(0.005);
    // rank 99 of 100 lies in (0.02, 0.05]: 9 of its 10 observations below.
    expect(bucketsQuantile(h, 0.99)).toBeCloseTo(0.02 + 0.03 * 0.9);
    expect(bucketsQuantile({ le: [0.01, Infinity], cumulative: [0, 0] }, 0.99)).toBeNull();
    // Rank in +Inf: the highest finite bound, as PromQL does.
    expect(bucketsQuantile({ le: [0.01, Infinity], cumulative: [1, 10] }, 0.99)).toBe(0.01);
  });

  it('reads the fraction within a bound exactly at bucket edges', () => {
    expect(bucketsFractionBelow(h, 0.02)).toBe(0.9);
    expect(bucketsFractionBelow(h, 0.05)).toBe(1);
    expect(bucketsFractionBelow(h, 0.015)).toBeCloseTo(0.7);
  });

  it('subtracts an earlier scrape, and survives a counter reset', () => {
    const earlier = { le: h.le, cumulative: [40, 70, 75, 75] };
    const d = bucketsDelta(h, earlier);
    expect(d.cumulative).toEqual([10, 20, 25, 25]);
    expect(bucketsTotal(d)).toBe(25);
    const reset = bucketsDelta({ le: h.le, cumulative: [1, 1, 1, 1] }, earlier);
    expect(reset.cumulative).toEqual([1, 1, 1, 1]);
  });
});
