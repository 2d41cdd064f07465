/**
 * What the cell threads cost in memory while they idle: whether a spare
 * cell host waits, loaded, for a restart (CELL_SPARE), and the V8 young
 * generation of each cell thread (CELL_YOUNG_GENERATION_MB). Read by
 * loadConfig (config.ts); measured in docs/benchmarks.md, "Idle memory".
 * The embedded database's and the hashing pool's knobs are in tuning.ts
 * (PGLITE_SHARED_BUFFERS_MB, HASH_MIN_THREADS); the rings' size in
 * RING_BYTES_PER_PLAYER below.
 */
import type { ConfigVar, EnvReader } from './env.ts';

/**
 * The default young generation of a cell thread, MB. V8's own default let
 * each cell's new space grow to 16 MB; a cell's steady tick allocates
 * almost nothing (bench:core, "bytes allocated per tick"), so a small
 * nursery is scavenged rarely and cheaply.
 */
export const DEFAULT_CELL_YOUNG_GENERATION_MB = 3;

export interface MemoryConfig {
  /** Keep a spare cell host loaded for restarts (CELL_SPARE). */
  cellSpare: boolean;
  /** Each cell thread's young generation, MB; 0: V8's default (CELL_YOUNG_GENERATION_MB). */
  cellYoungGenerationMb: number;
}

export const MEMORY_CONFIG_VARS: ConfigVar[] = [
  {
    name: 'CELL_SPARE',
    default: 'off',
    doc: 'Keep a spare cell thread loaded (1/0, on/off), so that a crashed or stuck zone restarts on it without starting a thread and loading the cell code (0.4–0.7 s per cell on a quiet 2-core box, seconds on a loaded one). It costs a cell thread\'s memory, about 40 MB, idle or not.',
  },
  {
    name: 'CELL_YOUNG_GENERATION_MB',
    default: String(DEFAULT_CELL_YOUNG_GENERATION_MB),
    doc: 'V8 young generation of each cell thread, MB, 0 (V8\'s default: up to 16 MB of new space per thread) or 1..256. The cells\' steady ticks allocate almost nothing, so a small one costs no tick time (docs/benchmarks.md, "Idle memory").',
  },
];

export function readMemoryConfig(r: EnvReader): { memory: MemoryConfig } {
  return {
    memory: {
      cellSpare: r.bool('CELL_SPARE', false),
      cellYoungGenerationMb: r.int('CELL_YOUNG_GENERATION_MB', DEFAULT_CELL_YOUNG_GENERATION_MB, 0, 256),
    },
  };
}
