/**
 * A small parser for the Prometheus text exposition format (version 0.0.4),
 * enough to read the server's own /metrics: samples with labels, comments
 * skipped, escapes in label values honoured. Also the histogram arithmetic
 * the load report needs (differences between two scrapes, quantiles the way
 * PromQL's histogram_quantile() computes them).
 */

/** One sample line: `name{labels} value [timestamp]`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses exposition text into samples; lines it cannot read are skipped and counted. */
export function parsePrometheus(text: string): { samples: PromSample[]; skipped: number } {
  const samples: PromSample[] = [];
  let skipped = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    const s = parseLine(line);
    if (s) samples.push(s);
    else skipped++;
  }
  return { samples, skipped };
}

function parseValue(v: string): number {
  switch (v) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return v === '' ? NaN : Number(v);
  }
}

function parseLine(line: string): PromSample | null {
  let i = 0;
  while (i < line.length && /[A-Za-z0-9_:]/.test(line[i])) i++;
  if (i === 0) return null;
  const name = line.slice(0, i);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const eq = line.indexOf('=', i);
      if (eq < 0 || line[eq + 1] !== '"') return null;
      const key = line.slice(i, eq).trim();
      let j = eq + 2;
      let val = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) {
          j++;
          val += line[j] === 'n' ? '\n' : line[j];
        } else {
          val += line[j];
        }
      }
      if (j >= line.length) return null;
      labels[key] = val;
      i = j + 1;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  const value = parseValue(rest[0] ?? '');
  if (Number.isNaN(value) && rest[0] !== 'NaN') return null;
  return { name, labels, value };
}

/** Indexed scrape: samples by metric name. */
export class Scrape {
  readonly byName = new Map<string, PromSample[]>();
  readonly at: number;

  constructor(samples: PromSample[], at = Date.now()) {
    this.at = at;
    for (const s of samples) {
      let list = this.byName.get(s.name);
      if (!list) this.byName.set(s.name, (list = []));
      list.push(s);
    }
  }

  static parse(text: string, at = Date.now()): Scrape {
    return new Scrape(parsePrometheus(text).samples, at);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Sum of every sample of `name` whose labels include `match`. */
  sum(name: string, match: Record<string, string> = {}): number | null {
    const list = this.byName.get(name);
    if (!list) return null;
    let total = 0;
    let any = false;
    for (const s of list) {
      if (matches(s.labels, match)) {
        total += s.value;
        any = true;
      }
    }
    return any ? total : null;
  }

  /** Distinct values of `label` among the samples of `name`. */
  labelValues(name: string, label: string): string[] {
    const out = new Set<string>();
    for (const s of this.byName.get(name) ?? []) if (label in s.labels) out.add(s.labels[label]);
    return [...out].sort();
  }

  /**
   * The cumulative buckets of histogram `base` (series `base_bucket`) for the
   * label set `match`, summed over any other labels, sorted by bound.
   */
  histogram(base: string, match: Record<string, string> = {}): HistogramBuckets | null {
    const list = this.byName.get(`${base}_bucket`);
    if (!list) return null;
    const byLe = new Map<number, number>();
    for (const s of list) {
      if (!matches(s.labels, match) || s.labels.le === undefined) continue;
      const le = parseValue(s.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + s.value);
    }
    if (byLe.size === 0) return null;
    const les = [...byLe.keys()].sort((a, b) => a - b);
    return { le: les, cumulative: les.map((le) => byLe.get(le)!) };
  }
}

function matches(labels: Record<string, string>, match: Record<string, string>): boolean {
  for (const k in match) if (labels[k] !== match[k]) return false;
  return true;
}

/** Cumulative histogram buckets: cumulative[i] observations were <= le[i]. */
export interface HistogramBuckets {
  le: number[];
  cumulative: number[];
}

/**
 * `later - earlier`, bucket by bucket (what happened between two scrapes).
 * A counter reset (server restart) makes the later scrape the answer.
 */
export function bucketsDelta(later: HistogramBuckets, earlier: HistogramBuckets | null): HistogramBuckets {
  if (!earlier) return later;
  const cumulative = later.le.map((le, i) => {
    const j = earlier.le.indexOf(le);
    const before = j >= 0 ? earlier.cumulative[j] : 0;
    return later.cumulative[i] - before;
  });
  if (cumulative.some((c) => c < 0)) return later;
  return { le: later.le, cumulative };
}

/** Observations in the histogram (the +Inf bucket). */
export function bucketsTotal(h: HistogramBuckets): number {
  return h.cumulative.length ? h.cumulative[h.cumulative.length - 1] : 0;
}

/**
 * The q-quantile (0..1) as PromQL histogram_quantile() estimates it: linear
 * interpolation inside the bucket that holds the rank, the lowest bucket
 * starting at 0, and the highest finite bound when the rank falls in +Inf.
 * Null when the histogram is empty.
 */
export function bucketsQuantile(h: HistogramBuckets, q: number): number | null {
  const total = bucketsTotal(h);
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < h.le.length; i++) {
    if (h.cumulative[i] >= rank) {
      const upper = h.le[i];
      if (upper === Infinity) return i > 0 ? h.le[i - 1] : null;
      const lower = i > 0 ? h.le[i - 1] : 0;
      const below = i > 0 ? h.cumulative[i - 1] : 0;
      const inBucket = h.cumulative[i] - below;
      if (inBucket <= 0) return upper;
      return lower + ((upper - lower) * (rank - below)) / inBucket;
    }
  }
  return h.le[h.le.length - 1];
}

/**
 * Fraction of observations at or below `bound`, read exactly when `bound` is
 * a bucket edge (the tick budget, 0.05 s, is one), interpolated otherwise.
 */
export function bucketsFractionBelow(h: HistogramBuckets, bound: number): number | null {
  const total = bucketsTotal(h);
  if (total <= 0) return null;
  for (let i = 0; i < h.le.length; i++) {
    if (h.le[i] === bound) return h.cumulative[i] / total;
    if (h.le[i] > bound) {
      const lower = i > 0 ? h.le[i - 1] : 0;
      const below = i > 0 ? h.cumulative[i - 1] : 0;
      if (h.le[i] === Infinity) return below / total;
      const part = ((bound - lower) / (h.le[i] - lower)) * (h.cumulative[i] - below);
      return (below + part) / total;
    }
  }
  return 1;
}
