import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { keepWasmImportWrappersGeneric } from '../shared/wasm-wrappers.ts';
import { addEncoded, createLatencyHistogram, type LatencyHistogram } from './latency.ts';
import type { BotCounters, BotWorkerInit, CollectedWindow, FromWorker, IntervalStats, ToWorker } from './messages.ts';
import { loadFightBook } from './fight-book.ts';
import { loadWorldBook } from './world-book.ts';
import { chatRateOf, httpBase, playUrl, type BotOptions } from './options.ts';

const WORKER_ENTRY = new URL('./bot-worker.ts', import.meta.url);
/** How long the fleet waits for every worker to answer 'window' or 'collect'. */
const REPLY_TIMEOUT_MS = 15_000;

/** Counters summed over every worker since the fleet started. */
export type FleetCounters = BotCounters;

function zeroCounters(): FleetCounters {
  return { welcomed: 0, failed: {}, disconnects: {}, errors: {}, snapshots: 0, zoneChanges: 0, notices: {}, combat: {}, quests: {}, items: {}, framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0 };
}

function addMap(into: Record<string, number>, from: Record<string, number>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k];
}

export function sumMap(m: Record<string, number>): number {
  let t = 0;
  for (const k in m) t += m[k];
  return t;
}

function subMap(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in a) {
    const v = a[k] - (b[k] ?? 0);
    if (v !== 0) out[k] = v;
  }
  return out;
}

/** `a - b` for every counter (what happened between two readings). */
export function countersDelta(a: FleetCounters, b: FleetCounters): FleetCounters {
  return {
    welcomed: a.welcomed - b.welcomed,
    failed: subMap(a.failed, b.failed),
    disconnects: subMap(a.disconnects, b.disconnects),
    errors: subMap(a.errors, b.errors),
    snapshots: a.snapshots - b.snapshots,
    zoneChanges: a.zoneChanges - b.zoneChanges,
    notices: subMap(a.notices, b.notices),
    combat: subMap(a.combat, b.combat),
    quests: subMap(a.quests, b.quests),
    items: subMap(a.items, b.items),
    framesIn: a.framesIn - b.framesIn,
    bytesIn: a.bytesIn - b.bytesIn,
    framesOut: a.framesOut - b.framesOut,
    bytesOut: a.bytesOut - b.bytesOut,
  };
}

/** The histograms of one period, merged over every worker. */
export class LatencySet {
  readonly ping: LatencyHistogram = createLatencyHistogram();
  readonly input: LatencyHistogram = createLatencyHistogram();
  readonly gap: LatencyHistogram = createLatencyHistogram();
  readonly join: LatencyHistogram = createLatencyHistogram();
  loopDelayP99Max = 0;
  loopUtilisationMax = 0;
  /** CPU time of the bot worker threads, ms. */
  workerCpuMs = 0;

  add(s: IntervalStats): void {
    this.workerCpuMs += s.cpuMs;
    addEncoded(this.ping, s.ping);
    addEncoded(this.input, s.input);
    addEncoded(this.gap, s.gap);
    addEncoded(this.join, s.join);
    if (s.loopDelayP99 > this.loopDelayP99Max) this.loopDelayP99Max = s.loopDelayP99;
    if (s.loopUtilisation > this.loopUtilisationMax) this.loopUtilisationMax = s.loopUtilisation;
  }

  reset(): void {
    this.ping.reset();
    this.input.reset();
    this.gap.reset();
    this.join.reset();
    this.loopDelayP99Max = 0;
    this.loopUtilisationMax = 0;
    this.workerCpuMs = 0;
  }
}

function addStats(t: FleetCounters, s: IntervalStats): void {
  t.welcomed += s.welcomed;
  addMap(t.failed, s.failed);
  addMap(t.disconnects, s.disconnects);
  addMap(t.errors, s.errors);
  t.snapshots += s.snapshots;
  t.zoneChanges += s.zoneChanges;
  addMap(t.notices, s.notices);
  addMap(t.combat, s.combat);
  addMap(t.quests, s.quests);
  addMap(t.items, s.items);
  t.framesIn += s.framesIn;
  t.bytesIn += s.bytesIn;
  t.framesOut += s.framesOut;
  t.bytesOut += s.bytesOut;
}

/**
 * The bots of one run, spread over worker threads. The main thread only
 * adds up what the workers report; it never touches a bot socket.
 *
 * Figures come in three periods: `total` (since start), the window (since
 * markWindow(): the bench's steady-state measurement; each worker's stats
 * count towards it only after that worker confirmed the start, so nothing
 * from before leaks in) and `recent` (reset by whoever prints progress).
 */
export class BotFleet extends EventEmitter {
  readonly options: BotOptions;
  readonly total: FleetCounters = zeroCounters();
  readonly window = new LatencySet();
  readonly recent = new LatencySet();
  /** Join times of every bot of the run (joins mostly happen before any window). */
  readonly join: LatencyHistogram = createLatencyHistogram();
  windowStartedAt = Date.now();
  windowTotals: FleetCounters = zeroCounters();
  windowCpu: NodeJS.CpuUsage = process.cpuUsage();
  /** Bots handed to workers so far. */
  spawned = 0;
  private readonly workers: Worker[] = [];
  private readonly open: number[];
  private readonly connecting: number[];
  private readonly inWindow: boolean[];
  private windowAcks = 0;
  private windowResolve: (() => void) | null = null;
  private nextCollect = 1;
  private readonly pending = new Map<number, { parts: CollectedWindow[]; resolve: (w: CollectedWindow) => void }>();

  constructor(options: BotOptions, statsEveryMs = 1000) {
    super();
    this.options = options;
    const n = Math.max(1, options.workers);
    this.open = new Array<number>(n).fill(0);
    this.connecting = new Array<number>(n).fill(0);
    this.inWindow = new Array<boolean>(n).fill(false);
    // Fighters learn the content's hostile NPCs and skills once, here; every worker gets a copy.
    const fightBook = options.behavior !== 'wander' && options.content ? loadFightBook(options.content) : null;
    // Questers and looters learn the world's maps, quests and items the same way.
    const worldBook = options.behavior !== 'wander' && options.content ? loadWorldBook(options.content) : null;
    for (let i = 0; i < n; i++) {
      const init: BotWorkerInit = {
        worker: i,
        playUrl: playUrl(options.url),
        httpBase: httpBase(options.url),
        guests: options.guests,
        behavior: options.behavior,
        hunt: options.hunt,
        inputHz: options.inputHz,
        pingHz: options.pingHz,
        chatPerMinute: chatRateOf(options),
        prefix: options.prefix,
        seed: options.seed,
        statsEveryMs,
        localAddress: options.localAddress,
        fightBook,
        worldBook,
      };
      keepWasmImportWrappersGeneric();
      const w = new Worker(WORKER_ENTRY, { workerData: init, name: `bots-${i}` });
      w.on('message', (m: FromWorker) => this.onMessage(m));
      w.on('error', (err) => this.emit('error', err));
      this.workers.push(w);
    }
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'stats':
      case 'stopped': {
        const s = m.stats;
        this.open[s.worker] = s.open;
        this.connecting[s.worker] = s.connecting;
        addStats(this.total, s);
        if (this.inWindow[s.worker]) {
          addStats(this.windowTotals, s);
          this.window.add(s);
        }
        this.recent.add(s);
        addEncoded(this.join, s.join);
        if (m.type === 'stopped') this.emit('workerStopped', s.worker);
        else this.emit('stats', s);
        break;
      }
      case 'windowStarted':
        this.inWindow[m.worker] = true;
        if (++this.windowAcks === this.workers.length && this.windowResolve) {
          this.windowResolve();
          this.windowResolve = null;
        }
        break;
      case 'collected': {
        const p = this.pending.get(m.id);
        if (!p) return;
        p.parts.push(m.window);
        if (p.parts.length === this.workers.length) this.finishCollect(m.id);
        break;
      }
    }
  }

  /** Resolves collection `id` with the parts that arrived (all of them, unless a worker stopped answering). */
  private finishCollect(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve({
      seconds: p.parts.length > 0 ? Math.max(...p.parts.map((x) => x.seconds)) : 0,
      snapshotsPerSecond: p.parts.flatMap((x) => x.snapshotsPerSecond),
      bytesInPerSecond: p.parts.flatMap((x) => x.bytesInPerSecond),
      bytesOutPerSecond: p.parts.flatMap((x) => x.bytesOutPerSecond),
      questsAccepted: p.parts.flatMap((x) => x.questsAccepted),
      questsCompleted: p.parts.flatMap((x) => x.questsCompleted),
    });
  }

  private sendAll(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  /** Starts `n` more bots, evenly spread over `overMs` (round-robin over the workers). */
  spawn(n: number, overMs: number): void {
    const per: number[][] = this.workers.map(() => []);
    for (let k = 0; k < n; k++) per[(this.spawned + k) % this.workers.length].push(this.spawned + k);
    this.spawned += n;
    this.workers.forEach((w, i) => {
      if (per[i].length > 0) w.postMessage({ type: 'spawn', indices: per[i], overMs } satisfies ToWorker);
    });
  }

  /** Bots with a live, welcomed connection (as of each worker's last report). */
  get openNow(): number {
    return this.open.reduce((a, b) => a + b, 0);
  }

  get connectingNow(): number {
    return this.connecting.reduce((a, b) => a + b, 0);
  }

  /** Starts a measurement window: histograms, counters and per-bot figures from now on. */
  markWindow(): Promise<void> {
    this.window.reset();
    this.windowTotals = zeroCounters();
    this.inWindow.fill(false);
    this.windowAcks = 0;
    this.windowStartedAt = Date.now();
    this.windowCpu = process.cpuUsage();
    const started = new Promise<void>((resolve) => {
      // A worker that does not confirm in time (stuck, dead) must not hang the run; its stats then stay out of the window.
      const timer = setTimeout(() => {
        this.windowResolve = null;
        this.emit('error', new Error(`only ${this.windowAcks} of ${this.workers.length} bot workers confirmed the window`));
        resolve();
      }, REPLY_TIMEOUT_MS);
      this.windowResolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.sendAll({ type: 'window' });
    return started;
  }

  /** Cores this bot process (all threads) used since markWindow(). */
  windowCpuCores(): number {
    const s = this.windowCpuSplit();
    return s.userCores + s.kernelCores;
  }

  /** The same, split into user mode and the kernel (the sockets' system calls). */
  windowCpuSplit(): { userCores: number; kernelCores: number } {
    const d = process.cpuUsage(this.windowCpu);
    const secs = (Date.now() - this.windowStartedAt) / 1000;
    return secs > 0 ? { userCores: d.user / 1e6 / secs, kernelCores: d.system / 1e6 / secs } : { userCores: 0, kernelCores: 0 };
  }

  /** Per-bot snapshot and byte rates over the window, from every worker. */
  collect(): Promise<CollectedWindow> {
    const id = this.nextCollect++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        if (!p) return;
        this.emit('error', new Error(`only ${p.parts.length} of ${this.workers.length} bot workers answered the collection`));
        this.finishCollect(id);
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, {
        parts: [],
        resolve: (w) => {
          clearTimeout(timer);
          resolve(w);
        },
      });
      this.sendAll({ type: 'collect', id });
    });
  }

  /** Closes every bot (code 1000), then ends the workers. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      let n = 0;
      const on = (): void => {
        if (++n === this.workers.length) {
          this.off('workerStopped', on);
          resolve();
        }
      };
      this.on('workerStopped', on);
    });
    this.sendAll({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
