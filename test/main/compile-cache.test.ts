import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startCompileCache } from '../../src/main/compile-cache.ts';

describe('the compile cache', () => {
  it('is handed to the threads started after it through NODE_COMPILE_CACHE', () => {
    const before = process.env.NODE_COMPILE_CACHE;
    try {
      const folder = startCompileCache();
      if (process.env.NODE_DISABLE_COMPILE_CACHE === '1') {
        expect(folder).toBeUndefined();
        return;
      }
      expect(folder).toBeDefined();
      expect(existsSync(folder!)).toBe(true);
      expect(process.env.NODE_COMPILE_CACHE).toBe(folder);
    } finally {
      if (before === undefined) delete process.env.NODE_COMPILE_CACHE;
      else process.env.NODE_COMPILE_CACHE = before;
    }
  });
});
