/**
 * `npm run bench:flood -- [--sockets N] [--bots N] [--concurrency N] [--seconds S]`
 *
 * The gate under a connection flood, larger than CI runs it
 * (test/e2e/gate-flood.test.ts: 5,000 sockets, 200 bots): a server process
 * with the default per-address limits, bots playing from 127.0.0.2
 * (exempt), the flood from 127.0.0.1. Writes bench/results/flood-<date>.json
 * with the machine and its load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFloodScenario } from '../src/bots/flood-scenario.ts';
import { formatPeriod } from '../src/bots/periods.ts';
import { startServer } from '../src/bots/server-process.ts';
import { machine, writeResults } from './lib/stats.ts';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? def : Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const sockets = arg('sockets', 20_000);
const bots = arg('bots', 200);
const concurrency = arg('concurrency', 32);
const seconds = arg('seconds', 6);

const m = machine();
const dataDir = await mkdtemp(join(tmpdir(), 'tessera-flood-bench-'));
const server = await startServer({
  DATA_DIR: dataDir,
  ALLOW_GUESTS: '1',
  NPC_COUNT: '40',
  SPAWN_SPREAD: '120',
  LOG_LEVEL: 'warn',
  MAX_PLAYERS: String(bots + 100),
  GATE_IP_LIMIT_EXEMPT: '127.0.0.2',
});
try {
  const r = await runFloodScenario({
    url: server.url,
    bots,
    botAddress: '127.0.0.2',
    floodAddress: '127.0.0.1',
    sockets,
    concurrency,
    rampSeconds: Math.max(4, bots / 50),
    baselineSeconds: seconds,
    minFloodSeconds: seconds,
  });
  m.finish();
  console.log(`flood: ${sockets} sockets (${concurrency} at once) in ${r.flood.seconds} s; answers ${JSON.stringify(r.flood.byStatus)}`);
  console.log(`refusal ms p50 ${r.flood.refusalMs.p50} p99 ${r.flood.refusalMs.p99} max ${r.flood.refusalMs.max}; server CPU ${r.flood.serverCpuMsPerSocket} ms per socket`);
  console.log(formatPeriod('baseline', r.bots.baseline));
  console.log(formatPeriod('flood   ', r.bots.flood));
  writeResults('flood', m.date, { machine: m, ...r });
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
