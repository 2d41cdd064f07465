import { EventEmitter } from 'node:events';
import type { ResourceLimits } from 'node:worker_threads';
import type { CellHostData, CellReport, CellWorkerData, ReattachedPlayer } from '../../shared/cell-contract.ts';
import { CellControl, CellState, ZoneControl } from '../../shared/layout.ts';
import type { Logger } from '../log.ts';
import { CellHost, SpareHost, type HostSource } from './cell-hosts.ts';
import type { StallLimits } from './stall-detector.ts';
import { StallWatch } from './stall-watch.ts';
import { DEFAULT_HANG_MS, DEFAULT_LOOP_CPU_MS, DEFAULT_STUCK_MS, RestartBudgetError, ZoneHandle, type CellHealth, type RestartRecord, type ZoneLaunch } from './zone-handle.ts';

export { DEFAULT_HANG_MS, DEFAULT_LOOP_CPU_MS, DEFAULT_STUCK_MS, RestartBudgetError, ZoneHandle, type CellHealth, type RestartRecord, type ZoneLaunch };

export interface SupervisorOptions {
  /** At most this many zone restarts per minute; past it the zone stays down. */
  maxRestartsPerMinute?: number;
  /** A restarted zone whose cells have not all ticked by then counts as failed again. */
  restartTimeoutMs?: number;
  /** CPU a cell may burn inside one tick without its heartbeat moving before it is terminated as looping (CELL_LOOP_CPU_MS). */
  loopCpuMs?: number;
  /** How often the cells' heartbeats are sampled, ms. */
  sampleMs?: number;
  /** Keep a spare cell host ready (default true; the server's is CELL_SPARE). */
  spare?: boolean;
  /** Each cell thread's V8 young generation, MB (CELL_YOUNG_GENERATION_MB); unset: V8's default. */
  youngGenerationMb?: number;
}

/**
 * Starts the zone cells on cell host threads, waits until they tick,
 * watches them with a stall detector each and reports a stuck or dead cell
 * ('health' events). A looping or hung cell is terminated. When every cell
 * of a zone has ended after a failure it emits 'zoneDown'; the owner then
 * calls restartZone() (the gate knows which players to reattach), which
 * reuses the zone's released hosts and the spare (cell-hosts.ts).
 */
export class CellSupervisor extends EventEmitter {
  readonly zones: ZoneHandle[] = [];
  private readonly log: Logger;
  private watch: StallWatch | undefined;
  /** A cell whose heartbeat stands still this long is reported stuck. */
  readonly stuckAfterMs: number;
  /** A cell whose heartbeat stood still this long, CPU or not, is terminated (and its zone restarted). */
  readonly killStuckAfterMs: number;
  /** A cell that burned this much CPU inside one tick with its heartbeat still is terminated at once. */
  readonly loopCpuMs: number;
  readonly sampleMs: number;
  /** At most this many zone restarts per minute; past it the zone stays down. */
  readonly maxRestartsPerMinute: number;
  /** A restarted zone whose cells have not all ticked by then counts as failed again. */
  readonly restartTimeoutMs: number;
  private readonly useSpare: boolean;
  private readonly threadLimits: ResourceLimits | undefined;
  /** The spare cell host (set by start()). */
  spare: SpareHost | undefined;
  private hostData: CellHostData = {};

  constructor(log: Logger, stuckAfterMs = DEFAULT_STUCK_MS, killStuckAfterMs = DEFAULT_HANG_MS, o: SupervisorOptions = {}) {
    super();
    this.log = log;
    this.stuckAfterMs = stuckAfterMs;
    this.killStuckAfterMs = killStuckAfterMs;
    this.loopCpuMs = o.loopCpuMs ?? DEFAULT_LOOP_CPU_MS;
    this.sampleMs = o.sampleMs ?? 100;
    this.maxRestartsPerMinute = o.maxRestartsPerMinute ?? 5;
    this.restartTimeoutMs = o.restartTimeoutMs ?? 10_000;
    this.useSpare = o.spare ?? true;
    this.threadLimits = o.youngGenerationMb === undefined ? undefined : { maxYoungGenerationSizeMb: o.youngGenerationMb };
  }

  private get limits(): StallLimits {
    // A hang is declared no sooner than a stuck report (callers that set only a long stuck time meant "leave it alone").
    return { stuckAfterMs: this.stuckAfterMs, loopCpuMs: this.loopCpuMs, hangAfterMs: Math.max(this.stuckAfterMs, this.killStuckAfterMs) };
  }

  /** Starts every cell of every zone and resolves once all of them have ticked; then readies the spare. */
  async start(launches: ZoneLaunch[], timeoutMs = 30_000): Promise<void> {
    this.hostData = hostDataOf(launches);
    const started: Promise<void>[] = [];
    for (const launch of launches) {
      const zone = new ZoneHandle(launch, this.limits);
      this.zones.push(zone);
      for (let cell = 0; cell < zone.views.geometry.cellCount; cell++) {
        started.push(this.startCell(zone, cell, this.newHost(zone, cell), {}));
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
    if (this.useSpare) {
      this.spare = new SpareHost(this.log, this.hostData, { limits: this.threadLimits });
      this.spare.replenish();
    }
    this.watch = new StallWatch(this.log, this, this.sampleMs);
    this.watch.start();
  }

  private newHost(zone: ZoneHandle, cell: number): CellHost {
    return new CellHost(this.hostData, `zone${zone.spec.id}-cell${cell}`, this.threadLimits);
  }

  /** Gives cell `cell` of `zone` to `host` and resolves at its first tick; rejects if its run ends first. */
  private startCell(zone: ZoneHandle, cell: number, host: CellHost, extra: Partial<CellWorkerData>): Promise<void> {
    const data: CellWorkerData = { ...zone.launch.cell, ...extra, zone: zone.init, cell, tickOrigin: zone.tickOrigin };
    zone.exited[cell] = false;
    const tickBefore = zone.tickOf(cell);
    zone.hosts[cell] = host;
    const worker = host.worker;
    const clog = this.log.child({ zone: zone.spec.name, cell });
    return new Promise<void>((resolve, reject) => {
      // This run's listeners: a released host goes on to other runs without them.
      const detach = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const ended = () => {
        zone.exited[cell] = true;
        if (!zone.stopping && zone.exited.every(Boolean) && zone.health.includes('failed')) this.emit('zoneDown', zone);
      };
      const onMessage = (r: CellReport) => {
        if (r.type === 'started') {
          zone.systems[cell] = r.systems;
          clog.info({ systems: r.systems.length }, 'cell started');
          this.waitFirstTick(zone, cell, tickBefore).then(resolve, reject);
        } else if (r.type === 'failed') {
          clog.error({ err: r.stack }, `cell failed: ${r.message}`);
          zone.lastError[cell] = r.message;
          this.setHealth(zone, cell, 'failed');
          reject(new Error(`cell ${cell} of zone ${zone.spec.name} failed: ${r.message}`));
        } else if (r.type === 'released') {
          // A peer failed: this cell's run ended, its thread waits warm for the restart.
          clog.warn(`cell released: ${zone.failing ?? r.message}`);
          zone.lastError[cell] = zone.failing ?? r.message;
          this.setHealth(zone, cell, 'failed');
          detach();
          reject(new Error(`cell ${cell} of zone ${zone.spec.name} was released: ${r.message}`));
          ended();
        } else if (r.type === 'stopped') {
          clog.info({ ticks: r.ticks }, 'cell stopped');
          this.setHealth(zone, cell, 'stopped');
        }
      };
      const onError = (err: Error) => {
        clog.error({ err }, 'cell worker error');
        this.setHealth(zone, cell, 'failed');
        zone.views.barrier.break();
        reject(err);
      };
      const onExit = (code: number) => {
        detach();
        if (zone.health[cell] !== 'stopped') {
          clog.error({ code }, 'cell worker exited unexpectedly');
          this.setHealth(zone, cell, 'failed');
          zone.views.barrier.break();
          reject(new Error(`cell ${cell} exited with code ${code}`));
        }
        ended();
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      host.run(data);
    });
  }

  private async waitFirstTick(zone: ZoneHandle, cell: number, before: number): Promise<void> {
    while (zone.tickOf(cell) === before) {
      if (zone.health[cell] === 'failed') throw new Error(`cell ${cell} failed before its first tick`);
      await new Promise((r) => setTimeout(r, 5));
    }
    zone.detectors[cell].reset(Date.now(), zone.tickOf(cell));
    this.setHealth(zone, cell, 'running');
  }

  /** Reports a cell's health ('health' event); the stall watch calls it too. */
  setHealth(zone: ZoneHandle, cell: number, health: CellHealth): void {
    if (zone.health[cell] === health) return;
    if (health === 'failed') zone.failedAt ??= Date.now();
    zone.health[cell] = health;
    this.emit('health', { zone: zone.spec.name, cell, health });
  }

  /** Terminates one cell (the stall watch's verdict): its peers are released by the broken barrier. */
  kill(zone: ZoneHandle, cell: number, why: string, stalledSince?: number): void {
    zone.failedAt ??= stalledSince;
    zone.lastError[cell] = why;
    this.setHealth(zone, cell, 'failed');
    zone.views.barrier.break();
    void zone.hosts[cell].worker.terminate();
  }

  /**
   * Restarts every cell of a zone that went down, from the state its shared
   * store still holds (the store outlives the threads): the barrier is
   * mended, half-consumed inbound and peer rings are discarded, and each
   * cell, on its own released host, the spare or (when neither is there) a
   * new one, adopts what the store says it owns, reattaching `players`.
   * Resolves when every cell ticks again; rejects past the restart budget.
   */
  async restartZone(zone: ZoneHandle, players: ReattachedPlayer[]): Promise<RestartRecord> {
    const now = Date.now();
    while (zone.restartTimes.length > 0 && now - zone.restartTimes[0] > 60_000) zone.restartTimes.shift();
    if (zone.restartTimes.length >= this.maxRestartsPerMinute) {
      zone.lost = true;
      // Nothing will run on its warm hosts any more.
      for (const host of zone.hosts) if (host.state === 'idle') void host.close(1000);
      throw new RestartBudgetError(zone.spec.name, zone.restartTimes.length);
    }
    if (!zone.exited.every(Boolean)) throw new Error(`zone ${zone.spec.name} still has running cells`);
    const t0 = performance.now();
    zone.restartTimes.push(now);
    zone.restarts++;
    zone.failing = undefined;
    const { views } = zone;
    const n = views.geometry.cellCount;
    views.barrier.reset();
    Atomics.store(views.control, ZoneControl.stopAgreed, 0);
    for (let c = 0; c < n; c++) {
      views.gateToCell(c).discard();
      for (let d = 0; d < n; d++) views.cellToCell(c, d)?.discard();
      Atomics.store(views.control, views.cellWord(c, CellControl.state), CellState.STARTING);
      Atomics.store(views.control, views.cellWord(c, CellControl.inTick), 0);
    }
    // Half-made slots of the dead cells go before any new cell allocates:
    // once one runs, a RESERVED slot may be its own spawn in progress.
    const swept = views.store.sweepReserved();
    const hosts: Record<HostSource, number> = { warm: 0, spare: 0, cold: 0 };
    const chosen = Array.from({ length: n }, (_, c) => {
      const own = zone.hosts[c];
      const [host, source]: [CellHost, HostSource] = own?.state === 'idle' ? [own, 'warm'] : this.fresh(zone, c);
      hosts[source]++;
      return host;
    });
    this.log.warn({ zone: zone.spec.name, players: players.length, restarts: zone.restartTimes.length, swept, hosts }, 'restarting zone');
    const started = Promise.all(
      chosen.map((host, c) => {
        this.setHealth(zone, c, 'starting');
        return this.startCell(zone, c, host, { recover: { players } });
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
      this.failZone(zone, (err as Error).message, true);
      throw err;
    } finally {
      clearTimeout(timer);
      // The spare's replacement loads its code now, off the way back.
      if (hosts.spare > 0 && !zone.stopping) this.spare?.replenish();
    }
    const sinceFailureMs = zone.failedAt === undefined ? 0 : Date.now() - zone.failedAt;
    zone.failedAt = undefined;
    zone.lastRestart = { hosts, ms: Math.round(performance.now() - t0), sinceFailureMs };
    return zone.lastRestart;
  }

  /** A host for a cell whose own is gone: the spare when there is one, a new one otherwise. */
  private fresh(zone: ZoneHandle, cell: number): [CellHost, HostSource] {
    const spare = this.spare?.take();
    return spare ? [spare, 'spare'] : [this.newHost(zone, cell), 'cold'];
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
    this.failZone(zone, why, false);
    return true;
  }

  /** True when every cell of the zone runs (or is stuck), so an operator may restart it. */
  restartable(zone: ZoneHandle): boolean {
    return !zone.lost && !zone.stopping && !zone.exited.some(Boolean) && zone.health.every((h) => h === 'running' || h === 'stuck');
  }

  /**
   * Takes a zone down: the barrier is broken, so every ticking cell is
   * released at its next tick and its host kept warm; a stuck cell, or all
   * of them with `terminate` (a restart that hung), is terminated, and so is
   * any cell not released within a second.
   */
  private failZone(zone: ZoneHandle, message: string, terminate: boolean): void {
    zone.failing = message;
    zone.views.barrier.break();
    const stragglers: CellHost[] = [];
    for (let c = 0; c < zone.hosts.length; c++) {
      if (zone.exited[c]) continue;
      zone.lastError[c] = message;
      const host = zone.hosts[c];
      if (terminate || zone.health[c] === 'stuck') void host.worker.terminate();
      else stragglers.push(host);
      this.setHealth(zone, c, 'failed');
    }
    if (stragglers.length === 0) return;
    setTimeout(() => {
      for (const host of stragglers) if (host.state === 'running') void host.worker.terminate();
    }, 1000).unref();
  }

  /** True when every cell of every zone is running (ticking). */
  isReady(): boolean {
    return this.zones.length > 0 && this.zones.every((z) => z.health.every((h) => h === 'running'));
  }

  /** Asks every zone to stop after an agreed tick, waits for the threads to exit and ends the spare. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.watch?.stop();
    const exits: Promise<unknown>[] = [this.spare?.close(timeoutMs) ?? Promise.resolve()];
    for (const zone of this.zones) {
      zone.stopping = true;
      Atomics.store(zone.views.control, ZoneControl.stop, 1);
      for (let cell = 0; cell < zone.hosts.length; cell++) {
        Atomics.notify(zone.views.control, zone.views.cellWord(cell, CellControl.wake));
        const host = zone.hosts[cell];
        const w = host.worker;
        exits.push(
          new Promise<void>((resolve) => {
            if (host.state === 'exited') return resolve();
            // Released (waiting warm for a restart that will not come), or failed: nothing to stop.
            if (zone.exited[cell] || zone.health[cell] === 'failed') {
              void host.close(timeoutMs).then(() => resolve());
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

/**
 * What every cell host thread is started with: the extra system modules of
 * every zone (loaded ahead, so the spare can run a cell of any zone) and the
 * fault flags, which are the process's.
 */
function hostDataOf(launches: ZoneLaunch[]): CellHostData {
  const preload = [...new Set(launches.flatMap((l) => l.cell?.systemModules ?? []))];
  const faultFlags = launches.find((l) => l.cell?.faultFlags)?.cell?.faultFlags;
  return { ...(preload.length ? { preload } : {}), ...(faultFlags ? { faultFlags } : {}) };
}
