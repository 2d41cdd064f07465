import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config.ts';
import { ConfigError } from '../../src/main/env.ts';
import { readTuning } from '../../src/main/tuning.ts';
import { DEFAULT_RING_SIZES, MIN_CELL_TO_GATE_RING } from '../../src/shared/zone-memory.ts';

describe('the cell threads\' memory settings', () => {
  it('default to no spare cell thread and a 3 MB young generation per cell', () => {
    expect(loadConfig({}).memory).toMatchObject({ cellSpare: false, cellYoungGenerationMb: 3 });
    expect(loadConfig({ CELL_SPARE: 'on', CELL_YOUNG_GENERATION_MB: '0' }).memory).toMatchObject({ cellSpare: true, cellYoungGenerationMb: 0 });
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

describe('the ring from each cell to the gate', () => {
  const ringOf = (env: Record<string, string>) => loadConfig(env).memory.rings.cellToGate;

  it('holds MAX_PLAYERS × RING_FRAME_BYTES, rounded up to a power of two', () => {
    expect(ringOf({})).toBe(DEFAULT_RING_SIZES.cellToGate);
    expect(ringOf({})).toBe(8 << 20);
    expect(ringOf({ MAX_PLAYERS: '500' })).toBe(512 << 10);
    expect(ringOf({ MAX_PLAYERS: '500', RING_FRAME_BYTES: '2048' })).toBe(1 << 20);
    // Never below twice the largest frame.
    expect(ringOf({ MAX_PLAYERS: '1' })).toBe(MIN_CELL_TO_GATE_RING);
    expect(ringOf({ MAX_PLAYERS: '20', CELL_TO_GATE_RING_KB: '64' })).toBe(64 << 10);
  });

  it.each([
    [{ MAX_PLAYERS: '5000', CELL_TO_GATE_RING_KB: '1024' }, 'CELL_TO_GATE_RING_KB (1024) is too small for MAX_PLAYERS (5000) × RING_FRAME_BYTES (1024) = 5000 KB'],
    [{ CELL_TO_GATE_RING_KB: '3000' }, 'CELL_TO_GATE_RING_KB must be a power of two, got 3000'],
    [{ CELL_TO_GATE_RING_KB: '16' }, 'CELL_TO_GATE_RING_KB must be'],
    [{ RING_FRAME_BYTES: '32' }, 'RING_FRAME_BYTES must be'],
    [{ MAX_PLAYERS: '1000000', RING_FRAME_BYTES: '16384' }, 'over the most a ring may have'],
  ])('refuses %j, naming what is wrong', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
