/**
 * In-process sessions on a clock the test drives: expiry at the TTL, a
 * single revocation, and revoking every session of one account.
 */
import { describe, expect, it } from 'vitest';
import { memorySessions } from '../../../src/main/accounts/sessions.ts';

describe('in-process sessions', () => {
  it('a token lives until its TTL and not a millisecond more; a revoked one is gone', async () => {
    let now = 1_000_000;
    const s = memorySessions(() => now);
    try {
      const a = await s.create(7, 60_000);
      expect(a.expiresAt).toBe(1_060_000);
      expect(await s.lookup(a.token)).toBe(7);
      now = 1_059_999;
      expect(await s.lookup(a.token)).toBe(7);
      now = 1_060_000;
      expect(await s.lookup(a.token)).toBeUndefined();
      // An expired one cannot be revoked (it is not live) either.
      expect(await s.revoke(a.token)).toBe(false);
      const b = await s.create(7, 60_000);
      expect(await s.revoke(b.token)).toBe(true);
      expect(await s.lookup(b.token)).toBeUndefined();
      expect(await s.revoke(b.token)).toBe(false);
      expect(await s.revoke('not a token')).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('revokeAll ends every live session of the account and no other', async () => {
    let now = 0;
    const s = memorySessions(() => now);
    try {
      const mine = [await s.create(1, 1000), await s.create(1, 5000), await s.create(1, 5000)];
      const theirs = await s.create(2, 5000);
      now = 2000; // the first of mine has expired
      expect(await s.revokeAll(1)).toBe(2);
      for (const t of mine) expect(await s.lookup(t.token)).toBeUndefined();
      expect(await s.lookup(theirs.token)).toBe(2);
      expect(await s.revokeAll(1)).toBe(0);
      expect(await s.revokeAll(99)).toBe(0);
      // New sessions after it are live.
      const again = await s.create(1, 5000);
      expect(await s.lookup(again.token)).toBe(1);
    } finally {
      await s.close();
    }
  });
});
