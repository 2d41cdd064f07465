import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config.ts';
import { ConfigError, EnvReader, parseDecimalInt } from '../../src/main/env.ts';
import { readTuning } from '../../src/main/tuning.ts';

/** The problems a reader records for NAME=value read as an integer in min..max. */
function intProblems(value: string | undefined, min = 0, max = 65535): { n: number; problems: string[] } {
  const r = new EnvReader({ NAME: value });
  const n = r.int('NAME', 42, min, max);
  return { n, problems: r.problems };
}

describe('the environment reader', () => {
  it.each([
    ['80', 80],
    ['0', 0],
    ['-0', 0],
    ['010', 10],
    ['  8080 ', 8080],
    ['\t123\n', 123],
    ['\u00a07\u2003', 7],
    ['65535', 65535],
  ])('reads %j as %d', (text, want) => {
    const { n, problems } = intProblems(text);
    expect(problems).toEqual([]);
    expect(Object.is(n, want)).toBe(true);
  });

  it.each([undefined, '', ' ', '\t\n', '\u3000'])('takes %j as unset: the default, no problem', (text) => {
    expect(intProblems(text)).toEqual({ n: 42, problems: [] });
  });

  it.each([
    '1e3', '1E3', '0x10', '0X10', '0b1', '0o7', '1_000', '+5', '5.0', '5.', '.5', '1,000',
    'NaN', 'Infinity', '-Infinity', '--1', '- 1', '1 2', '12abc', 'abc',
    '١٢٣', // Arabic-Indic digits
    '８０', // fullwidth digits
    '𝟖𝟎', // mathematical bold digits (astral plane)
    '8\u200b0', // zero-width space inside
    '80\u0000', // NUL
  ])('refuses %j as not plain decimal, naming the variable', (text) => {
    const { n, problems } = intProblems(text);
    expect(n).toBe(42);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^NAME must be an integer in 0\.\.65535 \(plain decimal digits\), got "/);
  });

  it.each([
    ['65536'],
    ['-1'],
    ['9007199254740993'], // beyond 2^53: not exact in a double
    ['9'.repeat(400)], // Infinity once parsed
    ['-' + '9'.repeat(30)],
  ])('refuses %j as out of range', (text) => {
    const { n, problems } = intProblems(text);
    expect(n).toBe(42);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^NAME must be in 0\.\.65535, got "/);
  });

  it('quotes a hostile value escaped and cut short, so it cannot forge a log line', () => {
    const { problems } = intProblems('1\n{"level":60,"msg":"owned"}' + 'x'.repeat(500));
    expect(problems[0]).not.toContain('\n');
    expect(problems[0]).toContain('\\n');
    expect(problems[0]!.length).toBeLessThan(150);
  });

  it('does not echo a URL it cannot parse (it may hold a password)', () => {
    const r = new EnvReader({ DATABASE_URL: 'postgres://u:hunter2@[bad' });
    expect(r.url('DATABASE_URL', ['postgres:'])).toBeUndefined();
    expect(r.problems).toEqual(['DATABASE_URL is not a valid URL']);
  });

  it('parseDecimalInt: undefined for other syntax, NaN when too long to be exact', () => {
    expect(parseDecimalInt('12')).toBe(12);
    expect(parseDecimalInt('1e3')).toBeUndefined();
    expect(parseDecimalInt(' 12')).toBeUndefined(); // the reader trims; the parser does not
    expect(parseDecimalInt('99999999999999999999')).toBeNaN();
  });

  it('throws one ConfigError listing every problem', () => {
    const r = new EnvReader({ A: 'x', B: '1e3' });
    r.int('A', 0, 0, 1);
    r.int('B', 0, 0, 1);
    r.problem('A and B do not go together');
    expect(() => r.throwIfProblems()).toThrow(ConfigError);
    try {
      r.throwIfProblems();
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(3);
      expect((err as Error).message).toMatch(/^invalid configuration:\n {2}- A must be an integer/);
    }
  });
});

describe('configuration and tuning read numbers alike', () => {
  // One variable of each: the same text must get the same verdict from both.
  const cases = ['1e3', '0x10', '-0', ' 300 ', '', '١٢٣', 'NaN', 'Infinity', '9'.repeat(30), '300'];

  it.each(cases)('%j', (text) => {
    const verdict = (read: () => unknown): string => {
      try {
        read();
        return 'ok';
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message.replace(/^invalid configuration:\n {2}- [A-Z_]+ /, '').replace(/\d+\.\.\d+/, 'MIN..MAX');
      }
    };
    // Both ranges include 300 and 0 is outside both.
    const config = verdict(() => loadConfig({ SPAWN_SPREAD: text }));
    const tuning = verdict(() => readTuning({ LOGIN_LIMIT_WINDOW_S: text }));
    if (text.trim() === '-0') {
      expect(config).toBe('ok'); // SPAWN_SPREAD allows 0
      expect(tuning).toMatch(/^must be in MIN..MAX/); // the login window does not
    } else {
      expect(tuning).toBe(config);
    }
  });

  it('tuning errors are ConfigErrors naming the variable', () => {
    expect(() => readTuning({ HASH_THREADS: '0x10' })).toThrow(ConfigError);
    expect(() => readTuning({ HASH_THREADS: '0x10' })).toThrow(/HASH_THREADS must be an integer in 1\.\.256/);
    expect(() => readTuning({ SCRYPT_LOG2N: '1e1' })).toThrow(/SCRYPT_LOG2N must be an integer/);
    expect(() => readTuning({ REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX must be up to 64/);
  });
});
