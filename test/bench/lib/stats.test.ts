import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commitOf } from '../../../bench/lib/stats.ts';

describe('commitOf', () => {
  it('names the checkout\'s commit, marked when tracked files have changed', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    expect(commitOf(root)).toMatch(/^[0-9a-f]{10}(\+changes)?$/);
  });

  it('says unknown outside a git checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-nogit-'));
    try {
      expect(commitOf(dir)).toBe('unknown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
