import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CellReport, CellWorkerData } from '../workers/cell.ts';
import { CellControl, CellState, ZoneControl } from '../shared/layout.ts';
import { allocateZoneMemory, ZoneViews, type RingSizes, type ZoneMemoryInit, type ZoneSpec } from '../shared/zone-memory.ts';
import type { Logger } from './log.ts';

const CELL_ENTRY = new URL('../workers/cell.ts', import.meta.url);

export interface ZoneLaunch {
  spec: ZoneSpec;
  /** Encoded binary map (content/map-format). */
  map: Uint8Array;
  ringSizes?: RingSizes;
  /** Extra cell options (wanderers, verification, free-running). */
  cell?: Omit<Partial<CellWorkerData>, 'zone' | 'cell'>;
}

export type CellHealth = 'starting' | 'running' | 'stuck' | 'failed' | 'stopped';

/** A running zone: its shared memory and one worker per cell. */
export class ZoneHandle {
  readonly spec: ZoneSpec;
  readonly init: ZoneMemoryInit;
  readonly views: ZoneViews;
  readonly workers: Worker[] = [];
  readonly health: CellHealth[];
  readonly lastTick: number[];
  readonly lastProgressAt: number[];
  /** Message of each cell's failure, if it failed. */
  readonly lastError: (string | undefined)[];

  constructor(launch: ZoneLaunch) {
    this.spec = launch.spec;
    this.init = allocateZoneMemory(launch.spec, launch.map, launch.ringSizes);
    this.views = new ZoneViews(this.init);
    const n = this.views.geometry.cellCount;
    this.health = new Array<CellHealth>(n).fill('starting');
    this.lastTick = new Array<number>(n).fill(0);
    this.lastProgressAt = new Array<number>(n).fill(Date.now());
    this.lastError = new Array<string | undefined>(n).fill(undefined);
  }

  tickOf(cell: number): number {
    return Atomics.load(this.views.control, this.views.cellWord(cell, CellControl.tick));
  }
}

/**
 * Starts the zone cells on worker threads, waits until they tick, watches
 * their tick counters and reports a stuck or dead cell ('health' events).
 */
export class CellSupervisor extends EventEmitter {
  readonly zones: ZoneHandle[] = [];
  private readonly log: Logger;
  private watchTimer: NodeJS.Timeout | undefined;
  /** A cell whose tick counter stands still this long is reported stuck. */
  readonly stuckAfterMs: number;

  constructor(log: Logger, stuckAfterMs = 2000) {
    super();
    this.log = log;
    this.stuckAfterMs = stuckAfterMs;
  }

  /** Starts every cell of every zone and resolves once all of them have ticked. */
  async start(launches: ZoneLaunch[], timeoutMs = 30_000): Promise<void> {
    const started: Promise<void>[] = [];
    for (const launch of launches) {
      const zone = new ZoneHandle(launch);
      this.zones.push(zone);
      for (let cell = 0; cell < zone.views.geometry.cellCount; cell++) {
        started.push(this.startCell(zone, cell, launch));
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

  private startCell(zone: ZoneHandle, cell: number, launch: ZoneLaunch): Promise<void> {
    const data: CellWorkerData = { ...launch.cell, zone: zone.init, cell };
    const worker = new Worker(CELL_ENTRY, { workerData: data, name: `zone${zone.spec.id}-cell${cell}` });
    zone.workers[cell] = worker;
    const clog = this.log.child({ zone: zone.spec.name, cell });
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (r: CellReport) => {
        if (r.type === 'started') {
          clog.info('cell started');
          this.waitFirstTick(zone, cell).then(resolve, reject);
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
      });
    });
  }

  private async waitFirstTick(zone: ZoneHandle, cell: number): Promise<void> {
    while (zone.tickOf(cell) === 0) {
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
        }
      }
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
      Atomics.store(zone.views.control, ZoneControl.stop, 1);
      for (let cell = 0; cell < zone.workers.length; cell++) {
        Atomics.notify(zone.views.control, zone.views.cellWord(cell, CellControl.wake));
        const w = zone.workers[cell];
        exits.push(
          new Promise<void>((resolve) => {
            if (zone.health[cell] === 'failed') {
              void w.terminate().then(() => resolve());
              return;
            }
            const t = setTimeout(() => {
              this.log.warn({ zone: zone.spec.name, cell }, 'cell did not stop in time; terminating');
              void w.terminate();
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
