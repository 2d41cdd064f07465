import type { BotReport } from './report.ts';

/** What a bench step must stay within to count as held. */
export interface Budgets {
  /** Worst cell's tick p99 (the whole zone waits for its slowest cell). */
  tickP99Ms: number;
  /** Bots' ping → pong p99. */
  rttP99Ms: number;
  /** Share of the step's players that must be connected at the end of the window. */
  minConnectedShare: number;
  /** Mean snapshots per bot per second, as a share of the tick rate (skipped snapshots, lost ticks). */
  minSnapshotShare: number;
}

export const DEFAULT_BUDGETS: Budgets = { tickP99Ms: 50, rttP99Ms: 100, minConnectedShare: 0.99, minSnapshotShare: 0.9 };

/** One step of the load benchmark, as bench/results/load-*.json records it. */
export interface BenchStep {
  players: number;
  held: boolean;
  /** Budgets this step missed (empty when it held). */
  missed: string[];
  windowSeconds: number;
  openAtEnd: number;
  failed: number;
  disconnects: number;
  /** Disconnects by close code (`close_4040`, …): a step lost to kicks reads differently from one lost to load. */
  disconnectsByReason: Record<string, number>;
  errors: number;
  tickSource: 'metrics' | 'proc' | 'none';
  tickP50Ms: number | null;
  tickP99Ms: number | null;
  tickWithinBudget: number | null;
  overruns: number | null;
  rttPingP50Ms: number | null;
  rttPingP99Ms: number | null;
  rttInputP50Ms: number | null;
  rttInputP99Ms: number | null;
  snapshotGapP99Ms: number | null;
  snapshotsPerSecondPerBot: number | null;
  snapshotsPerSecondPerBotP1: number | null;
  bytesInPerSecondPerBot: number | null;
  bytesOutPerSecondPerBot: number | null;
  serverCpuCores: number | null;
  /** Mean entities in a player's view (from the server's replicate histogram). */
  entitiesInView: number | null;
  gateLoopDelayP99Ms: number | null;
  /** The coordinator's event-loop delay over the window: mean, and the longest of the last 10 s or more, ms. */
  gateLoopDelayMeanMs: number | null;
  gateLoopDelayMaxMs: number | null;
  backpressureSkips: number | null;
  serverRssBytes: number | null;
  /**
   * Server memory per player: RSS growth since the first step over the
   * players added since (the first step: against the idle server). The
   * idle RSS alone is noisy (start-up garbage, the embedded database).
   */
  serverBytesPerPlayer: number | null;
  /** (RSS now − RSS with no players) / players. */
  serverBytesPerPlayerVsIdle: number | null;
  /** Growth of the coordinator's heap + external memory since the first step, per player added (see ServerFigures). */
  serverHeapBytesPerPlayer: number | null;
  serverHeapAndExternalBytes: number | null;
  botCpuCores: number;
  botCpuMicrosPerFrame: number | null;
  botLoopUtilisationMax: number;
  /** Questers' quests accepted and completed, looters' items picked up and equipped, over the run so far (mixed, quest and fight runs; 0 otherwise). */
  questsAccepted: number;
  questsCompleted: number;
  itemsPickedUp: number;
  itemsEquipped: number;
  /** The full bot report of the window (left out of earlier attempts). */
  report: BotReport | undefined;
  /** Windows of this step measured before this one, which missed a budget. */
  earlierAttempts?: BenchStep[];
}

/**
 * Which budgets a step missed. Without server tick figures (no /metrics)
 * the tick budget cannot be checked and is reported as such; snapshots
 * arriving at the snapshot rate (`snapshotHz`, the server's SEND_HZ) then
 * stand in for it.
 */
export function judgeStep(players: number, r: BotReport, snapshotHz: number, b: Budgets = DEFAULT_BUDGETS): string[] {
  const missed: string[] = [];
  const tick = r.server?.tick ?? null;
  if (tick && tick.worstCellP99Ms !== null && tick.worstCellP99Ms > b.tickP99Ms) missed.push(`tick p99 ${tick.worstCellP99Ms} ms > ${b.tickP99Ms} ms`);
  const ping = r.rttMs.ping.p99;
  if (ping === null) missed.push('no RTT samples');
  else if (ping > b.rttP99Ms) missed.push(`RTT p99 ${ping} ms > ${b.rttP99Ms} ms`);
  if (r.openAtEnd < players * b.minConnectedShare) missed.push(`only ${r.openAtEnd} of ${players} connected at the end`);
  const snaps = r.snapshotsPerSecondPerBot.mean;
  if (snaps === null || snaps < snapshotHz * b.minSnapshotShare) missed.push(`snapshots ${snaps ?? 0}/s per bot < ${(snapshotHz * b.minSnapshotShare).toFixed(1)}`);
  return missed;
}

/** The step record from a bot report (per-step window) and the server's idle RSS. */
export function stepFrom(
  players: number,
  r: BotReport,
  snapshotHz: number,
  idleRssBytes: number | null,
  first: { players: number; rssBytes: number | null; heapBytes?: number | null } | null,
  b: Budgets = DEFAULT_BUDGETS,
): BenchStep {
  const missed = judgeStep(players, r, snapshotHz, b);
  const s = r.server;
  const t = s?.tick ?? null;
  const rss = s?.rssBytes ?? null;
  return {
    players,
    held: missed.length === 0,
    missed,
    windowSeconds: r.windowSeconds,
    openAtEnd: r.openAtEnd,
    failed: r.failed,
    disconnects: r.disconnects,
    disconnectsByReason: r.disconnectsByReason,
    errors: r.errors,
    tickSource: s?.source ?? 'none',
    tickP50Ms: t?.p50Ms ?? null,
    tickP99Ms: t?.worstCellP99Ms ?? null,
    tickWithinBudget: t?.worstCellWithinBudget ?? null,
    overruns: t?.overruns ?? null,
    rttPingP50Ms: r.rttMs.ping.p50,
    rttPingP99Ms: r.rttMs.ping.p99,
    rttInputP50Ms: r.rttMs.input.p50,
    rttInputP99Ms: r.rttMs.input.p99,
    snapshotGapP99Ms: r.snapshotGapMs.p99,
    snapshotsPerSecondPerBot: r.snapshotsPerSecondPerBot.mean,
    snapshotsPerSecondPerBotP1: r.snapshotsPerSecondPerBot.p1,
    bytesInPerSecondPerBot: r.bytesPerSecondPerBot.in.mean,
    bytesOutPerSecondPerBot: r.bytesPerSecondPerBot.out.mean,
    serverCpuCores: s?.cpuCores === null || s?.cpuCores === undefined ? null : Math.round(s.cpuCores * 100) / 100,
    entitiesInView: s?.gate?.aoiMean ?? null,
    gateLoopDelayP99Ms: s?.gate?.loopDelayP99Ms ?? null,
    gateLoopDelayMeanMs: s?.gate?.loopDelayMeanMs ?? null,
    gateLoopDelayMaxMs: s?.gate?.loopDelayMaxMs ?? null,
    backpressureSkips: s?.gate?.backpressureSkips ?? null,
    serverRssBytes: rss,
    serverBytesPerPlayer:
      rss === null
        ? null
        : first && first.rssBytes !== null && players > first.players
          ? Math.round((rss - first.rssBytes) / (players - first.players))
          : idleRssBytes !== null && players > 0
            ? Math.round((rss - idleRssBytes) / players)
            : null,
    serverBytesPerPlayerVsIdle: rss !== null && idleRssBytes !== null && players > 0 ? Math.round((rss - idleRssBytes) / players) : null,
    serverHeapAndExternalBytes: s?.heapAndExternalBytes ?? null,
    serverHeapBytesPerPlayer:
      s?.heapAndExternalBytes != null && first?.heapBytes != null && players > first.players
        ? Math.round((s.heapAndExternalBytes - first.heapBytes) / (players - first.players))
        : null,
    botCpuCores: r.bots.cpuCores,
    botCpuMicrosPerFrame: r.bots.cpuMicrosPerFrame,
    botLoopUtilisationMax: r.bots.loopUtilisationMax,
    questsAccepted: r.quests?.accepted ?? 0,
    questsCompleted: r.quests?.completed ?? 0,
    itemsPickedUp: r.items?.picked_up ?? 0,
    itemsEquipped: r.items?.equipped ?? 0,
    report: r,
  };
}
