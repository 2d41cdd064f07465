import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TUNING_VARS, readTuning } from '../../src/main/tuning.ts';

describe('readTuning', () => {
  it('has defaults for everything', () => {
    const t = readTuning({});
    expect(t).toMatchObject({ saveIntervalMs: 5000, checkpointIntervalMs: 1000, sessionTtlMs: 86_400_000, scryptLog2N: 15, maxCharactersPerAccount: 8 });
    expect(t.spawn).toEqual({ zone: 'meadow', x: 128, y: 128, hp: 100 });
    expect(readTuning({ SPAWN: 'crypt:10.5:20' }).spawn).toEqual({ zone: 'crypt', x: 10.5, y: 20, hp: 100 });
  });

  it.each(['1e3', '0x10', '1000.0', ' ', ''])('reads SAVE_INTERVAL_MS=%j as config.ts reads integers (refused, or unset when blank)', (text) => {
    if (text.trim() === '') expect(readTuning({ SAVE_INTERVAL_MS: text }).saveIntervalMs).toBe(5000);
    else expect(() => readTuning({ SAVE_INTERVAL_MS: text })).toThrow(/SAVE_INTERVAL_MS must be an integer in 100\.\.600000/);
  });

  it('names every bad variable, what it needs and what it got', () => {
    let msg = '';
    try {
      readTuning({ SCRYPT_LOG2N: '40', SAVE_INTERVAL_MS: 'soon', SPAWN: 'nowhere' });
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toContain('SAVE_INTERVAL_MS must be an integer in 100..600000 (plain decimal digits), got "soon"');
    expect(msg).toContain('SCRYPT_LOG2N must be in 10..20, got "40"');
    expect(msg).toContain('SPAWN must be zone:x:y');
  });

  it('every variable is in the README configuration table', () => {
    const doc = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of TUNING_VARS) expect(doc, v.name).toContain(`| \`${v.name}\` |`);
  });
});
