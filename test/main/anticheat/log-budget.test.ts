import { describe, expect, it } from 'vitest';
import { LogBudget } from '../../../src/main/anticheat/log-budget.ts';

describe('LogBudget', () => {
  it('lets a burst of perMinute lines through, then one per 60/perMinute s, saying how many were left out', () => {
    const b = new LogBudget(6);
    const now = 1_000_000;
    expect(Array.from({ length: 8 }, () => b.take('a', now))).toEqual([0, 0, 0, 0, 0, 0, -1, -1]);
    expect(b.take('a', now + 9_000)).toBe(-1);
    expect(b.take('a', now + 10_000)).toBe(3);
    // Another offender has its own budget.
    expect(b.take('b', now + 10_000)).toBe(0);
  });

  it('a flood of a million violations costs a bounded number of lines', () => {
    const b = new LogBudget(6);
    let lines = 0;
    for (let i = 0; i < 1_000_000; i++) if (b.take('flooder', i / 100) >= 0) lines++; // 10 s of violations
    expect(lines).toBeLessThanOrEqual(7);
  });
});
