import { describe, expect, it } from 'vitest';
import { HasherBusyError, PasswordHasher } from '../../../src/main/accounts/hash.ts';

describe('PasswordHasher (scrypt on piscina)', () => {
  it('hashes with a random salt and verifies only the right password', async () => {
    const h = new PasswordHasher({ threads: 1, log2n: 10, maxQueue: 100 });
    try {
      const a = await h.hash('correct horse');
      const b = await h.hash('correct horse');
      expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(a).not.toBe(b);
      expect(await h.verify('correct horse', a)).toBe(true);
      expect(await h.verify('correct horsf', a)).toBe(false);
      // Composed and decomposed accents are the same password.
      const c = await h.hash('caf\u00e9');
      expect(await h.verify('cafe\u0301', c)).toBe(true);
      expect(await h.verify('x', 'garbage')).toBe(false);
      expect(await h.verify('x', 'scrypt$99$8$1$AA==$AA==')).toBe(false);
      expect(await h.verify('x', undefined)).toBe(false);
    } finally {
      await h.close();
    }
  });

  it('refuses work beyond its queue bound instead of growing without limit', async () => {
    const h = new PasswordHasher({ threads: 1, log2n: 12, maxQueue: 2 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => h.hash('pw')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(HasherBusyError);
    } finally {
      await h.close();
    }
  });
});
