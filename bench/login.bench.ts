/**
 * `npm run bench:login`: logins per second through the HTTP API with the
 * scrypt hashing pool, and the coordinator's event-loop delay while 500
 * logins arrive at once.
 *
 * The server (persistence + HTTP) runs on this thread, which plays the gate;
 * the clients run on a worker thread so their work does not count against
 * the event loop being measured. Backend: embedded PGlite in a temporary
 * folder, or DATABASE_URL / REDIS_URL if set. Hash cost: SCRYPT_LOG2N
 * (default 15, the production default). Writes bench/results/login-<date>.json.
 */
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

interface Job {
  base: string;
  users: string[];
  password: string;
  count: number;
  concurrency: number;
}
interface JobResult {
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  seconds: number;
}

const PASSWORD = 'bench password 1';

function runClients(job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: job });
    w.once('message', (m: JobResult) => resolve(m));
    w.once('error', reject);
  });
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const { openStorage } = await import('../src/main/persistence/storage.ts');
  const { openAccounts } = await import('../src/main/accounts/accounts.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-login-'));
  // The box may be shared: record how busy it was, so the figures can be read fairly.
  const loadAtStart = loadavg()[0]!;
  const log2n = Number(process.env.SCRYPT_LOG2N ?? 15);
  const storage = await openStorage({ databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, dataDir });
  const p = openAccounts({
    storage,
    // Limits out of the way: this measures hashing and the API, not the limiter.
    tuning: { scryptLog2N: log2n, loginLimitPerIp: 1e6, loginLimitPerAccount: 1e6, registerLimitPerIp: 1e6, hashMaxQueue: 10_000 },
  });
  const { readTuning } = await import('../src/main/tuning.ts');
  const hashThreads = readTuning().hashThreads;
  const server = http.createServer((req, res) => {
    void p.handleHttp(req, res).then((mine) => {
      if (!mine) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    // Accounts to log into (registration hashes too; not timed).
    const users: string[] = [];
    for (let i = 0; i < 50; i++) users.push(`bench${i}`);
    await Promise.all(
      users.map(async (username) => {
        const r = await fetch(`${base}/api/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
        if (r.status !== 201) throw new Error(`register ${username}: ${r.status} ${await r.text()}`);
      }),
    );

    // 1. Sustained throughput: 200 logins, 16 in flight.
    const steady = await runClients({ base, users, password: PASSWORD, count: 200, concurrency: 16 });

    // 2. Burst: 500 logins at once, event-loop delay measured on this thread.
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const burst = await runClients({ base, users, password: PASSWORD, count: 500, concurrency: 500 });
    h.disable();

    const lat = burst.latenciesMs.sort((a, b) => a - b);
    const steadyLat = steady.latenciesMs.sort((a, b) => a - b);
    const cpu = cpus();
    const date = new Date().toISOString();
    const report = {
      date,
      machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, mhz: cpu[0]?.speed ?? 0, totalMemMiB: Math.round(totalmem() / 2 ** 20), os: `${platform()} ${release()}`, loadAvg1mAtStart: round(loadAtStart, 2), loadAvg1mAtEnd: round(loadavg()[0]!, 2) },
      node: process.version,
      config: {
        backend: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
        sessions: process.env.REDIS_URL ? 'redis' : 'in process',
        scrypt: { N: 2 ** log2n, r: 8, p: 1, memMiB: (128 * 2 ** log2n * 8) / 2 ** 20 },
        hashThreads,
      },
      steady: {
        logins: 200,
        concurrency: 16,
        ok: steady.ok,
        failed: steady.failed,
        seconds: round(steady.seconds, 2),
        loginsPerSecond: round(steady.ok / steady.seconds),
        latencyMs: { p50: round(pct(steadyLat, 50)), p99: round(pct(steadyLat, 99)) },
      },
      burst: {
        logins: 500,
        ok: burst.ok,
        failed: burst.failed,
        statuses: burst.statuses,
        seconds: round(burst.seconds, 2),
        loginsPerSecond: round(burst.ok / burst.seconds),
        latencyMs: { p50: round(pct(lat, 50)), p99: round(pct(lat, 99)), max: round(lat.at(-1) ?? 0) },
        eventLoopDelayMs: { p50: round(h.percentile(50) / 1e6, 2), p99: round(h.percentile(99) / 1e6, 2), max: round(h.max / 1e6, 2) },
      },
    };
    console.log(`login bench (${report.config.backend}, scrypt N=2^${log2n}, ${hashThreads} hashing thread(s), ${report.machine.cores}x ${report.machine.cpu}, node ${report.node})`);
    console.log(`  steady: ${report.steady.loginsPerSecond} logins/s (200 logins, 16 in flight), latency p50 ${report.steady.latencyMs.p50} ms, p99 ${report.steady.latencyMs.p99} ms`);
    console.log(`  burst:  500 logins at once: ${report.burst.ok} ok, ${report.burst.failed} failed in ${report.burst.seconds} s (${report.burst.loginsPerSecond}/s); latency p50 ${report.burst.latencyMs.p50} ms, p99 ${report.burst.latencyMs.p99} ms`);
    console.log(`          event-loop delay p50 ${report.burst.eventLoopDelayMs.p50} ms, p99 ${report.burst.eventLoopDelayMs.p99} ms, max ${report.burst.eventLoopDelayMs.max} ms`);
    const dir = new URL('./results/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    const file = new URL(`login-${date.slice(0, 10)}${process.env.DATABASE_URL ? '-postgresql' : ''}.json`, dir);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`  written to ${file.pathname}`);
  } finally {
    server.closeAllConnections();
    server.close();
    await p.close();
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Dispatch last, so every const above is initialised before main() runs.
if (!isMainThread) {
  await clientThread();
} else {
  await main();
}

async function clientThread(): Promise<void> {
  // Client side: `count` logins with at most `concurrency` in flight.
  const { base, users, password, count, concurrency } = workerData as Job;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const login = (username: string): Promise<{ status: number; ms: number }> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const body = JSON.stringify({ username, password });
      const req = http.request(`${base}/api/sessions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      });
      req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
      req.setTimeout(120_000, () => req.destroy());
      req.end(body);
    });
  const t0 = performance.now();
  let next = 0;
  const result: JobResult = { ok: 0, failed: 0, statuses: {}, latenciesMs: [], seconds: 0 };
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const r = await login(users[i % users.length]!);
      result.statuses[r.status] = (result.statuses[r.status] ?? 0) + 1;
      if (r.status === 201) result.ok++;
      else result.failed++;
      result.latenciesMs.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  result.seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  parentPort!.postMessage(result);
}
