import { histogramWords } from './layout.ts';

/**
 * Cumulative histogram in shared Float64 slots: one word per bucket
 * (non-cumulative counts), then +Inf, then sum, then count. The cell writes;
 * the coordinator reads at scrape time and renders Prometheus buckets.
 */
export function observe(slots: Float64Array, base: number, buckets: readonly number[], value: number): void {
  let i = 0;
  while (i < buckets.length && value > buckets[i]) i++;
  slots[base + i]++;
  slots[base + buckets.length + 1] += value;
  slots[base + buckets.length + 2]++;
}

/**
 * Observes `(stamps[to] - stamps[from]) / 1000` seconds, stamps in ms. The
 * interval is read from a typed array, not passed: a double handed to a call
 * V8 does not inline is boxed, and this runs for every system of every tick.
 */
export function observeInterval(slots: Float64Array, base: number, buckets: readonly number[], stamps: Float64Array, from: number, to: number): void {
  const value = (stamps[to] - stamps[from]) / 1000;
  let i = 0;
  while (i < buckets.length && value > buckets[i]) i++;
  slots[base + i]++;
  slots[base + buckets.length + 1] += value;
  slots[base + buckets.length + 2]++;
}

export interface HistogramSnapshot {
  /** Cumulative counts per bucket upper bound, then +Inf. */
  cumulative: number[];
  sum: number;
  count: number;
}

/** Reads a histogram block into cumulative form. */
export function readHistogram(slots: Float64Array, base: number, buckets: readonly number[]): HistogramSnapshot {
  const cumulative: number[] = [];
  let acc = 0;
  for (let i = 0; i <= buckets.length; i++) {
    acc += slots[base + i];
    cumulative.push(acc);
  }
  return { cumulative, sum: slots[base + buckets.length + 1], count: slots[base + buckets.length + 2] };
}

/** Quantile estimate from a histogram block (linear within the bucket), for reports. */
export function histogramQuantile(h: HistogramSnapshot, buckets: readonly number[], q: number): number {
  if (h.count === 0) return 0;
  const rank = q * h.count;
  for (let i = 0; i < h.cumulative.length; i++) {
    if (h.cumulative[i] >= rank) {
      const lo = i === 0 ? 0 : buckets[i - 1];
      const hi = i < buckets.length ? buckets[i] : buckets[buckets.length - 1];
      const prev = i === 0 ? 0 : h.cumulative[i - 1];
      const inBucket = h.cumulative[i] - prev;
      return inBucket === 0 ? hi : lo + ((hi - lo) * (rank - prev)) / inBucket;
    }
  }
  return buckets[buckets.length - 1];
}

export { histogramWords };
