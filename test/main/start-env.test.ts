import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { START_ENV, withStartEnv } from '../../src/main/start-env.ts';

describe('start environment', () => {
  it('npm start sets the same values the server processes of benches and tests get', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const entries = Object.entries(START_ENV);
    expect(entries.map(([name]) => name).sort()).toEqual(['MALLOC_MMAP_THRESHOLD_', 'NODE_COMPILE_CACHE']);
    for (const [name, value] of entries) expect(pkg.scripts.start.split(/\s+/)).toContain(`${name}=${value}`);
    expect(pkg.scripts.start).toMatch(/node src\/main\/main\.ts$/);
  });

  it('adds the settings, and an environment that sets one keeps its own', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // The cache folder the start script names, made absolute (a process may start anywhere).
    expect(withStartEnv({ PORT: '1' })).toEqual({ ...START_ENV, NODE_COMPILE_CACHE: resolve(root, START_ENV.NODE_COMPILE_CACHE), PORT: '1' });
    expect(withStartEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_MMAP_THRESHOLD_).toBe('65536');
    expect(withStartEnv({ NODE_COMPILE_CACHE: '/elsewhere' }).NODE_COMPILE_CACHE).toBe('/elsewhere');
  });
});
