/**
 * Cell host threads (workers/cell.ts) as the supervisor sees them, and its
 * one spare.
 *
 * A host loads the cell code once and runs one cell at a time. When a
 * cell fails, its zone's other cells are released by the broken barrier
 * and their hosts wait, warm, for the restart; the failed cell's place goes
 * to the spare, a host started with no cell that has already loaded the
 * code. So a zone restart pays building the cells from the shared store
 * (tens of ms), not starting threads and loading code (0.4–0.7 s each on a
 * quiet 2-core box, seconds on a loaded one). One spare per process, not
 * per zone: it costs a thread's heap (bench/cell-resume.bench.ts measures
 * it), and two zones failing at once is rare; a cell that finds no spare
 * gets a new host, the slow way. The spare is replaced after a restart
 * used it, and after it dies on its own (within a budget).
 */
import { EventEmitter } from 'node:events';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { CellHostCommand, CellHostData, CellReport, CellWorkerData } from '../../shared/cell-contract.ts';
import type { Logger } from '../log.ts';
import { keepWasmImportWrappersGeneric } from '../../shared/wasm-wrappers.ts';

const CELL_ENTRY = new URL('../../workers/cell.ts', import.meta.url);

/** loading: the code is not loaded yet; idle: waits for a cell; running: runs one; exited: the thread is gone. */
export type HostState = 'loading' | 'idle' | 'running' | 'exited';

/** How a restarted cell got its thread: its own host kept warm, the spare, or a new one. */
export type HostSource = 'warm' | 'spare' | 'cold';

/** One cell host thread. Its reports reach whoever listens to `worker`. */
export class CellHost {
  readonly worker: Worker;
  state: HostState = 'loading';
  /** Resolves when the host has loaded its code (or exited: check `state`). */
  readonly loaded: Promise<void>;
  /** Its last thread error, if any (an 'error' must always have a listener, or it would take the process down). */
  lastError: Error | undefined;

  /** `limits`: the thread's V8 heap limits (the young generation: CELL_YOUNG_GENERATION_MB, main/memory-config.ts). */
  constructor(data: CellHostData, name: string, limits?: ResourceLimits) {
    keepWasmImportWrappersGeneric();
    this.worker = new Worker(CELL_ENTRY, { workerData: data, name, resourceLimits: limits });
    this.loaded = new Promise<void>((resolve) => {
      this.worker.on('message', (r: CellReport) => {
        if (r.type === 'ready') {
          if (this.state === 'loading') this.state = 'idle';
          resolve();
        } else if (r.type === 'released') {
          this.state = 'idle';
        }
      });
      this.worker.once('exit', () => {
        this.state = 'exited';
        resolve();
      });
    });
    this.worker.on('error', (err) => {
      this.lastError = err;
    });
  }

  /** Gives it a cell. A host still loading takes it once loaded (messages queue). */
  run(data: CellWorkerData): void {
    if (this.state === 'running' || this.state === 'exited') throw new Error(`a ${this.state} cell host cannot take a cell`);
    this.state = 'running';
    this.post({ type: 'run', data });
  }

  /** Asks an idle host to end; terminates it when it has not within `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    if (this.state === 'exited') return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    if (this.state === 'running') {
      await this.worker.terminate();
      return;
    }
    this.post({ type: 'quit' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    if ((await Promise.race([exited, late])) === 'late') await this.worker.terminate();
    clearTimeout(timer);
  }

  /** CPU time the thread has used, ms (user + system). */
  async cpuMs(): Promise<number> {
    const u = await this.worker.cpuUsage();
    return (u.user + u.system) / 1000;
  }

  private post(m: CellHostCommand): void {
    this.worker.postMessage(m);
  }
}

export interface SpareOptions {
  /** At most this many spares may die on their own in a minute; past it no spare is kept (and it is said). */
  maxDeathsPerMinute?: number;
  /** Wait before replacing a spare that died on its own. */
  respawnDelayMs?: number;
  /** The spare thread's V8 heap limits, as every cell host's. */
  limits?: ResourceLimits;
}

/**
 * The process's one spare host. take() hands it over (a spare still
 * loading is handed over too: it takes its cell once loaded, sooner than
 * a new one); replenish() starts a new one when there is none. Emits
 * 'ready' (a spare loaded its code), 'died' (a spare exited on its own).
 */
export class SpareHost extends EventEmitter {
  private readonly log: Logger;
  private readonly data: CellHostData;
  private readonly maxDeathsPerMinute: number;
  private readonly respawnDelayMs: number;
  private readonly limits: ResourceLimits | undefined;
  private spare: CellHost | undefined;
  private respawnTimer: NodeJS.Timeout | undefined;
  private readonly deaths: number[] = [];
  private closed = false;
  private made = 0;
  /** Spares handed over so far. */
  taken = 0;

  constructor(log: Logger, data: CellHostData, o: SpareOptions = {}) {
    super();
    this.log = log;
    this.data = data;
    this.maxDeathsPerMinute = o.maxDeathsPerMinute ?? 3;
    this.respawnDelayMs = o.respawnDelayMs ?? 1000;
    this.limits = o.limits;
  }

  /** The spare's thread, while there is one (memory metrics, tests). */
  get worker(): Worker | undefined {
    return this.spare?.worker;
  }

  /** The spare's state, or undefined when there is none. */
  get state(): HostState | undefined {
    return this.spare?.state;
  }

  /** Starts a spare when there is none (and spares are not given up or closed). */
  replenish(): void {
    if (this.closed || this.spare || this.respawnTimer || this.givenUp()) return;
    const t0 = performance.now();
    const host = new CellHost(this.data, `cell-spare-${++this.made}`, this.limits);
    this.spare = host;
    void host.loaded.then(() => {
      if (host.state !== 'idle' || this.spare !== host) return;
      this.log.info({ loadMs: Math.round(performance.now() - t0) }, 'spare cell host ready');
      this.emit('ready', host);
    });
    host.worker.once('exit', (code) => {
      if (this.spare !== host || this.closed) return;
      // Died while waiting (or loading): not a cell's failure, but a spare must come back.
      this.spare = undefined;
      this.deaths.push(Date.now());
      this.log.error({ code, err: host.lastError }, 'the spare cell host died; replacing it');
      this.emit('died', host);
      if (this.givenUp()) {
        this.log.error({ deaths: this.deaths.length }, 'spare cell hosts keep dying; running without one (restarts start new threads)');
        return;
      }
      this.respawnTimer = setTimeout(() => {
        this.respawnTimer = undefined;
        this.replenish();
      }, this.respawnDelayMs);
      this.respawnTimer.unref();
    });
  }

  /** Hands the spare over, if there is one alive; the caller calls replenish() when it is a good time. */
  take(): CellHost | undefined {
    const host = this.spare;
    if (!host || host.state === 'exited' || host.state === 'running') return undefined;
    this.spare = undefined;
    this.taken++;
    return host;
  }

  /** Ends the spare and keeps none from now on. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    clearTimeout(this.respawnTimer);
    this.respawnTimer = undefined;
    const host = this.spare;
    this.spare = undefined;
    await host?.close(timeoutMs);
  }

  private givenUp(): boolean {
    const now = Date.now();
    while (this.deaths.length > 0 && now - this.deaths[0] > 60_000) this.deaths.shift();
    return this.deaths.length >= this.maxDeathsPerMinute;
  }
}
