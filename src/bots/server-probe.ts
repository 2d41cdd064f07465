import { readFile } from 'node:fs/promises';
import { parseProcStat } from './proc-stat.ts';
import { bucketsDelta, bucketsFractionBelow, bucketsQuantile, bucketsTotal, Scrape, type HistogramBuckets } from './prom-parse.ts';

/** Metric names the server exports (issue 2 and the metrics issue). */
export const ServerMetric = {
  tick: 'tessera_tick_duration_seconds',
  overruns: 'tessera_tick_overruns_total',
  cpu: 'process_cpu_seconds_total',
  rss: 'process_resident_memory_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  external: 'nodejs_external_memory_bytes',
  aoi: 'tessera_aoi_entities',
  loopDelay: 'tessera_event_loop_delay_seconds',
  loopDelayMax: 'tessera_event_loop_delay_max_seconds',
  skips: 'tessera_gate_backpressure_skips_total',
  kicks: 'tessera_gate_backpressure_kicks_total',
  gateBytes: 'tessera_gate_bytes_total',
  gateMessages: 'tessera_gate_messages_total',
} as const;

/** Phase label values tried, in order, for "the whole tick's work". */
const WHOLE_TICK_PHASES = ['tick', 'total'];

/** One reading of the server: a /metrics scrape, else /proc of its pid. */
export interface ServerSample {
  at: number;
  source: 'metrics' | 'proc' | 'none';
  scrape: Scrape | null;
  cpuSeconds: number | null;
  rssBytes: number | null;
  /** Why the richer source was not used, when it was not. */
  note: string;
}

/** Server figures over the time between two samples. */
export interface ServerFigures {
  source: 'metrics' | 'proc' | 'none';
  note: string;
  seconds: number;
  tick: TickFigures | null;
  /** Cores busy on average (CPU seconds per wall second). */
  cpuCores: number | null;
  rssBytes: number | null;
  /**
   * The coordinator thread's live JS heap plus its external memory (buffers,
   * the zone's SharedArrayBuffers) at the end: steadier than RSS, which keeps
   * whatever the allocator once took. Worker threads' own heaps are not in it.
   */
  heapAndExternalBytes: number | null;
  /** Gate and replication figures over the period (null without /metrics). */
  gate: GateFigures | null;
}

export interface GateFigures {
  /** Entities in a player's view, mean over the period (the replicate phase's histogram). */
  aoiMean: number | null;
  /** The coordinator thread's event-loop delay p99 (its own rolling window), ms. */
  loopDelayP99Ms: number | null;
  /** Its mean over the period (the summary's _sum and _count), and the longest delay of the window the last scrape saw, ms. */
  loopDelayMeanMs: number | null;
  loopDelayMaxMs: number | null;
  /** Snapshots not sent to clients over their send-buffer bound, and clients closed for it. */
  backpressureSkips: number | null;
  backpressureKicks: number | null;
  /** Bytes and frames per second the gate sent (all connections). */
  bytesOutPerSecond: number | null;
  messagesOutPerSecond: number | null;
}

export interface TickFigures {
  /** Phase label the figures are read from. */
  phase: string;
  budgetMs: number;
  /** Over every cell's ticks together. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** The worst cell's p99: a slow cell holds the whole zone back. */
  worstCellP99Ms: number | null;
  /** Fraction of ticks (worst cell) that fit in the budget; exact when the budget is a bucket edge. */
  worstCellWithinBudget: number | null;
  ticks: number;
  overruns: number | null;
  cells: { zone: string; cell: string; p99Ms: number | null; ticks: number }[];
}

/** Reads the server's figures: /metrics when it answers, /proc/<pid> otherwise. */
export class ServerProbe {
  readonly metricsUrl: string;
  readonly pid: number | null;
  private readonly clockTicks: number;

  constructor(httpBase: string, pid: number | null = null, clockTicksPerSecond = 100) {
    this.metricsUrl = `${httpBase.replace(/\/$/, '')}/metrics`;
    this.pid = pid;
    this.clockTicks = clockTicksPerSecond;
  }

  async sample(): Promise<ServerSample> {
    const at = Date.now();
    let note = '';
    try {
      const res = await fetch(this.metricsUrl, { signal: AbortSignal.timeout(5000) });
      if (res.ok) {
        const scrape = Scrape.parse(await res.text(), at);
        if (scrape.has(ServerMetric.cpu) || scrape.has(`${ServerMetric.tick}_bucket`)) {
          const proc = this.pid !== null && !scrape.has(ServerMetric.rss) ? await this.readProc() : null;
          return {
            at,
            source: 'metrics',
            scrape,
            cpuSeconds: scrape.sum(ServerMetric.cpu) ?? proc?.cpuSeconds ?? null,
            rssBytes: scrape.sum(ServerMetric.rss) ?? proc?.rssBytes ?? null,
            note: '',
          };
        }
        note = '/metrics has none of the expected series';
      } else {
        note = `/metrics answered ${res.status}`;
      }
    } catch (err) {
      note = `/metrics unreachable (${(err as Error).message})`;
    }
    if (this.pid !== null) {
      const proc = await this.readProc();
      if (proc) return { at, source: 'proc', scrape: null, ...proc, note: `${note}; CPU and RSS from /proc/${this.pid}, no tick figures` };
    }
    return { at, source: 'none', scrape: null, cpuSeconds: null, rssBytes: null, note };
  }

  private async readProc(): Promise<{ cpuSeconds: number; rssBytes: number } | null> {
    try {
      const [stat, status] = await Promise.all([readFile(`/proc/${this.pid}/stat`, 'utf8'), readFile(`/proc/${this.pid}/status`, 'utf8')]);
      return parseProc(stat, status, this.clockTicks);
    } catch {
      return null;
    }
  }
}

/** CPU seconds (utime + stime) and RSS of a process from its /proc stat and status texts. */
export function parseProc(stat: string, status: string, clockTicksPerSecond = 100): { cpuSeconds: number; rssBytes: number } | null {
  const s = parseProcStat(stat);
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!s || !m) return null;
  return { cpuSeconds: (s.userTicks + s.systemTicks) / clockTicksPerSecond, rssBytes: Number(m[1]) * 1024 };
}

/** The server's figures between two samples (tick percentiles of that period only). */
export function serverFigures(a: ServerSample, b: ServerSample, budgetMs = 50): ServerFigures {
  const seconds = (b.at - a.at) / 1000;
  const cpuCores = a.cpuSeconds !== null && b.cpuSeconds !== null && seconds > 0 ? (b.cpuSeconds - a.cpuSeconds) / seconds : null;
  return {
    source: b.source,
    note: b.note,
    seconds,
    tick: b.scrape ? tickFigures(a.scrape, b.scrape, budgetMs) : null,
    cpuCores,
    rssBytes: b.rssBytes,
    heapAndExternalBytes: heapAndExternal(b.scrape),
    gate: b.scrape ? gateFigures(a.scrape, b.scrape, seconds) : null,
  };
}

function heapAndExternal(s: Scrape | null): number | null {
  const heap = s?.sum(ServerMetric.heapUsed) ?? null;
  const ext = s?.sum(ServerMetric.external) ?? null;
  return heap === null ? null : heap + (ext ?? 0);
}

function gateFigures(a: Scrape | null, b: Scrape, seconds: number): GateFigures {
  const delta = (name: string, match: Record<string, string> = {}): number | null => {
    const later = b.sum(name, match);
    if (later === null) return null;
    return later - (a?.sum(name, match) ?? 0);
  };
  const aoiSum = delta(`${ServerMetric.aoi}_sum`);
  const aoiCount = delta(`${ServerMetric.aoi}_count`);
  const loop = b.sum(ServerMetric.loopDelay, { quantile: '0.99' });
  const loopSum = delta(`${ServerMetric.loopDelay}_sum`);
  const loopCount = delta(`${ServerMetric.loopDelay}_count`);
  const loopMax = b.sum(ServerMetric.loopDelayMax);
  const bytesOut = delta(ServerMetric.gateBytes, { direction: 'out' });
  const msgsOut = delta(ServerMetric.gateMessages, { direction: 'out' });
  const rate = (v: number | null): number | null => (v === null || !(seconds > 0) ? null : Math.round(v / seconds));
  return {
    aoiMean: aoiSum !== null && aoiCount ? Math.round((aoiSum / aoiCount) * 10) / 10 : null,
    loopDelayP99Ms: loop === null ? null : Math.round(loop * 1e5) / 100,
    loopDelayMeanMs: loopSum !== null && loopCount ? Math.round((loopSum / loopCount) * 1e5) / 100 : null,
    loopDelayMaxMs: loopMax === null ? null : Math.round(loopMax * 1e5) / 100,
    backpressureSkips: delta(ServerMetric.skips),
    backpressureKicks: delta(ServerMetric.kicks),
    bytesOutPerSecond: rate(bytesOut),
    messagesOutPerSecond: rate(msgsOut),
  };
}

function tickFigures(a: Scrape | null, b: Scrape, budgetMs: number): TickFigures | null {
  const name = ServerMetric.tick;
  if (!b.has(`${name}_bucket`)) return null;
  const phases = b.labelValues(`${name}_bucket`, 'phase');
  let phase = WHOLE_TICK_PHASES.find((p) => phases.includes(p)) ?? '';
  const ms = (s: number | null): number | null => (s === null ? null : Math.round(s * 1e6) / 1e3);
  type CellRow = TickFigures['cells'][number] & { buckets: HistogramBuckets };
  const cellsOf = (p: string): CellRow[] => {
    const out: CellRow[] = [];
    const keys = new Set<string>();
    for (const s of b.byName.get(`${name}_bucket`) ?? []) {
      if (p !== '' && s.labels.phase !== p) continue;
      keys.add(`${s.labels.zone ?? ''}\u0000${s.labels.cell ?? ''}`);
    }
    for (const key of [...keys].sort()) {
      const [zone, cell] = key.split('\u0000');
      const match: Record<string, string> = {};
      if (zone !== '') match.zone = zone;
      if (cell !== '') match.cell = cell;
      if (p !== '') match.phase = p;
      const later = b.histogram(name, match)!;
      const d = bucketsDelta(later, a?.histogram(name, match) ?? null);
      out.push({ zone, cell, p99Ms: ms(bucketsQuantile(d, 0.99)), ticks: bucketsTotal(d), buckets: d });
    }
    return out;
  };
  let cells = cellsOf(phase);
  if (phase === '' && phases.length > 0) {
    // No whole-tick series: use the phase whose worst cell is slowest.
    let worst = -1;
    for (const p of phases) {
      const c = cellsOf(p);
      const w = Math.max(...c.map((x) => x.p99Ms ?? -1));
      if (w > worst) {
        worst = w;
        phase = p;
        cells = c;
      }
    }
  }
  if (cells.length === 0) return null;
  // All cells together.
  const le = cells[0].buckets.le;
  const all: HistogramBuckets = { le, cumulative: le.map((_, i) => cells.reduce((t, c) => t + (c.buckets.cumulative[i] ?? 0), 0)) };
  let worstCell = cells[0];
  for (const c of cells) if ((c.p99Ms ?? -1) > (worstCell.p99Ms ?? -1)) worstCell = c;
  const overrunsB = b.sum(ServerMetric.overruns);
  const overrunsA = a?.sum(ServerMetric.overruns) ?? 0;
  return {
    phase: phase || '(none)',
    budgetMs,
    p50Ms: ms(bucketsQuantile(all, 0.5)),
    p99Ms: ms(bucketsQuantile(all, 0.99)),
    worstCellP99Ms: worstCell.p99Ms,
    worstCellWithinBudget: bucketsFractionBelow(worstCell.buckets, budgetMs / 1000),
    ticks: bucketsTotal(all),
    overruns: overrunsB === null ? null : overrunsB - overrunsA,
    cells: cells.map(({ zone, cell, p99Ms, ticks }) => ({ zone, cell, p99Ms, ticks })),
  };
}
