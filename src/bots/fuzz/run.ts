/**
 * A fuzzing run (`npm run fuzz`): a server process started for it on
 * loopback, bots playing from 127.0.0.2, a quiet baseline, then for
 * `seconds` many connections from 127.0.0.3 sending random frames,
 * mutated frames of every client message type, floods, broken WebSocket
 * frames and broken upgrades. Afterwards it checks that the server is
 * still ready, that every fuzzing connection was ended by the server with
 * a close code its strategy expects (never 1006), that the bots' figures
 * did not move beyond noise from the baseline, and that no error or
 * unstructured line reached the server's log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../shared/random.ts';
import { BotFleet } from '../fleet.ts';
import { defaultBotOptions } from '../options.ts';
import { compareToBaseline, DEFAULT_TOLERANCE, formatPeriod, measurePeriod, type PeriodFigures, type Tolerance } from '../periods.ts';
import { Scrape } from '../prom-parse.ts';
import { ServerProbe } from '../server-probe.ts';
import { startServer, type ServerProcess } from '../server-process.ts';
import { LogWatch } from './server-log.ts';
import { BAD_UPGRADE, expected, pickStrategy, runConnection, STRATEGIES, type FuzzContext, type FuzzOutcome } from './strategies.ts';

export interface FuzzOptions {
  /** Length of the fuzzing period. */
  seconds: number;
  /** Length of the quiet period measured before it. */
  baselineSeconds: number;
  /** Bots playing throughout. */
  bots: number;
  /** Fuzzing connections open at once, and new ones a second at most. */
  connections: number;
  rate: number;
  seed: number;
  tolerance: Tolerance;
  /** Called about once a second while fuzzing. */
  onProgress?: (line: string) => void;
}

export const DEFAULT_FUZZ: FuzzOptions = { seconds: 20, baselineSeconds: 6, bots: 20, connections: 8, rate: 80, seed: 1, tolerance: DEFAULT_TOLERANCE };

const BOT_ADDRESS = '127.0.0.2';
const FUZZ_ADDRESS = '127.0.0.3';
const HANDSHAKE_TIMEOUT_MS = 1500;

export interface FuzzReport {
  ok: boolean;
  /** What failed, one sentence each. */
  failures: string[];
  options: Omit<FuzzOptions, 'onProgress'>;
  connections: {
    total: number;
    /** Per strategy, outcomes by how they ended ("closed 4000", "refused 400", "terminated", "hung"). */
    byStrategy: Record<string, Record<string, number>>;
    unexpectedCount: number;
    /** The first unexpected outcomes, with their seeds and frames. */
    unexpected: FuzzOutcome[];
  };
  bots: { baseline: PeriodFigures; fuzzing: PeriodFigures; drift: string[] };
  server: {
    ready: boolean;
    /** Exit code of its graceful stop (SIGTERM) at the end. */
    exitCode: number | null;
    log: { lines: number; byLevel: Record<string, number>; problems: string[]; warnings: string[] };
    /** tessera_gate_closes_total by code, tessera_gate_refused_total by reason, tessera_gate_rate_limited_total by limit, tessera_http_refused_total by reason. */
    closes: Record<string, number>;
    refused: Record<string, number>;
    rateLimited: Record<string, number>;
    httpRefused: Record<string, number>;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The seed of connection `i` of a run seeded `seed`. */
export const connectionSeed = (seed: number, i: number): number => (seed * 1_000_003 + i) >>> 0;

/** A server process for fuzzing: guests, a zone with NPCs, a short handshake timeout, every line watched. */
async function fuzzServer(watch: LogWatch, dataDir: string): Promise<ServerProcess> {
  return startServer(
    {
      DATA_DIR: dataDir,
      ALLOW_GUESTS: '1',
      NPC_COUNT: '20',
      SPAWN_SPREAD: '100',
      LOG_LEVEL: 'info',
      HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
      // Bots and fuzzer are load generators: the per-address limits (tested apart) would refuse them at the door.
      GATE_IP_LIMIT_EXEMPT: `${BOT_ADDRESS},${FUZZ_ADDRESS}`,
    },
    { onLine: (line) => watch.push(line) },
  );
}

function sums(scrape: Scrape, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of scrape.labelValues(name, label)) {
    const n = scrape.sum(name, { [label]: v }) ?? 0;
    if (n > 0) out[v] = n;
  }
  return out;
}

/** Fuzzes connections until `deadline`: `lanes` at once, `rate` new ones a second at most. */
async function fuzzUntil(deadline: number, o: FuzzOptions, url: string, outcomes: FuzzOutcome[]): Promise<void> {
  let index = 0;
  let next = performance.now();
  const lane = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const now = performance.now();
      const wait = Math.max(0, next - now);
      next = Math.max(now, next) + 1000 / o.rate;
      if (wait > 0) await sleep(wait);
      const seed = connectionSeed(o.seed, index++);
      const rnd = mulberry32(seed);
      const strategy = pickStrategy(rnd);
      const ctx: FuzzContext = { url, rnd, localAddress: FUZZ_ADDRESS, handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS };
      outcomes.push(await runConnection(strategy, seed, ctx));
    }
  };
  await Promise.all(Array.from({ length: o.connections }, lane));
}

/** Runs the whole exercise and reports; never throws for a finding (only for a server that does not start). */
export async function runFuzz(options: Partial<FuzzOptions> = {}): Promise<FuzzReport> {
  const o: FuzzOptions = { ...DEFAULT_FUZZ, ...options };
  const watch = new LogWatch();
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-fuzz-'));
  const server = await fuzzServer(watch, dataDir);
  const ws = `ws://127.0.0.1:${server.port}/play`;
  const fleet = new BotFleet({ ...defaultBotOptions(o.bots), url: server.url, count: o.bots, guests: true, behavior: 'mixed', progress: false, prefix: 'fz', localAddress: BOT_ADDRESS, seed: o.seed });
  const probe = new ServerProbe(server.url);
  const outcomes: FuzzOutcome[] = [];
  let stopped = false;
  try {
    fleet.spawn(o.bots, 1000);
    const joinBy = Date.now() + 30_000;
    while (fleet.openNow < o.bots && Date.now() < joinBy) await sleep(100);
    await sleep(500);
    const baseline = await measurePeriod(fleet, probe, () => sleep(o.baselineSeconds * 1000));
    const progress = o.onProgress
      ? setInterval(() => {
          const bad = outcomes.filter((x) => !expected(strategyOf(x), x)).length;
          o.onProgress!(`fuzzing: ${outcomes.length} connections, ${bad} unexpected, ${watch.problemCount} log problems`);
        }, 1000)
      : null;
    const fuzzing = await measurePeriod(fleet, probe, () => fuzzUntil(Date.now() + o.seconds * 1000, o, ws, outcomes));
    if (progress) clearInterval(progress);
    // The last connections' log lines, and the server's own cleanup, come in just after.
    await sleep(300);
    const ready = server.alive && (await fetch(`${server.url}/readyz`).then((r) => r.ok, () => false));
    const scrape = Scrape.parse(await fetch(`${server.url}/metrics`).then((r) => r.text(), () => ''));
    // Stopped before the report, so that the log of its shutdown is checked too.
    await fleet.stop();
    const exitCode = await server.stop();
    stopped = true;
    return report(o, outcomes, baseline, fuzzing, watch, ready, exitCode, scrape);
  } finally {
    if (!stopped) {
      await fleet.stop();
      await server.stop();
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

const strategyOf = (x: FuzzOutcome) => [...STRATEGIES, BAD_UPGRADE].find((s) => s.name === x.strategy)!;

function report(
  o: FuzzOptions,
  outcomes: FuzzOutcome[],
  baseline: PeriodFigures,
  fuzzing: PeriodFigures,
  watch: LogWatch,
  ready: boolean,
  exitCode: number | null,
  scrape: Scrape,
): FuzzReport {
  const failures: string[] = [];
  const byStrategy: Record<string, Record<string, number>> = {};
  const unexpected: FuzzOutcome[] = [];
  let unexpectedCount = 0;
  for (const x of outcomes) {
    const key = x.end === 'closed' ? `closed ${x.code}` : x.end === 'refused' ? `refused ${x.httpStatus}` : x.end;
    const m = (byStrategy[x.strategy] ??= {});
    m[key] = (m[key] ?? 0) + 1;
    if (!expected(strategyOf(x), x)) {
      unexpectedCount++;
      if (unexpected.length < 10) unexpected.push(x);
    }
  }
  if (!ready) failures.push('the server is not ready after fuzzing (/readyz)');
  if (exitCode !== 0) failures.push(`the server did not stop cleanly on SIGTERM (exit code ${exitCode})`);
  if (outcomes.length === 0) failures.push('no fuzzing connection was made');
  if (unexpectedCount > 0) {
    failures.push(`${unexpectedCount} fuzzing connection(s) ended in a way their strategy does not expect (1006, a wrong code, or no end): first ${JSON.stringify(unexpected.slice(0, 3).map((x) => ({ strategy: x.strategy, seed: x.seed, end: x.end, code: x.code, http: x.httpStatus })))}`);
  }
  const drift = compareToBaseline(baseline, fuzzing, o.tolerance);
  for (const d of drift) failures.push(`bots: ${d}`);
  if (!watch.ok) failures.push(`${watch.problemCount} error or unstructured line(s) in the server log, e.g. ${watch.problems[0]}`);
  const { onProgress: _progress, ...options } = o;
  return {
    ok: failures.length === 0,
    failures,
    options,
    connections: { total: outcomes.length, byStrategy, unexpectedCount, unexpected },
    bots: { baseline, fuzzing, drift },
    server: {
      ready,
      exitCode,
      log: { lines: watch.lines, byLevel: watch.byLevel, problems: watch.problems, warnings: watch.warnings },
      closes: sums(scrape, 'tessera_gate_closes_total', 'code'),
      refused: sums(scrape, 'tessera_gate_refused_total', 'reason'),
      rateLimited: sums(scrape, 'tessera_gate_rate_limited_total', 'limit'),
      httpRefused: sums(scrape, 'tessera_http_refused_total', 'reason'),
    },
  };
}

/** The report as text. */
export function formatFuzzReport(r: FuzzReport): string {
  const lines = [
    `fuzz ${r.ok ? 'PASSED' : 'FAILED'}: ${r.connections.total} connections over ${r.options.seconds} s (seed ${r.options.seed}), ${r.options.bots} bots playing`,
    '',
    'connections by strategy and end:',
    ...Object.entries(r.connections.byStrategy)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, ends]) => `  ${s.padEnd(18)} ${Object.entries(ends).map(([k, n]) => `${k}: ${n}`).join(', ')}`),
    '',
    formatPeriod('bots, baseline', r.bots.baseline),
    formatPeriod('bots, fuzzing ', r.bots.fuzzing),
    '',
    `server: ${r.server.ready ? 'ready' : 'NOT READY'} after fuzzing, stopped with exit code ${r.server.exitCode}; log ${r.server.log.lines} lines by level ${JSON.stringify(r.server.log.byLevel)}`,
    `gate closes by code ${JSON.stringify(r.server.closes)}; upgrades refused ${JSON.stringify(r.server.refused)}; rate-limited ${JSON.stringify(r.server.rateLimited)}; HTTP refused ${JSON.stringify(r.server.httpRefused)}`,
  ];
  if (r.server.log.warnings.length > 0) lines.push('log warnings (first):', ...r.server.log.warnings.map((w) => `  ${w}`));
  if (r.failures.length > 0) lines.push('', 'FAILURES:', ...r.failures.map((f) => `  - ${f}`));
  for (const x of r.connections.unexpected) {
    lines.push(`  unexpected: ${x.strategy} seed ${x.seed} ended ${x.end} ${x.code ?? x.httpStatus ?? ''}${x.error ? ` (${x.error})` : ''}; frames ${x.frames.slice(0, 6).join(' ')}`);
  }
  if (r.server.log.problems.length > 0) lines.push('log problems (first):', ...r.server.log.problems.map((p) => `  ${p}`));
  return lines.join('\n');
}

/**
 * Replays one fuzzing connection by its seed against a fresh server, for
 * a failure the report named: the same strategy and frames (timings aside).
 */
export async function replayConnection(seed: number): Promise<{ outcome: FuzzOutcome; expected: boolean; log: LogWatch }> {
  const watch = new LogWatch();
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-fuzz-'));
  const server = await fuzzServer(watch, dataDir);
  try {
    const rnd = mulberry32(seed);
    const strategy = pickStrategy(rnd);
    const outcome = await runConnection(strategy, seed, { url: `ws://127.0.0.1:${server.port}/play`, rnd, localAddress: FUZZ_ADDRESS, handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS });
    await sleep(300);
    return { outcome, expected: expected(strategy, outcome), log: watch };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
