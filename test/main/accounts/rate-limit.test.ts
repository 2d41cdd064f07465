import { describe, expect, it } from 'vitest';
import { memoryLimiter } from '../../../src/main/accounts/rate-limit.ts';

describe('memoryLimiter', () => {
  it('counts hits in a window and starts over after it', async () => {
    const l = memoryLimiter();
    try {
      expect((await l.hit('k', 100)).count).toBe(1);
      expect((await l.hit('k', 100)).count).toBe(2);
      expect((await l.peek('k')).count).toBe(2);
      expect((await l.peek('other')).count).toBe(0);
      await new Promise((r) => setTimeout(r, 130));
      expect((await l.peek('k')).count).toBe(0);
      expect((await l.hit('k', 100)).count).toBe(1);
      await l.clear('k');
      expect((await l.peek('k')).count).toBe(0);
    } finally {
      await l.close();
    }
  });

  it('stays bounded under a flood of distinct keys', async () => {
    const l = memoryLimiter(100);
    try {
      for (let i = 0; i < 1000; i++) await l.hit(`u${i}`, 60_000);
      expect((await l.peek('u999')).count).toBe(1);
      expect((await l.peek('u0')).count).toBe(0);
    } finally {
      await l.close();
    }
  });
});
