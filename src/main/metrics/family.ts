import type { Metric, Registry } from 'prom-client';

/** Prometheus metric types, as prom-client spells them in the text format. */
export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** One sample line: prom-client's MetricValueWithName shape. */
export interface Sample {
  value: number;
  labels: Record<string, string | number>;
  /** For histogram and summary lines: name_bucket, name_sum, name_count. */
  metricName?: string;
}

/**
 * A metric family whose samples are produced at scrape time by a function,
 * registered in a prom-client Registry beside ordinary metrics.
 *
 * prom-client's own Histogram can only be fed one observation at a time; the
 * cells already keep their buckets in shared memory, so the family renders
 * them directly instead of replaying observations. prom-client renders any
 * registered object that has `name`, `help`, `type` and `get()`, which this
 * class provides (its `Metric` type is a closed union, hence the cast in
 * registerFamily).
 */
export class CollectedFamily {
  readonly name: string;
  readonly help: string;
  readonly type: FamilyType;
  readonly aggregator = 'sum';
  private readonly collect: (out: Sample[]) => void;

  constructor(name: string, help: string, type: FamilyType, collect: (out: Sample[]) => void) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.collect = collect;
  }

  /** Called by the registry at every scrape. */
  async get(): Promise<{ name: string; help: string; type: FamilyType; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    this.collect(values);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Values live in their source (shared slots, local counters): nothing to reset. */
  reset(): void {}
}

/** Creates a family and registers it in `registry`. */
export function registerFamily(
  registry: Registry,
  name: string,
  help: string,
  type: FamilyType,
  collect: (out: Sample[]) => void,
): CollectedFamily {
  const family = new CollectedFamily(name, help, type, collect);
  registry.registerMetric(family as unknown as Metric);
  return family;
}

/** Upper-bound label values of buckets, computed once per bucket layout. */
const leCache = new WeakMap<readonly number[], string[]>();
function leLabels(buckets: readonly number[]): string[] {
  let le = leCache.get(buckets);
  if (!le) {
    le = [...buckets.map((b) => String(b)), '+Inf'];
    leCache.set(buckets, le);
  }
  return le;
}

/**
 * Pushes the lines of one histogram series: cumulative `_bucket` lines (the
 * last one, le="+Inf", equal to `_count`), then `_sum` and `_count`.
 * `cumulative` holds one count per bucket plus +Inf, already cumulative.
 */
export function pushHistogram(
  out: Sample[],
  name: string,
  labels: Record<string, string>,
  buckets: readonly number[],
  cumulative: readonly number[],
  sum: number,
  count: number,
): void {
  const le = leLabels(buckets);
  const bucketName = `${name}_bucket`;
  for (let i = 0; i < le.length; i++) {
    out.push({ metricName: bucketName, labels: { ...labels, le: le[i] }, value: cumulative[i] });
  }
  out.push({ metricName: `${name}_sum`, labels, value: sum });
  out.push({ metricName: `${name}_count`, labels, value: count });
}
