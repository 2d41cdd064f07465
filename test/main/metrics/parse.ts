/** One sample of the Prometheus text format. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  samples: ParsedSample[];
  /** Family name → declared type, from the # TYPE lines. */
  types: Map<string, string>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text format strictly enough for tests: a bad line throws. */
export function parseExposition(text: string): ParsedExposition {
  const samples: ParsedSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name, type);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) for (const l of m[3].matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    // prom-client writes NaN as 'Nan'; Prometheus accepts either.
    const isNaNText = m[4] === 'NaN' || m[4] === 'Nan';
    const value = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : isNaNText ? NaN : Number(m[4]);
    if (Number.isNaN(value) && !isNaNText) throw new Error(`bad value in line: ${line}`);
    samples.push({ name: m[1], labels, value });
  }
  return { samples, types };
}

/** Samples of `name` whose labels include every pair of `match`. */
export function select(samples: ParsedSample[], name: string, match: Record<string, string> = {}): ParsedSample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The one sample of `name` matching `match`; throws unless exactly one. */
export function one(samples: ParsedSample[], name: string, match: Record<string, string> = {}): number {
  const found = select(samples, name, match);
  if (found.length !== 1) throw new Error(`expected one ${name}${JSON.stringify(match)}, found ${found.length}`);
  return found[0].value;
}
