import { describe, expect, it } from 'vitest';
import { FAULT_ORDER, faultSchedule } from '../../../src/bots/soak/faults.ts';

describe('the fault schedule', () => {
  it('has every fault once in a short run, after a warm-up and before a quiet end', () => {
    const s = faultSchedule(150_000);
    expect(s.map((f) => f.fault)).toEqual([...FAULT_ORDER]);
    expect(s[0].atMs).toBeGreaterThanOrEqual(18_000);
    expect(s.at(-1)!.atMs).toBeLessThanOrEqual(150_000 - 18_000);
    for (let i = 1; i < s.length; i++) expect(s[i].atMs).toBeGreaterThan(s[i - 1].atMs);
  });

  it('repeats the faults in turn, about one every 30 s, in a long run', () => {
    const s = faultSchedule(30 * 60_000);
    expect(s.length).toBe(58);
    expect(s.slice(0, 10).map((f) => f.fault)).toEqual([...FAULT_ORDER, ...FAULT_ORDER]);
    expect(s.at(-1)!.atMs).toBeLessThan(30 * 60_000 - 20_000);
  });
});
