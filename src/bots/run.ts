import { summarise } from './latency.ts';
import { BotFleet, sumMap, type FleetCounters } from './fleet.ts';
import { httpBase, type BotOptions } from './options.ts';
import { buildReport, progressLine, type BotReport } from './report.ts';
import { ServerProbe, serverFigures, type ServerSample } from './server-probe.ts';

export interface RunHooks {
  /** Called about once a second with the progress line. */
  onProgress?: (line: string) => void;
  /** Pid of the server, for /proc figures when it has no /metrics. */
  serverPid?: number | null;
  /** Skip the server probe altogether. */
  noServerProbe?: boolean;
  /**
   * Ends the run before --duration once this holds for the fleet's totals so
   * far (checked as the workers report, about once a second); tests use it to
   * stop as soon as what they wait for happened, with --duration as the bound.
   */
  until?: (total: FleetCounters) => boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `endsAt`, or until `until` holds after a worker's report. */
async function untilDone(fleet: BotFleet, endsAt: number, until: RunHooks['until']): Promise<void> {
  if (!until) return sleep(Math.max(0, endsAt - Date.now()));
  if (until(fleet.total)) return;
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      fleet.off('stats', check);
      resolve();
    };
    const check = (): void => {
      if (until(fleet.total)) finish();
    };
    const timer = setTimeout(finish, Math.max(0, endsAt - Date.now()));
    fleet.on('stats', check);
  });
}

/**
 * One bot run as `npm run bots` does it: ramp the bots up over --ramp, let
 * them settle, measure over the rest of --duration (the window), then read
 * the per-bot figures and the server's, close everything and report.
 */
export async function runBots(options: BotOptions, hooks: RunHooks = {}): Promise<BotReport> {
  const startedAt = new Date();
  const t0 = Date.now();
  const fleet = new BotFleet(options);
  const warnings: string[] = [];
  fleet.on('error', (err: Error) => {
    warnings.push(err.message);
  });
  const probe = hooks.noServerProbe ? null : new ServerProbe(httpBase(options.url), hooks.serverPid ?? null);
  const rampMs = options.ramp * 1000;
  const durationMs = options.duration * 1000;
  // The window starts once the ramp is over and the last joiners had a moment to settle.
  const settleMs = Math.min(2000, (durationMs - rampMs) / 4);
  fleet.spawn(options.count, rampMs);

  let last = { at: Date.now(), framesIn: 0, framesOut: 0 };
  const progress = hooks.onProgress
    ? setInterval(() => {
        const now = Date.now();
        const secs = (now - last.at) / 1000;
        const t = fleet.total;
        hooks.onProgress!(
          progressLine({
            elapsed: (now - t0) / 1000,
            open: fleet.openNow,
            connecting: fleet.connectingNow,
            target: options.count,
            failed: sumMap(t.failed),
            disconnects: sumMap(t.disconnects),
            framesInPerSecond: (t.framesIn - last.framesIn) / secs,
            framesOutPerSecond: (t.framesOut - last.framesOut) / secs,
            pingP99: summarise(fleet.recent.ping).p99,
            inputP99: summarise(fleet.recent.input).p99,
          }),
        );
        fleet.recent.reset();
        last = { at: now, framesIn: t.framesIn, framesOut: t.framesOut };
      }, 1000)
    : null;

  let windowSample: ServerSample | null = null;
  try {
    await sleep(rampMs + settleMs);
    await fleet.markWindow();
    windowSample = probe ? await probe.sample() : null;
    await untilDone(fleet, t0 + durationMs, hooks.until);
    const collected = await fleet.collect();
    const endSample = probe ? await probe.sample() : null;
    const latency = fleet.window;
    const report = buildReport({
      options,
      total: fleet.total,
      windowCounters: fleet.windowTotals,
      latency,
      join: fleet.join,
      collected,
      openAtEnd: collected.snapshotsPerSecond.length,
      joiningAtEnd: fleet.connectingNow,
      startedAt,
      durationSeconds: (Date.now() - t0) / 1000,
      botCpuCores: fleet.windowCpuCores(),
      botRssBytes: process.memoryUsage().rss,
      workers: options.workers,
      server: windowSample && endSample ? serverFigures(windowSample, endSample) : null,
    });
    report.warnings = warnings;
    return report;
  } finally {
    if (progress) clearInterval(progress);
    await fleet.stop();
  }
}
