import { summarise, type LatencyHistogram, type LatencySummary } from './latency.ts';
import type { CollectedWindow } from './messages.ts';
import { sumMap, type FleetCounters, type LatencySet } from './fleet.ts';
import type { BotOptions } from './options.ts';
import type { ServerFigures } from './server-probe.ts';

/** Spread of one per-bot figure over the bots. */
export interface Spread {
  bots: number;
  mean: number | null;
  min: number | null;
  p1: number | null;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * The load report. `connected` and `failed` come first and are plain
 * numbers so scripts can check them without knowing the rest.
 */
export interface BotReport {
  /** Bots that completed the handshake (got WELCOME). */
  connected: number;
  /** Bots that never did, for any reason (see failedByReason). */
  failed: number;
  target: number;
  /** Bots still connected when the window was read. */
  openAtEnd: number;
  /** Bots still logging in or joining when the window was read (neither connected nor failed yet). */
  joiningAtEnd: number;
  failedByReason: Record<string, number>;
  /** Connected bots that lost their connection before the end, by close code. */
  disconnects: number;
  disconnectsByReason: Record<string, number>;
  /** Frames the bots could not use (bad snapshot, unknown baseline, server ERROR). */
  errors: number;
  errorsByReason: Record<string, number>;
  /** ZONE_CHANGEs the bots followed (portals; a refused one sends a bot back with one too). */
  zoneChanges: number;
  /** NOTICEs the bots were told (not errors: a refused portal, stale content), by code name. */
  noticesByReason: Record<string, number>;
  /** Fighting bots over the run: actions sent, kills, experience gained, deaths, refused actions by reason. */
  combat: Record<string, number>;
  /** Questers over the run: quests accepted, completed, refused by reason (refused_*), and trouble on the way (no_route, stuck_replans, idle). */
  quests: Record<string, number>;
  /** Per quester playing at the end: quests accepted and completed since it started; null without questers. */
  questsPerBot: { accepted: Spread; completed: Spread } | null;
  /** Looters over the run: items picked up, equipped, potions drunk, refused requests by reason (refused_*). */
  items: Record<string, number>;
  startedAt: string;
  /** Seconds from the first bot's start to the report. */
  durationSeconds: number;
  /** Seconds the steady-state window covers (after the ramp). */
  windowSeconds: number;
  rttMs: { ping: LatencySummary; input: LatencySummary };
  /** Time between two snapshots of one bot: 50 ms at 20 Hz when nothing stalls. */
  snapshotGapMs: LatencySummary;
  /** Start of a bot (login included) to its WELCOME, over the whole run. */
  joinMs: LatencySummary;
  snapshotsPerSecondPerBot: Spread;
  /** WebSocket frame bytes (payload and frame header, no TCP/IP), per bot. */
  bytesPerSecondPerBot: { in: Spread; out: Spread };
  /** Frames per second over all bots in the window. */
  framesPerSecond: { in: number; out: number };
  /** The bot process itself: if it saturates, the latencies are the bots' own. */
  bots: {
    workers: number;
    /** The whole bot process (all threads). */
    cpuCores: number;
    /** Bot worker threads' CPU per frame sent or received, µs: the harness's own cost. */
    cpuMicrosPerFrame: number | null;
    loopDelayP99MaxMs: number;
    loopUtilisationMax: number;
    /** RSS of the bot process (every worker) at the end, and per bot started. */
    rssBytes: number;
    rssBytesPerBot: number | null;
  };
  server: ServerFigures | null;
  /** Problems of the harness itself (a bot worker that crashed or stopped answering). */
  warnings: string[];
  options: Omit<BotOptions, 'progress'>;
}

/** Mean, min, p1, p50, p99, max of `values` (nearest-rank percentiles). */
export function spread(values: readonly number[], round = 2): Spread {
  const n = values.length;
  if (n === 0) return { bots: 0, mean: null, min: null, p1: null, p50: null, p99: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  const r = (v: number): number => Math.round(v * 10 ** round) / 10 ** round;
  return { bots: n, mean: r(s.reduce((a, b) => a + b, 0) / n), min: r(s[0]), p1: r(at(0.01)), p50: r(at(0.5)), p99: r(at(0.99)), max: r(s[n - 1]) };
}

export interface ReportInput {
  options: BotOptions;
  total: FleetCounters;
  windowCounters: FleetCounters;
  latency: LatencySet;
  /** Join times over the whole run. */
  join: LatencyHistogram;
  collected: CollectedWindow;
  openAtEnd: number;
  joiningAtEnd: number;
  startedAt: Date;
  durationSeconds: number;
  botCpuCores: number;
  /** process.memoryUsage().rss of the bot process. */
  botRssBytes: number;
  workers: number;
  server: ServerFigures | null;
}

export function buildReport(i: ReportInput): BotReport {
  const failed = sumMap(i.total.failed);
  const secs = i.collected.seconds;
  const { progress: _progress, ...options } = i.options;
  return {
    connected: i.total.welcomed,
    failed,
    target: i.options.count,
    openAtEnd: i.openAtEnd,
    joiningAtEnd: i.joiningAtEnd,
    failedByReason: i.total.failed,
    disconnects: sumMap(i.total.disconnects),
    disconnectsByReason: i.total.disconnects,
    errors: sumMap(i.total.errors),
    errorsByReason: i.total.errors,
    zoneChanges: i.total.zoneChanges,
    noticesByReason: i.total.notices,
    combat: i.total.combat,
    quests: i.total.quests,
    questsPerBot: i.collected.questsAccepted.length > 0 ? { accepted: spread(i.collected.questsAccepted), completed: spread(i.collected.questsCompleted) } : null,
    items: i.total.items,
    startedAt: i.startedAt.toISOString(),
    durationSeconds: round(i.durationSeconds, 1),
    windowSeconds: round(secs, 1),
    rttMs: { ping: summarise(i.latency.ping), input: summarise(i.latency.input) },
    snapshotGapMs: summarise(i.latency.gap),
    joinMs: summarise(i.join),
    snapshotsPerSecondPerBot: spread(i.collected.snapshotsPerSecond),
    bytesPerSecondPerBot: { in: spread(i.collected.bytesInPerSecond, 0), out: spread(i.collected.bytesOutPerSecond, 0) },
    framesPerSecond: {
      in: secs > 0 ? round(i.windowCounters.framesIn / secs, 0) : 0,
      out: secs > 0 ? round(i.windowCounters.framesOut / secs, 0) : 0,
    },
    bots: {
      workers: i.workers,
      cpuCores: round(i.botCpuCores, 2),
      cpuMicrosPerFrame:
        i.windowCounters.framesIn + i.windowCounters.framesOut > 0 ? round((i.latency.workerCpuMs * 1000) / (i.windowCounters.framesIn + i.windowCounters.framesOut), 1) : null,
      loopDelayP99MaxMs: round(i.latency.loopDelayP99Max, 1),
      loopUtilisationMax: round(i.latency.loopUtilisationMax, 2),
      rssBytes: i.botRssBytes,
      rssBytesPerBot: i.options.count > 0 ? Math.round(i.botRssBytes / i.options.count) : null,
    },
    server: i.server,
    warnings: [],
    options,
  };
}

function round(v: number, digits: number): number {
  return Math.round(v * 10 ** digits) / 10 ** digits;
}

const f = (v: number | null | undefined, unit = ''): string => (v === null || v === undefined ? '–' : `${v}${unit}`);

function kb(v: number | null): string {
  return v === null ? '–' : `${(v / 1024).toFixed(2)} KB/s`;
}

function reasons(m: Record<string, number>): string {
  const keys = Object.keys(m);
  return keys.length === 0 ? '' : `  (${keys.map((k) => `${k}: ${m[k]}`).join(', ')})`;
}

/** The end-of-run table, as printed by the CLI. */
export function formatReport(r: BotReport): string {
  const rows: [string, string][] = [
    ['bots connected / target', `${r.connected} / ${r.target}  (open at end: ${r.openAtEnd}${r.joiningAtEnd > 0 ? `, still joining: ${r.joiningAtEnd}` : ''})`],
    ['failed', `${r.failed}${reasons(r.failedByReason)}`],
    ['disconnects', `${r.disconnects}${reasons(r.disconnectsByReason)}`],
    ['errors', `${r.errors}${reasons(r.errorsByReason)}`],
    ['zone changes', `${r.zoneChanges}${reasons(r.noticesByReason)}`],
    ...(Object.keys(r.combat ?? {}).length > 0 ? [['combat', reasons(r.combat).trim().slice(1, -1)] as [string, string]] : []),
    ...(Object.keys(r.quests ?? {}).length > 0 ? [['quests', reasons(r.quests).trim().slice(1, -1)] as [string, string]] : []),
    ...(r.questsPerBot
      ? [['quests per quester accepted / completed (mean, min-max)', `${f(r.questsPerBot.accepted.mean)} (${f(r.questsPerBot.accepted.min)}-${f(r.questsPerBot.accepted.max)}) / ${f(r.questsPerBot.completed.mean)} (${f(r.questsPerBot.completed.min)}-${f(r.questsPerBot.completed.max)})`] as [string, string]]
      : []),
    ...(Object.keys(r.items ?? {}).length > 0 ? [['items', reasons(r.items).trim().slice(1, -1)] as [string, string]] : []),
    ['window', `${r.windowSeconds} s of ${r.durationSeconds} s`],
    ['ping RTT p50 / p95 / p99 / max', lat(r.rttMs.ping)],
    ['input→ack RTT p50 / p95 / p99 / max', lat(r.rttMs.input)],
    ['snapshot gap p50 / p95 / p99 / max', lat(r.snapshotGapMs)],
    ['join time p50 / p99', `${f(r.joinMs.p50, ' ms')} / ${f(r.joinMs.p99, ' ms')}`],
    ['snapshots/s per bot mean / min / p1', `${f(r.snapshotsPerSecondPerBot.mean)} / ${f(r.snapshotsPerSecondPerBot.min)} / ${f(r.snapshotsPerSecondPerBot.p1)}`],
    ['bytes/s per bot in (mean / p99)', `${kb(r.bytesPerSecondPerBot.in.mean)} / ${kb(r.bytesPerSecondPerBot.in.p99)}`],
    ['bytes/s per bot out (mean / p99)', `${kb(r.bytesPerSecondPerBot.out.mean)} / ${kb(r.bytesPerSecondPerBot.out.p99)}`],
    ['frames/s all bots in / out', `${r.framesPerSecond.in} / ${r.framesPerSecond.out}`],
    ['bot process', `${r.bots.workers} workers, ${r.bots.cpuCores} cores, ${f(r.bots.cpuMicrosPerFrame, ' µs/frame')}, loop delay p99 ≤ ${r.bots.loopDelayP99MaxMs} ms, utilisation ≤ ${r.bots.loopUtilisationMax}, RSS ${(r.bots.rssBytes / 2 ** 20).toFixed(0)} MiB`],
  ];
  const s = r.server;
  if (!s) {
    rows.push(['server', 'not probed']);
  } else {
    const t = s.tick;
    rows.push(['server figures from', s.source + (s.note ? ` (${s.note})` : '')]);
    if (t) {
      rows.push([`server tick (${t.phase}) p50 / p99 / worst cell p99`, `${f(t.p50Ms, ' ms')} / ${f(t.p99Ms, ' ms')} / ${f(t.worstCellP99Ms, ' ms')}`]);
      rows.push(['server ticks / within budget / overruns', `${t.ticks} / ${t.worstCellWithinBudget === null ? '–' : (t.worstCellWithinBudget * 100).toFixed(2) + ' %'} / ${f(t.overruns)}`]);
    }
    const g = s.gate;
    if (g) {
      rows.push(['entities in view (mean)', f(g.aoiMean)]);
      rows.push(['gate out msg/s / bytes/s', `${f(g.messagesOutPerSecond)} / ${g.bytesOutPerSecond === null ? '–' : kb(g.bytesOutPerSecond)}`]);
      rows.push(['gate loop delay p99 / skips / kicks', `${f(g.loopDelayP99Ms, ' ms')} / ${f(g.backpressureSkips)} / ${f(g.backpressureKicks)}`]);
    }
    rows.push(['server CPU / RSS', `${s.cpuCores === null ? '–' : s.cpuCores.toFixed(2) + ' cores'} / ${s.rssBytes === null ? '–' : (s.rssBytes / 2 ** 20).toFixed(1) + ' MiB'}`]);
  }
  for (const warning of r.warnings) rows.push(['WARNING', warning]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

function lat(l: LatencySummary): string {
  return `${f(l.p50)} / ${f(l.p95)} / ${f(l.p99)} / ${f(l.max)} ms  (n=${l.count})`;
}

/** The live progress line. */
export function progressLine(p: {
  elapsed: number;
  open: number;
  connecting: number;
  target: number;
  failed: number;
  disconnects: number;
  framesInPerSecond: number;
  framesOutPerSecond: number;
  pingP99: number | null;
  inputP99: number | null;
}): string {
  return (
    `[${p.elapsed.toFixed(0).padStart(4)} s] connected ${p.open}/${p.target}` +
    (p.connecting > 0 ? ` (+${p.connecting} joining)` : '') +
    ` failed ${p.failed} dropped ${p.disconnects}` +
    ` | in ${Math.round(p.framesInPerSecond)} msg/s out ${Math.round(p.framesOutPerSecond)} msg/s` +
    ` | RTT p99 ping ${f(p.pingP99, ' ms')} input ${f(p.inputP99, ' ms')}`
  );
}
