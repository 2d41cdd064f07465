import type { Worker } from 'node:worker_threads';
import { CellControl } from '../../shared/layout.ts';
import type { CellWorkerData } from '../../shared/cell-contract.ts';
import { allocateZoneMemory, ZoneViews, type RingSizes, type ZoneMemoryInit, type ZoneSpec } from '../../shared/zone-memory.ts';
import type { CellHost, HostSource } from './cell-hosts.ts';
import { DEFAULT_HANG_MS, DEFAULT_LOOP_CPU_MS, DEFAULT_STUCK_MS, StallDetector, type StallLimits } from './stall-detector.ts';

export interface ZoneLaunch {
  spec: ZoneSpec;
  /** The zone pack (content/pack/zone-pack.ts): bytes, or the loaded world's shared buffer. */
  map: Uint8Array | SharedArrayBuffer;
  ringSizes?: RingSizes;
  /** Extra cell options (wanderers, verification, free-running). */
  cell?: Omit<Partial<CellWorkerData>, 'zone' | 'cell'>;
}

export type CellHealth = 'starting' | 'running' | 'stuck' | 'failed' | 'stopped';

/** A zone failed more often than the restart budget allows; it stays down. */
export class RestartBudgetError extends Error {
  constructor(zone: string, restarts: number) {
    super(`zone ${zone} failed ${restarts} times in a minute; leaving it down`);
    this.name = 'RestartBudgetError';
  }
}

export { DEFAULT_HANG_MS, DEFAULT_LOOP_CPU_MS, DEFAULT_STUCK_MS };

/** How each cell of a restarted zone got its thread, and how long the restart took. */
export interface RestartRecord {
  hosts: Record<HostSource, number>;
  /** From the restart's start until every cell ticked, ms. */
  ms: number;
  /** From the failure (a stalled cell: its last heartbeat) until every cell ticked again, ms. */
  sinceFailureMs: number;
}

/**
 * A running zone as the supervisor keeps it (supervisor.ts): its shared
 * memory, the host thread of each cell, each cell's health and stall
 * detector, and its restart history.
 */
export class ZoneHandle {
  readonly spec: ZoneSpec;
  readonly launch: ZoneLaunch;
  /** Cells whose run ended since the zone (re)started: the thread exited, or was released warm by a broken barrier. */
  readonly exited: boolean[];
  /** Times each zone restart happened, for the restart budget. */
  readonly restartTimes: number[] = [];
  stopping = false;
  /** Absolute time of the zone's tick grid, shared by its cells (and kept across restarts). */
  readonly tickOrigin = performance.timeOrigin + performance.now();
  readonly init: ZoneMemoryInit;
  readonly views: ZoneViews;
  /** The thread running each cell (the one that ran it last, when the zone is down). */
  readonly hosts: CellHost[] = [];
  readonly health: CellHealth[];
  /** Each cell's stall detector. */
  readonly detectors: StallDetector[];
  /** Message of each cell's failure, if it failed. */
  readonly lastError: (string | undefined)[];
  /** Each cell's systems in tick order, as it reported them at start (metric labels). */
  readonly systems: string[][];
  /** The zone failed past its restart budget and stays down. */
  lost = false;
  /** Restarts since the process started (restartTimes keeps only the budget's last minute). */
  restarts = 0;
  /** Why the zone is being taken down on purpose (its released cells report this, not the broken barrier). */
  failing: string | undefined;
  /** The last restart's record. */
  lastRestart: RestartRecord | undefined;
  /** When the zone's current failure began (Date.now() ms; a stall: the stalled cell's last heartbeat); undefined while it runs. */
  failedAt: number | undefined;

  constructor(launch: ZoneLaunch, limits: StallLimits = { stuckAfterMs: DEFAULT_STUCK_MS, loopCpuMs: DEFAULT_LOOP_CPU_MS, hangAfterMs: DEFAULT_HANG_MS }) {
    this.spec = launch.spec;
    this.launch = launch;
    this.init = allocateZoneMemory(launch.spec, launch.map, launch.ringSizes);
    this.views = new ZoneViews(this.init);
    const n = this.views.geometry.cellCount;
    this.health = new Array<CellHealth>(n).fill('starting');
    this.detectors = Array.from({ length: n }, () => new StallDetector(limits));
    this.lastError = new Array<string | undefined>(n).fill(undefined);
    this.exited = new Array<boolean>(n).fill(false);
    this.systems = Array.from({ length: n }, () => []);
  }

  /** The cells' worker threads. */
  get workers(): Worker[] {
    return this.hosts.map((h) => h.worker);
  }

  tickOf(cell: number): number {
    return Atomics.load(this.views.control, this.views.cellWord(cell, CellControl.tick));
  }

  /** Whether the cell says it is inside a tick (its tick loop's CellControl.inTick). */
  inTick(cell: number): boolean {
    return Atomics.load(this.views.control, this.views.cellWord(cell, CellControl.inTick)) !== 0;
  }
}

