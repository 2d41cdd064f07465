import * as hdr from 'hdr-histogram-js';

/**
 * Latency histograms for the bots: HdrHistogram in microseconds, 1 µs to
 * 60 s at 3 significant digits (±0.1 %). Workers record into their own and
 * ship them to the main thread once a second in HdrHistogram's compressed
 * encoding, which adds them up: percentiles of the merged counts, never an
 * average of percentiles.
 */
export type LatencyHistogram = hdr.Histogram;

const HIGHEST_US = 60_000_000;

export function createLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Records a duration in milliseconds (clamped into the histogram's range). */
export function recordMs(h: LatencyHistogram, ms: number): void {
  let us = Math.round(ms * 1000);
  if (!(us >= 1)) us = 1;
  else if (us > HIGHEST_US) us = HIGHEST_US;
  h.recordValue(us);
}

/** Compressed encoding for postMessage; '' for an empty histogram. */
export function encodeHistogram(h: LatencyHistogram): string {
  return h.totalCount === 0 ? '' : hdr.encodeIntoCompressedBase64(h);
}

/** Adds an encoded histogram (from encodeHistogram) into `into`. */
export function addEncoded(into: LatencyHistogram, encoded: string): void {
  if (encoded === '') return;
  const h = hdr.decodeFromCompressedBase64(encoded, 32, false);
  into.add(h);
  h.destroy();
}

/** Percentiles in milliseconds, as the report prints them. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export function summarise(h: LatencyHistogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}
