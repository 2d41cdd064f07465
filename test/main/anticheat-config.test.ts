import { describe, expect, it } from 'vitest';
import { DEFAULT_ANTICHEAT_CONFIG } from '../../src/main/anticheat-config.ts';
import { loadConfig } from '../../src/main/config.ts';
import { ConfigError } from '../../src/main/env.ts';

const problems = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return expect.unreachable('loadConfig accepted it');
};

describe('ANTICHEAT_* configuration', () => {
  it('has safe defaults', () => {
    expect(loadConfig({}).anticheat).toEqual(DEFAULT_ANTICHEAT_CONFIG);
  });

  it('reads every threshold; 0 turns a step off', () => {
    const c = loadConfig({
      ANTICHEAT_WINDOW_MS: '60000',
      ANTICHEAT_WARN_AT: '0',
      ANTICHEAT_KICK_AT: '3',
      ANTICHEAT_BAN_AT: '0',
      ANTICHEAT_BAN_MS: '120000',
      ANTICHEAT_LOG_PER_MINUTE: '1',
    }).anticheat;
    expect(c).toEqual({ windowMs: 60_000, warnAt: 0, kickAt: 3, banAt: 0, banMs: 120_000, logPerMinute: 1 });
  });

  it('refuses values out of range, malformed or hostile, naming each variable', () => {
    const bad = {
      ANTICHEAT_WINDOW_MS: '999',
      ANTICHEAT_WARN_AT: '-1',
      ANTICHEAT_KICK_AT: '1e3',
      ANTICHEAT_BAN_AT: '99999999999999999999',
      ANTICHEAT_BAN_MS: '5000',
      ANTICHEAT_LOG_PER_MINUTE: '\u0000\n6',
    };
    const text = problems(bad);
    for (const name of Object.keys(bad)) expect(text).toContain(name);
    expect(text).not.toContain('\n6');
  });

  it('refuses steps out of order: warn below kick below ban', () => {
    expect(problems({ ANTICHEAT_WARN_AT: '10', ANTICHEAT_KICK_AT: '10' })).toMatch(/ANTICHEAT_KICK_AT \(10\) must exceed ANTICHEAT_WARN_AT \(10\)/);
    expect(problems({ ANTICHEAT_KICK_AT: '50', ANTICHEAT_BAN_AT: '30' })).toMatch(/ANTICHEAT_BAN_AT \(30\) must exceed ANTICHEAT_KICK_AT \(50\)/);
    // With kicks off, a ban still comes after the warning.
    expect(problems({ ANTICHEAT_KICK_AT: '0', ANTICHEAT_WARN_AT: '8', ANTICHEAT_BAN_AT: '8' })).toMatch(/ANTICHEAT_BAN_AT \(8\) must exceed ANTICHEAT_WARN_AT \(8\)/);
    expect(loadConfig({ ANTICHEAT_KICK_AT: '0', ANTICHEAT_WARN_AT: '8', ANTICHEAT_BAN_AT: '9' }).anticheat.banAt).toBe(9);
  });
});
