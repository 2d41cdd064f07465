import { describe, expect, it } from 'vitest';
import { DEFAULT_ANTICHEAT_CONFIG, type AnticheatConfig } from '../../../src/main/anticheat-config.ts';
import { OffenderWindows, type Verdict } from '../../../src/main/anticheat/offender-window.ts';

const cfg = (c: Partial<AnticheatConfig> = {}): AnticheatConfig => ({ ...DEFAULT_ANTICHEAT_CONFIG, windowMs: 10_000, warnAt: 2, kickAt: 4, banAt: 6, ...c });
const times = (w: OffenderWindows, key: string, n: number, at: number, step = 1): Verdict[] => Array.from({ length: n }, (_, i) => w.record(key, at + i * step));

describe('OffenderWindows', () => {
  it('warns once at the warning step, kicks at and past the kick step, bans at the ban step and forgets', () => {
    const w = new OffenderWindows(cfg());
    expect(times(w, 'account:1', 6, 0)).toEqual(['count', 'warn', 'count', 'kick', 'kick', 'ban']);
    expect(w.count).toBe(0);
    // After a ban the count starts afresh.
    expect(times(w, 'account:1', 2, 100)).toEqual(['count', 'warn']);
  });

  it('counts each offender apart', () => {
    const w = new OffenderWindows(cfg());
    times(w, 'account:1', 3, 0);
    expect(w.record('address:10.0.0.1', 5)).toBe('count');
    expect(w.record('account:1', 6)).toBe('kick');
  });

  it('counts only the window: violations spread thinner than the steps never add up', () => {
    const w = new OffenderWindows(cfg());
    // One every 10 s in a 10 s window: never two inside it.
    expect(times(w, 'account:1', 50, 0, 10_000).every((v) => v === 'count')).toBe(true);
    // Back under the warning step, reaching it again warns again.
    const v = new OffenderWindows(cfg());
    expect(times(v, 'account:2', 2, 0)).toEqual(['count', 'warn']);
    expect(times(v, 'account:2', 2, 20_000)).toEqual(['count', 'warn']);
  });

  it('with steps turned off, only the others act', () => {
    const w = new OffenderWindows(cfg({ warnAt: 0, kickAt: 0, banAt: 3 }));
    expect(times(w, 'k', 3, 0)).toEqual(['count', 'count', 'ban']);
    const none = new OffenderWindows(cfg({ warnAt: 0, kickAt: 0, banAt: 0 }));
    expect(times(none, 'k', 100, 0).every((x) => x === 'count')).toBe(true);
  });

  it('forgets offenders whose violations left the window, so memory stays bounded', () => {
    const w = new OffenderWindows(cfg());
    for (let i = 0; i < 1000; i++) w.record(`address:${i}`, i);
    expect(w.count).toBe(1000);
    w.record('account:9', 50_000);
    expect(w.count).toBe(1);
  });

  it('takes a clock that steps back without counting the future twice', () => {
    const w = new OffenderWindows(cfg());
    expect(w.record('k', 5000)).toBe('count');
    expect(w.record('k', 1000)).toBe('warn');
  });
});
