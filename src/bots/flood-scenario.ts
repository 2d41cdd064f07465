/**
 * The gate under a connection flood, measured: bots play from one address
 * while another address opens thousands of sockets at /play. Reports how
 * fast the flood's sockets were refused and what the bots saw before and
 * during it. Run by test/e2e/gate-flood.test.ts (CI size) and
 * bench/flood.bench.ts (larger, by hand).
 */
import { BotFleet } from './fleet.ts';
import { flood, type UpgradeOutcome } from './flood.ts';
import { defaultBotOptions, httpBase } from './options.ts';
import { measurePeriod, type PeriodFigures } from './periods.ts';
import { Scrape } from './prom-parse.ts';
import { ServerProbe } from './server-probe.ts';

export interface FloodScenarioOptions {
  /** Server base URL (http://host:port). */
  url: string;
  bots: number;
  /** Address the bots connect from (exempt from the per-address limits on the server, as a load generator is). */
  botAddress: string;
  /** Address the flood comes from (not exempt). */
  floodAddress: string;
  /** Sockets the flood opens, and how many wait for an answer at once. */
  sockets: number;
  concurrency: number;
  rampSeconds: number;
  /** Quiet period measured before the flood. */
  baselineSeconds: number;
  /** The flood period lasts at least this long (the bots' rates need a few seconds to mean anything). */
  minFloodSeconds: number;
}

/** Quantiles of milliseconds. */
export interface MsSpread {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export interface FloodScenarioReport {
  options: FloodScenarioOptions;
  flood: {
    /** Wall time of the flood itself. */
    seconds: number;
    /** Answers by HTTP status (101 admitted, 429 refused; 0: no answer, with the network error). */
    byStatus: Record<string, number>;
    errors: Record<string, number>;
    /** Time from the request written to the refusal read, over the refused sockets. */
    refusalMs: MsSpread;
    /** The same for the admitted ones. */
    admittedMs: MsSpread;
    /**
     * The server's CPU time (all threads) per flood socket, ms: the flood
     * period's CPU less the baseline's rate over the same time, over the
     * sockets. What a refusal costs the server, queueing aside.
     */
    serverCpuMsPerSocket: number | null;
  };
  /** The server's count of refused upgrades by reason, over the run. */
  refusedByReason: Record<string, number>;
  bots: { connected: number; baseline: PeriodFigures; flood: PeriodFigures };
  readyAfter: boolean;
}

function msSpread(values: number[]): MsSpread {
  if (values.length === 0) return { count: 0, p50: null, p99: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] * 100) / 100;
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: Math.round(s[s.length - 1] * 100) / 100 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function refusedByReason(base: string): Promise<Record<string, number>> {
  const scrape = Scrape.parse(await (await fetch(`${base}/metrics`)).text());
  const out: Record<string, number> = {};
  for (const reason of scrape.labelValues('tessera_gate_refused_total', 'reason')) out[reason] = scrape.sum('tessera_gate_refused_total', { reason }) ?? 0;
  return out;
}

/** Runs the scenario against a running server. */
export async function runFloodScenario(o: FloodScenarioOptions): Promise<FloodScenarioReport> {
  const base = httpBase(o.url);
  const { hostname, port } = new URL(base);
  const fleet = new BotFleet({
    ...defaultBotOptions(o.bots),
    url: o.url,
    count: o.bots,
    guests: true,
    behavior: 'mixed',
    progress: false,
    prefix: 'flood',
    localAddress: o.botAddress,
  });
  const probe = new ServerProbe(base);
  try {
    fleet.spawn(o.bots, o.rampSeconds * 1000);
    const deadline = Date.now() + o.rampSeconds * 1000 + 30_000;
    while (fleet.openNow < o.bots && Date.now() < deadline) await sleep(200);
    await sleep(1000);
    const baseline = await measurePeriod(fleet, probe, () => sleep(o.baselineSeconds * 1000));
    let outcomes: UpgradeOutcome[] = [];
    let floodSeconds = 0;
    const during = await measurePeriod(fleet, probe, async () => {
      const t0 = Date.now();
      const f = await flood(hostname, Number(port), o.sockets, { localAddress: o.floodAddress, concurrency: o.concurrency });
      outcomes = f.outcomes;
      floodSeconds = f.ms / 1000;
      // The admitted sockets are held, as an attacker holds them, through the rest of the period.
      await sleep(Math.max(0, o.minFloodSeconds * 1000 - (Date.now() - t0)));
      f.release();
    });
    const byStatus: Record<string, number> = {};
    const errors: Record<string, number> = {};
    for (const r of outcomes) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.error) errors[r.error] = (errors[r.error] ?? 0) + 1;
    }
    const cpu = (p: PeriodFigures) => (p.server?.cpuCores ?? null) === null ? null : p.server!.cpuCores! * p.seconds;
    const floodCpu = cpu(during);
    const baseCpu = cpu(baseline);
    const extraCpuS = floodCpu !== null && baseCpu !== null ? floodCpu - (baseCpu / baseline.seconds) * during.seconds : null;
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    return {
      options: o,
      flood: {
        seconds: Math.round(floodSeconds * 100) / 100,
        byStatus,
        errors,
        refusalMs: msSpread(outcomes.filter((r) => r.status === 429 || r.status === 503).map((r) => r.ms)),
        admittedMs: msSpread(outcomes.filter((r) => r.status === 101).map((r) => r.ms)),
        serverCpuMsPerSocket: extraCpuS === null ? null : Math.round((extraCpuS * 1e6) / o.sockets) / 1000,
      },
      refusedByReason: await refusedByReason(base),
      bots: { connected: fleet.total.welcomed, baseline, flood: during },
      readyAfter: ready,
    };
  } finally {
    await fleet.stop();
  }
}
