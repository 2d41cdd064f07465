import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config.ts';
import { ConfigError } from '../../src/main/env.ts';
import { readTuning } from '../../src/main/tuning.ts';

describe('the cell threads\' memory settings', () => {
  it('default to no spare cell thread and a 3 MB young generation per cell', () => {
    expect(loadConfig({}).memory).toEqual({ cellSpare: false, cellYoungGenerationMb: 3 });
    expect(loadConfig({ CELL_SPARE: 'on', CELL_YOUNG_GENERATION_MB: '0' }).memory).toEqual({ cellSpare: true, cellYoungGenerationMb: 0 });
  });

  it.each([
    [{ CELL_SPARE: 'maybe' }, 'CELL_SPARE must be'],
    [{ CELL_YOUNG_GENERATION_MB: '-1' }, 'CELL_YOUNG_GENERATION_MB must be'],
    [{ CELL_YOUNG_GENERATION_MB: '257' }, 'CELL_YOUNG_GENERATION_MB must be'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('the embedded database\'s and the hashing pool\'s memory settings', () => {
  it('default to 16 MB of shared buffers and no idle hashing thread', () => {
    const t = readTuning({ HASH_THREADS: '2' });
    expect(t.pgliteSharedBuffersMb).toBe(16);
    expect(t.hashMinThreads).toBe(0);
    expect(readTuning({ PGLITE_SHARED_BUFFERS_MB: '128', HASH_THREADS: '2', HASH_MIN_THREADS: '2' })).toMatchObject({ pgliteSharedBuffersMb: 128, hashMinThreads: 2 });
  });

  it.each([
    [{ PGLITE_SHARED_BUFFERS_MB: '0' }, 'PGLITE_SHARED_BUFFERS_MB must be'],
    [{ PGLITE_SHARED_BUFFERS_MB: '16MB' }, 'PGLITE_SHARED_BUFFERS_MB must be'],
    [{ HASH_THREADS: '1', HASH_MIN_THREADS: '2' }, 'HASH_MIN_THREADS (2) must be at most HASH_THREADS (1)'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => readTuning(env)).toThrow(ConfigError);
    expect(() => readTuning(env)).toThrow(message);
  });
});
