import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CellReport, CellWorkerData, ReattachedPlayer } from '../../shared/cell-contract.ts';
import { CellControl, CellState, ZoneControl } from '../../shared/layout.ts';
import { allocateZoneMemory, ZoneViews, type RingSizes, type ZoneMemoryInit, type ZoneSpec } from '../../shared/zone-memory.ts';
import type { Logger } from '../log.ts';

const CELL_ENTRY = new URL('../../workers/cell.ts', import.meta.url);

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

/** A running zone: its shared memory and one worker per cell. */
export class ZoneHandle {
  readonly spec: ZoneSpec;
  readonly launch: ZoneLaunch;
  /** Workers that have exited since the zone (re)started. */
  readonly exited: boolean[];
  /** Times each zone restart happened, for the restart budget. */
  readonly restartTimes: number[] = [];
  stopping = false;
  /** Absolute time of the zone's tick grid, shared by its cells (and kept across restarts). */
  readonly tickOrigin = performance.timeOrigin + performance.now();
  readonly init: ZoneMemoryInit;
  readonly views: ZoneViews;
  readonly workers: Worker[] = [];
  readonly health: CellHealth[];
  readonly lastTick: number[];
  readonly lastProgressAt: number[];
  /** Message of each cell's failure, if it failed. */
  readonly lastError: (string | undefined)[];
  /** Each cell's systems in tick order, as it reported them at start (metric labels). */
  readonly systems: string[][];
  /** The zone failed past its restart budget and stays down. */
  lost = false;
  /** Restarts since the process started (restartTimes keeps only the budget's last minute). */
  restarts = 0;

  constructor(launch: ZoneLaunch) {
    this.spec = launch.spec;
    this.launch = launch;
    this.init = allocateZoneMemory(launch.spec, launch.map, launch.ringSizes);
    this.views = new ZoneViews(this.init);
    const n = this.views.geometry.cellCount;
    this.health = new Array<CellHealth>(n).fill('starting');
    this.lastTick = new Array<number>(n).fill(0);
    this.lastProgressAt = new Array<number>(n).fill(Date.now());
    this.lastError = new Array<string | undefined>(n).fill(undefined);
    this.exited = new Array<boolean>(n).fill(false);
    this.systems = Array.from({ length: n }, () => []);
  }

  tickOf(cell: number): number {
    return Atomics.load(this.views.control, this.views.cellWord(cell, CellControl.tick));
  }
}

/**
 * Starts the zone cells on worker threads, waits until they tick, watches
 * their tick counters and reports a stuck or dead cell ('health' events).
 * A cell stuck for `killStuckAfterMs` is terminated. When every cell of a
 * zone has exited after a failure it emits 'zoneDown'; the owner then calls
 * restartZone() (the gate knows which players to reattach).
 */
export class CellSupervisor extends EventEmitter {
  readonly zones: ZoneHandle[] = [];
  private readonly log: Logger;
  private watchTimer: NodeJS.Timeout | undefined;
  /** A cell whose tick counter stands still this long is reported stuck. */
  readonly stuckAfterMs: number;
  /** A stuck cell is terminated (and its zone restarted) after this long. */
  readonly killStuckAfterMs: number;
  /** At most this many zone restarts per minute; past it the zone stays down. */
  readonly maxRestartsPerMinute: number;
  /** A restarted zone whose cells have not all ticked by then counts as failed again. */
  readonly restartTimeoutMs: number;

  constructor(log: Logger, stuckAfterMs = 2000, killStuckAfterMs = 10_000, o: { maxRestartsPerMinute?: number; restartTimeoutMs?: number } = {}) {
    super();
    this.log = log;
    this.stuckAfterMs = stuckAfterMs;
    this.killStuckAfterMs = killStuckAfterMs;
    this.maxRestartsPerMinute = o.maxRestartsPerMinute ?? 5;
    this.restartTimeoutMs = o.restartTimeoutMs ?? 10_000;
  }

  /** Starts every cell of every zone and resolves once all of them have ticked. */
  async start(launches: ZoneLaunch[], timeoutMs = 30_000): Promise<void> {
    const started: Promise<void>[] = [];
    for (const launch of launches) {
      const zone = new ZoneHandle(launch);
      this.zones.push(zone);
      for (let cell = 0; cell < zone.views.geometry.cellCount; cell++) {
        started.push(this.startCell(zone, cell, {}));
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cells did not start ticking within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all(started), timeout]);
    } finally {
      clearTimeout(timer);
    }
    this.watchTimer = setInterval(() => this.watch(), 500);
    this.watchTimer.unref();
  }

  private startCell(zone: ZoneHandle, cell: number, extra: Partial<CellWorkerData>): Promise<void> {
    const data: CellWorkerData = { ...zone.launch.cell, ...extra, zone: zone.init, cell, tickOrigin: zone.tickOrigin };
    zone.exited[cell] = false;
    const tickBefore = zone.tickOf(cell);
    const worker = new Worker(CELL_ENTRY, { workerData: data, name: `zone${zone.spec.id}-cell${cell}` });
    zone.workers[cell] = worker;
    const clog = this.log.child({ zone: zone.spec.name, cell });
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (r: CellReport) => {
        if (r.type === 'started') {
          zone.systems[cell] = r.systems;
          clog.info({ systems: r.systems.length }, 'cell started');
          this.waitFirstTick(zone, cell, tickBefore).then(resolve, reject);
        } else if (r.type === 'failed') {
          clog.error({ err: r.stack }, `cell failed: ${r.message}`);
          zone.lastError[cell] = r.message;
          this.setHealth(zone, cell, 'failed');
          reject(new Error(`cell ${cell} of zone ${zone.spec.name} failed: ${r.message}`));
        } else if (r.type === 'stopped') {
          clog.info({ ticks: r.ticks }, 'cell stopped');
          this.setHealth(zone, cell, 'stopped');
        }
      });
      worker.on('error', (err) => {
        clog.error({ err }, 'cell worker error');
        this.setHealth(zone, cell, 'failed');
        zone.views.barrier.break();
        reject(err);
      });
      worker.on('exit', (code) => {
        if (zone.health[cell] !== 'stopped') {
          clog.error({ code }, 'cell worker exited unexpectedly');
          this.setHealth(zone, cell, 'failed');
          zone.views.barrier.break();
          reject(new Error(`cell ${cell} exited with code ${code}`));
        }
        zone.exited[cell] = true;
        if (!zone.stopping && zone.exited.every(Boolean) && zone.health.includes('failed')) {
          this.emit('zoneDown', zone);
        }
      });
    });
  }

  private async waitFirstTick(zone: ZoneHandle, cell: number, before: number): Promise<void> {
    while (zone.tickOf(cell) === before) {
      if (zone.health[cell] === 'failed') throw new Error(`cell ${cell} failed before its first tick`);
      await new Promise((r) => setTimeout(r, 5));
    }
    zone.lastProgressAt[cell] = Date.now();
    this.setHealth(zone, cell, 'running');
  }

  private setHealth(zone: ZoneHandle, cell: number, health: CellHealth): void {
    if (zone.health[cell] === health) return;
    zone.health[cell] = health;
    this.emit('health', { zone: zone.spec.name, cell, health });
  }

  /** Reads every cell's tick counter; a counter that stands still means stuck. */
  private watch(): void {
    const now = Date.now();
    for (const zone of this.zones) {
      for (let cell = 0; cell < zone.health.length; cell++) {
        const h = zone.health[cell];
        if (h === 'failed' || h === 'stopped' || h === 'starting') continue;
        const tick = zone.tickOf(cell);
        if (tick !== zone.lastTick[cell]) {
          zone.lastTick[cell] = tick;
          zone.lastProgressAt[cell] = now;
          if (h === 'stuck') {
            this.log.warn({ zone: zone.spec.name, cell, tick }, 'cell ticking again');
            this.setHealth(zone, cell, 'running');
          }
        } else if (h === 'running' && now - zone.lastProgressAt[cell] > this.stuckAfterMs) {
          this.log.error({ zone: zone.spec.name, cell, tick, stalledMs: now - zone.lastProgressAt[cell] }, 'cell stuck');
          this.setHealth(zone, cell, 'stuck');
        } else if (h === 'stuck' && now - zone.lastProgressAt[cell] > this.killStuckAfterMs) {
          this.log.error({ zone: zone.spec.name, cell, tick }, 'terminating stuck cell');
          zone.lastError[cell] = `stuck at tick ${tick}`;
          this.setHealth(zone, cell, 'failed');
          zone.views.barrier.break();
          void zone.workers[cell].terminate();
        }
      }
    }
  }

  /**
   * Restarts every cell of a zone that went down, from the state its shared
   * store still holds (the store outlives the workers): the barrier is
   * mended, half-consumed inbound and peer rings are discarded, and each new
   * cell adopts what the store says it owns, reattaching `players`.
   * Resolves when every cell ticks again; rejects past the restart budget.
   */
  async restartZone(zone: ZoneHandle, players: ReattachedPlayer[]): Promise<void> {
    const now = Date.now();
    while (zone.restartTimes.length > 0 && now - zone.restartTimes[0] > 60_000) zone.restartTimes.shift();
    if (zone.restartTimes.length >= this.maxRestartsPerMinute) {
      zone.lost = true;
      throw new RestartBudgetError(zone.spec.name, zone.restartTimes.length);
    }
    if (!zone.exited.every(Boolean)) throw new Error(`zone ${zone.spec.name} still has running cells`);
    zone.restartTimes.push(now);
    zone.restarts++;
    const { views } = zone;
    const n = views.geometry.cellCount;
    views.barrier.reset();
    Atomics.store(views.control, ZoneControl.stopAgreed, 0);
    for (let c = 0; c < n; c++) {
      views.gateToCell(c).discard();
      for (let d = 0; d < n; d++) views.cellToCell(c, d)?.discard();
      Atomics.store(views.control, views.cellWord(c, CellControl.state), CellState.STARTING);
      zone.lastProgressAt[c] = now;
    }
    // Half-made slots of the dead cells go before any new cell allocates:
    // once one runs, a RESERVED slot may be its own spawn in progress.
    const swept = views.store.sweepReserved();
    this.log.warn({ zone: zone.spec.name, players: players.length, restarts: zone.restartTimes.length, swept }, 'restarting zone');
    const started = Promise.all(
      Array.from({ length: n }, (_, c) => {
        this.setHealth(zone, c, 'starting');
        return this.startCell(zone, c, { recover: { players } });
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`zone ${zone.spec.name} did not tick within ${this.restartTimeoutMs} ms of its restart`)), this.restartTimeoutMs);
    });
    try {
      await Promise.race([started, timeout]);
    } catch (err) {
      // A restart that hangs or fails is a failure like any other: its cells
      // are stopped, so the zone goes down again and is retried within the budget.
      started.catch(() => {});
      this.failZone(zone, (err as Error).message);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * An operator's restart (the admin console): every cell is stopped as if
   * it had failed, so the zone goes down and the owner's recovery
   * (zone-recovery.ts) brings it back with its players, within the same
   * restart budget as a crash. False when the zone is already down or
   * restarting.
   */
  restartOnPurpose(zone: ZoneHandle, why: string): boolean {
    if (!this.restartable(zone)) return false;
    this.log.warn({ zone: zone.spec.name, why }, 'zone restart asked for');
    this.failZone(zone, why);
    return true;
  }

  /** True when every cell of the zone runs (or is stuck), so an operator may restart it. */
  restartable(zone: ZoneHandle): boolean {
    return !zone.lost && !zone.stopping && !zone.exited.some(Boolean) && zone.health.every((h) => h === 'running' || h === 'stuck');
  }

  /** Marks every cell of a zone failed and terminates the workers still alive. */
  private failZone(zone: ZoneHandle, message: string): void {
    zone.views.barrier.break();
    for (let c = 0; c < zone.workers.length; c++) {
      if (zone.exited[c]) continue;
      zone.lastError[c] = message;
      this.setHealth(zone, c, 'failed');
      void zone.workers[c].terminate();
    }
  }

  /** True when every cell of every zone is running (ticking). */
  isReady(): boolean {
    return this.zones.length > 0 && this.zones.every((z) => z.health.every((h) => h === 'running'));
  }

  /** Asks every zone to stop after an agreed tick and waits for the workers to exit. */
  async stop(timeoutMs = 5000): Promise<void> {
    clearInterval(this.watchTimer);
    const exits: Promise<unknown>[] = [];
    for (const zone of this.zones) {
      zone.stopping = true;
      Atomics.store(zone.views.control, ZoneControl.stop, 1);
      for (let cell = 0; cell < zone.workers.length; cell++) {
        Atomics.notify(zone.views.control, zone.views.cellWord(cell, CellControl.wake));
        const w = zone.workers[cell];
        exits.push(
          new Promise<void>((resolve) => {
            if (zone.exited[cell]) return resolve();
            if (zone.health[cell] === 'failed') {
              void w.terminate().then(() => resolve());
              return;
            }
            const t = setTimeout(() => {
              this.log.warn({ zone: zone.spec.name, cell }, 'cell did not stop in time; terminating');
              void w.terminate().then(() => resolve());
            }, timeoutMs);
            w.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
        );
      }
    }
    await Promise.all(exits);
  }

  /** State word of a cell as the cell itself last wrote it. */
  cellState(zone: ZoneHandle, cell: number): number {
    return Atomics.load(zone.views.control, zone.views.cellWord(cell, CellControl.state)) as (typeof CellState)[keyof typeof CellState];
  }
}
