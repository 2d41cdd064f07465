/**
 * The one reader of environment variables for configuration (config.ts) and
 * tuning (tuning.ts): one syntax, one set of range checks, one error.
 *
 * The rules, the same for every variable:
 * - A value is trimmed (String.prototype.trim: Unicode white space and line
 *   terminators). Unset, empty and all-white-space are the same: the default.
 * - An integer is written in plain decimal: an optional `-`, then ASCII digits
 *   0-9 only. `1e3`, `0x10`, `0b1`, `1_000`, `+5`, `5.0`, `NaN`, `Infinity`
 *   and non-ASCII digits (`٣`, `３`) are refused, not guessed at. Leading
 *   zeros are decimal (`010` is ten, never octal); `-0` is 0.
 * - Then the range: an integer outside min..max (including one too long to
 *   be exact in a double) is refused.
 * - Every problem names the variable, says what it needs and what it got
 *   (the value quoted, escaped and cut to 40 characters, so a hostile value
 *   cannot forge log lines). A reader collects every problem, and
 *   `throwIfProblems` reports them all at once as one ConfigError.
 */

/** Bad configuration or tuning: the message lists every problem, each naming its variable. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Record<string, string | undefined>;

/** One row of the configuration table in README.md (a test keeps them in step). */
export interface ConfigVar {
  name: string;
  default: string;
  doc: string;
}

const DECIMAL_INT = /^-?[0-9]+$/;

/**
 * The integer a plain decimal text stands for, or undefined when it is not
 * one (see the module comment); NaN when it is one but too long to be exact.
 */
export function parseDecimalInt(text: string): number | undefined {
  if (!DECIMAL_INT.test(text)) return undefined;
  const n = Number(text);
  // `+ 0` turns -0 into 0.
  return Number.isSafeInteger(n) ? n + 0 : NaN;
}

/** A value as quoted in an error: JSON-escaped (no raw control characters) and cut short. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** Reads variables from one environment and collects what is wrong with them. */
export class EnvReader {
  readonly problems: string[] = [];
  private readonly env: Env;

  constructor(env: Env) {
    this.env = env;
  }

  /** Records a problem that is not about one variable's syntax (a combination, a cross-check). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** The trimmed value, or undefined when unset, empty or white space. */
  raw(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  /** An integer in min..max (both inclusive), or `def` when unset. */
  int(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    const n = parseDecimalInt(v);
    if (n === undefined) {
      this.problems.push(`${name} must be an integer in ${min}..${max} (plain decimal digits), got ${quote(v)}`);
      return def;
    }
    if (!(n >= min && n <= max)) {
      this.problems.push(`${name} must be in ${min}..${max}, got ${quote(v)}`);
      return def;
    }
    return n;
  }

  /** 1/0, true/false, on/off, yes/no (any case), or `def` when unset. */
  bool(name: string, def: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return def;
    const lower = v.toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(lower)) return true;
    if (['0', 'false', 'off', 'no'].includes(lower)) return false;
    this.problems.push(`${name} must be one of 1/0, true/false, on/off, yes/no, got ${quote(v)}`);
    return def;
  }

  /** A string matching `pattern` (described by `what` in the error), or `def` when unset. */
  str(name: string, def: string, pattern?: RegExp, what?: string): string {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (pattern && !pattern.test(v)) {
      this.problems.push(`${name} must be ${what ?? `like ${pattern}`}, got ${quote(v)}`);
      return def;
    }
    return v;
  }

  /** A URL with one of `protocols` (e.g. 'redis:'), or undefined when unset or bad. */
  url(name: string, protocols: string[]): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      // The value may hold a password: not echoed.
      this.problems.push(`${name} is not a valid URL`);
      return undefined;
    }
    if (!protocols.includes(u.protocol)) {
      this.problems.push(`${name} must use ${protocols.join(' or ')}, got ${u.protocol}`);
      return undefined;
    }
    return v;
  }

  /** Throws one ConfigError listing every problem recorded, if any. */
  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError([...this.problems]);
  }
}
