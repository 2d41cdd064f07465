import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOCATOR_ENV, withAllocatorEnv } from '../../src/main/allocator-env.ts';

describe('allocator environment', () => {
  it('npm start sets the same values the server processes of benches and tests get', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const entries = Object.entries(ALLOCATOR_ENV);
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, value] of entries) expect(pkg.scripts.start.split(/\s+/)).toContain(`${name}=${value}`);
    expect(pkg.scripts.start).toMatch(/node src\/main\/main\.ts$/);
  });

  it('adds the settings, and an environment that sets one keeps its own', () => {
    expect(withAllocatorEnv({ PORT: '1' })).toEqual({ ...ALLOCATOR_ENV, PORT: '1' });
    expect(withAllocatorEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_MMAP_THRESHOLD_).toBe('65536');
  });
});
