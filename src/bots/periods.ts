/**
 * What a fleet of playing bots saw over one period of a run (a baseline, a
 * flood, a fuzzing spell), and whether a later period moved beyond noise
 * from an earlier one. The flood test and the fuzzer compare a period of
 * hostile traffic against a quiet baseline of the same run.
 */
import { summarise, type LatencySummary } from './latency.ts';
import type { BotFleet } from './fleet.ts';
import { spread, type Spread } from './report.ts';
import { serverFigures, type ServerFigures, type ServerProbe } from './server-probe.ts';

export interface PeriodFigures {
  seconds: number;
  /** Snapshots each playing bot received per second. */
  snapshotsPerSecond: Spread;
  /** PING → PONG round trip, input → applied round trip, time between snapshots. */
  pingMs: LatencySummary;
  inputMs: LatencySummary;
  gapMs: LatencySummary;
  /** Bots that lost their connection, and what they counted as errors, by reason. */
  disconnects: Record<string, number>;
  errors: Record<string, number>;
  /** The server's tick and gate figures over the period (null without a probe). */
  server: ServerFigures | null;
}

/**
 * Measures the fleet (and the server, with a probe) while `during` runs:
 * starts a window, awaits `during`, collects.
 */
export async function measurePeriod(fleet: BotFleet, probe: ServerProbe | null, during: () => Promise<unknown>): Promise<PeriodFigures> {
  await fleet.markWindow();
  const t0 = Date.now();
  const first = probe ? await probe.sample() : null;
  await during();
  const collected = await fleet.collect();
  const last = probe ? await probe.sample() : null;
  const w = fleet.window;
  return {
    seconds: (Date.now() - t0) / 1000,
    snapshotsPerSecond: spread(collected.snapshotsPerSecond),
    pingMs: summarise(w.ping),
    inputMs: summarise(w.input),
    gapMs: summarise(w.gap),
    disconnects: { ...fleet.windowTotals.disconnects },
    errors: { ...fleet.windowTotals.errors },
    server: first && last ? serverFigures(first, last) : null,
  };
}

/** How far a period may drift from its baseline before it counts as moved (not noise). */
export interface Tolerance {
  /** The median bot's snapshot rate may fall to this fraction of the baseline's. */
  snapshotRateFraction: number;
  /** Ping and input round trips may grow to baseline × factor + slack: p50 by rttSlackMs, p99 by rttP99SlackMs. */
  rttFactor: number;
  rttSlackMs: number;
  rttP99SlackMs: number;
  /** The worst cell's tick p99 may grow to baseline × factor + slackMs. */
  tickFactor: number;
  tickSlackMs: number;
}

/**
 * Defaults for a shared 2-core box where the hostile traffic is made on the
 * same machine (it takes CPU from the server and the bots alike): a drop of
 * a sixth in snapshot rate, round trips three times the baseline plus 50 ms
 * at the median (plus 250 ms at p99, where one stall of another process on
 * the box shows), or a worst cell's tick p99 three times the baseline plus
 * 40 ms, is past what scheduling noise did in our runs (load averages up to
 * 9 on 2 cores); the regressions worth catching (a stalled event loop, a
 * leak, a crash, bots cut off) are far larger.
 */
export const DEFAULT_TOLERANCE: Tolerance = { snapshotRateFraction: 0.85, rttFactor: 3, rttSlackMs: 50, rttP99SlackMs: 250, tickFactor: 3, tickSlackMs: 40 };

/** The ways `during` moved beyond `tolerance` from `base`, one sentence each (empty: within noise). */
export function compareToBaseline(base: PeriodFigures, during: PeriodFigures, t: Tolerance = DEFAULT_TOLERANCE): string[] {
  const out: string[] = [];
  const b = base.snapshotsPerSecond.p50;
  const d = during.snapshotsPerSecond.p50;
  if (b !== null && (d === null || d < b * t.snapshotRateFraction)) {
    out.push(`median snapshots per bot per second fell from ${b} to ${d ?? 'none'} (below ${Math.round(t.snapshotRateFraction * 100)} % of the baseline)`);
  }
  const rtt = (name: string, bs: LatencySummary, ds: LatencySummary): void => {
    for (const [q, slack] of [['p50', t.rttSlackMs], ['p99', t.rttP99SlackMs]] as const) {
      const bv = bs[q];
      const dv = ds[q];
      if (bv === null || dv === null) continue;
      const bound = bv * t.rttFactor + slack;
      if (dv > bound) out.push(`${name} round trip ${q} grew from ${bv} ms to ${dv} ms (bound ${Math.round(bound)} ms)`);
    }
  };
  rtt('ping', base.pingMs, during.pingMs);
  rtt('input', base.inputMs, during.inputMs);
  const bt = base.server?.tick?.worstCellP99Ms ?? null;
  const dt = during.server?.tick?.worstCellP99Ms ?? null;
  if (bt !== null && dt !== null && dt > bt * t.tickFactor + t.tickSlackMs) {
    out.push(`worst cell tick p99 grew from ${bt} ms to ${dt} ms`);
  }
  const lost = Object.entries(during.disconnects).reduce((n, [, v]) => n + v, 0);
  if (lost > 0) out.push(`${lost} bot(s) lost their connection: ${JSON.stringify(during.disconnects)}`);
  const errs = Object.entries(during.errors).reduce((n, [, v]) => n + v, 0);
  if (errs > 0) out.push(`bots counted ${errs} error(s): ${JSON.stringify(during.errors)}`);
  return out;
}

/** One line for a period, for reports. */
export function formatPeriod(name: string, p: PeriodFigures): string {
  const tick = p.server?.tick;
  return (
    `${name}: ${p.seconds.toFixed(1)} s, snapshots/s per bot p50 ${p.snapshotsPerSecond.p50 ?? '-'} (min ${p.snapshotsPerSecond.min ?? '-'}), ` +
    `ping p50/p99 ${p.pingMs.p50 ?? '-'}/${p.pingMs.p99 ?? '-'} ms, input p50/p99 ${p.inputMs.p50 ?? '-'}/${p.inputMs.p99 ?? '-'} ms` +
    (tick ? `, worst cell tick p99 ${tick.worstCellP99Ms ?? '-'} ms, overruns ${tick.overruns ?? '-'}` : '')
  );
}
