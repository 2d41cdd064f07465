/**
 * What the cell threads cost in memory while they idle: whether a spare
 * cell host waits, loaded, for a restart (CELL_SPARE), and the V8 young
 * generation of each cell thread (CELL_YOUNG_GENERATION_MB). Read by
 * loadConfig (config.ts); measured in docs/benchmarks.md, "Idle memory".
 * The embedded database's and the hashing pool's knobs are in tuning.ts
 * (PGLITE_SHARED_BUFFERS_MB, HASH_MIN_THREADS). And each cell's ring to
 * the gate, sized for MAX_PLAYERS (any cell may hold every player) at
 * RING_FRAME_BYTES each, or set (CELL_TO_GATE_RING_KB) and checked
 * against them.
 */
import type { ConfigVar, EnvReader } from './env.ts';
import { RING_MAX_CAPACITY } from '../shared/layout.ts';
import { cellToGateRingFor, DEFAULT_RING_FRAME_BYTES, DEFAULT_RING_SIZES, MIN_CELL_TO_GATE_RING, type RingSizes } from '../shared/zone-memory.ts';

/**
 * The default young generation of a cell thread, MB. V8's own let each
 * cell's new space grow to 16 MB, committed, and in part resident even
 * when idle (the three cells' were 15–20 MB of RSS).
 * A busy cell does allocate (about 5 MB/s at 1,000 players and 4,000 NPCs,
 * bench:core zone): with 3 MB it is scavenged several times as often,
 * about 2 ms each, roughly 5–15 ms of GC a second more, with tick medians
 * unchanged within the measurement's noise (docs/benchmarks.md, "Idle
 * memory").
 */
export const DEFAULT_CELL_YOUNG_GENERATION_MB = 3;

export interface MemoryConfig {
  /** Keep a spare cell host loaded for restarts (CELL_SPARE). */
  cellSpare: boolean;
  /** Each cell thread's young generation, MB; 0: V8's default (CELL_YOUNG_GENERATION_MB). */
  cellYoungGenerationMb: number;
  /** Every zone's ring sizes, the cell-to-gate ring from MAX_PLAYERS × RING_FRAME_BYTES or CELL_TO_GATE_RING_KB. */
  rings: RingSizes;
}

export const MEMORY_CONFIG_VARS: ConfigVar[] = [
  {
    name: 'CELL_SPARE',
    default: 'off',
    doc: 'Keep a spare cell thread loaded (1/0, on/off), so that a crashed or stuck zone restarts on it without starting a thread and loading the cell code (0.4–0.7 s per cell on a quiet 2-core box, seconds on a loaded one). It costs a cell thread\'s memory, idle or not: about 26 MB resident (33 MB of V8 heap committed).',
  },
  {
    name: 'CELL_YOUNG_GENERATION_MB',
    default: String(DEFAULT_CELL_YOUNG_GENERATION_MB),
    doc: 'V8 young generation of each cell thread, MB, 0 (V8\'s default: up to 16 MB of new space per thread, 5–7 MB of it resident in an idle cell) or 1..256. A smaller one is scavenged more often: at 3 MB a cell of 1,000 players spends roughly 5–15 ms a second more in GC (docs/benchmarks.md, "Idle memory"); 0 on a busy server.',
  },
  {
    name: 'RING_FRAME_BYTES',
    default: String(DEFAULT_RING_FRAME_BYTES),
    doc: 'Bytes of snapshot per player each cell\'s ring to the gate is sized for, 64..16384: the ring is MAX_PLAYERS × this, rounded up to a power of two, as one cell may hold every player (8 MB per cell at the defaults). A frame that finds the ring full is dropped and counted (`tessera_ring_full_events_total`); the mean frame was 110–170 bytes at 1,000–2,000 players.',
  },
  {
    name: 'CELL_TO_GATE_RING_KB',
    default: '(MAX_PLAYERS × RING_FRAME_BYTES)',
    doc: 'Each cell\'s ring to the gate, KB, instead: a power of two, 32..524288, at least MAX_PLAYERS × RING_FRAME_BYTES (the start is refused otherwise).',
  },
];

/** Reads the memory settings; `maxPlayers` (MAX_PLAYERS) is how many players one cell's ring to the gate must carry. */
export function readMemoryConfig(r: EnvReader, maxPlayers: number): { memory: MemoryConfig } {
  const frameBytes = r.int('RING_FRAME_BYTES', DEFAULT_RING_FRAME_BYTES, 64, 16_384);
  const needed = maxPlayers * frameBytes;
  let cellToGate: number;
  if (r.raw('CELL_TO_GATE_RING_KB') === undefined) {
    cellToGate = cellToGateRingFor(maxPlayers, frameBytes);
    if (cellToGate > RING_MAX_CAPACITY) r.problem(`MAX_PLAYERS (${maxPlayers}) × RING_FRAME_BYTES (${frameBytes}) needs a ${cellToGate / 1024} KB ring to the gate per cell, over the most a ring may have (${RING_MAX_CAPACITY / 1024} KB); lower either`);
  } else {
    const kb = r.int('CELL_TO_GATE_RING_KB', 0, MIN_CELL_TO_GATE_RING / 1024, RING_MAX_CAPACITY / 1024);
    cellToGate = kb * 1024;
    if (kb > 0 && (kb & (kb - 1)) !== 0) r.problem(`CELL_TO_GATE_RING_KB must be a power of two, got ${kb}`);
    else if (kb > 0 && cellToGate < needed) {
      r.problem(`CELL_TO_GATE_RING_KB (${kb}) is too small for MAX_PLAYERS (${maxPlayers}) × RING_FRAME_BYTES (${frameBytes}) = ${Math.ceil(needed / 1024)} KB: one cell may hold every player; raise it, or lower MAX_PLAYERS or RING_FRAME_BYTES`);
    }
  }
  return {
    memory: {
      cellSpare: r.bool('CELL_SPARE', false),
      cellYoungGenerationMb: r.int('CELL_YOUNG_GENERATION_MB', DEFAULT_CELL_YOUNG_GENERATION_MB, 0, 256),
      rings: { ...DEFAULT_RING_SIZES, cellToGate },
    },
  };
}
