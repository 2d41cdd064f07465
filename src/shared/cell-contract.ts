/**
 * What the coordinator (supervisor, gate) and the zone cells agree on about
 * starting, restarting and reporting a cell. Both sides import it from here,
 * so the coordinator imports nothing from src/workers.
 */
import type { ZoneMemoryInit } from './zone-memory.ts';

/** How a cell is started (workerData). */
export interface CellOptions {
  zone: ZoneMemoryInit;
  cell: number;
  /**
   * The content pack (content/pack/content-pack.ts), shared read-only by
   * every cell of every zone; without it a cell has no NPC templates.
   */
  content?: SharedArrayBuffer;
  /** Check the one-owner invariant at every tick (tests, stress runs). */
  verifyOwnership?: boolean;
  /** Wandering NPCs of the whole zone; each cell spawns its share in its rectangle. */
  wanderers?: number;
  wanderSpeed?: number;
  playerSpeed?: number;
  seed?: number;
  /**
   * Restart after a failure: adopt what the store says this cell owns
   * instead of spawning. Players are matched to their connections by handle;
   * a player entity with no connection is freed.
   */
  recover?: { players: ReattachedPlayer[] };
  /** Absolute time (ms) of the zone's tick schedule, the same for all its cells. */
  tickOrigin?: number;
  /**
   * Extra systems: module URLs whose default export is a SystemFactory
   * (src/workers/system.ts). Each joins the cell's list in its phase, after
   * the built-in systems of that phase.
   */
  systemModules?: string[];
  /**
   * Test-only fault flags (shared/fault-flags.ts), read by the fault-stall
   * system; set only under NODE_ENV=test with TESSERA_FAULT_HOOKS on.
   */
  faultFlags?: SharedArrayBuffer;
}

/** A connected player whose entity survives a cell restart in the store. */
export interface ReattachedPlayer {
  conn: number;
  handle: number;
  characterId: number;
  /** The newest combat checkpoint the gate holds for it (CellMsg.CHECKPOINT's record), if any. */
  combat?: Uint8Array;
}

/** Worker data of a cell thread: the options plus test and benchmark switches. */
export interface CellWorkerData extends CellOptions {
  freeRun?: boolean;
  maxTicks?: number;
  /**
   * Fault injection for supervisor tests: throw in, or stall, a tick (the
   * zone's tick `atTick`, or this worker's `afterTicks`-th), or hang before
   * the first tick; `restartsOnly` arms it only in restarted cells.
   */
  fault?: { kind: 'throw' | 'stall' | 'hang-start'; atTick?: number; afterTicks?: number; restartsOnly?: boolean };
}

/**
 * What a cell host thread (workers/cell.ts) is started with: the system
 * modules to load ahead (so a cell given to it later starts without loading
 * code) and the test-only fault flags, the same for every cell of the process.
 */
export interface CellHostData {
  preload?: string[];
  faultFlags?: SharedArrayBuffer;
}

/** What the supervisor posts to a cell host: run this cell (one at a time), or end once idle. */
export type CellHostCommand = { type: 'run'; data: CellWorkerData } | { type: 'quit' };

/** Messages a cell posts to the supervisor (rare events only, never per tick). */
export type CellReport =
  /** The host loaded its code and waits for a cell. */
  | { type: 'ready' }
  | { type: 'started'; cell: number; systems: string[] }
  /** A peer's failure broke the zone's barrier: the cell's run ended and the host waits, warm, for its next cell. */
  | { type: 'released'; cell: number; message: string }
  | { type: 'stopped'; cell: number; ticks: number }
  | { type: 'failed'; cell: number; message: string; stack?: string };
