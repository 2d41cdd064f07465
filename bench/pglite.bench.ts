/**
 * npm run bench:pglite — what the embedded database costs the coordinator's
 * event loop: a burst of small transactions (an item move's shape: two
 * updates with a version check and a ledger insert) against PGlite on the
 * coordinator's thread (pglite-local.ts openPglite) and on its own worker thread
 * (pglite-worker.ts openPgliteWorker, what the server runs), in alternating
 * runs in one process. Reported per run: transactions a second, the share
 * of the burst the coordinator's thread was busy (event-loop utilization),
 * and the event loop's delay while the burst runs (perf_hooks' histogram, 10 ms
 * resolution 1 ms), median and p99 over runs.
 *
 *   --tx N         transactions per run (default 600)
 *   --runs N       runs per mode (default 3)
 *   --concurrent N transactions in flight at once (default 16, as many players acting at once)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openPglite } from '../src/main/persistence/pglite-local.ts';
import type { Db } from '../src/main/persistence/db.ts';
import { openPgliteWorker } from '../src/main/persistence/pglite-worker.ts';
import { machine, median, round, writeResults } from './lib/stats.ts';

const { values } = parseArgs({ options: { tx: { type: 'string', default: '600' }, runs: { type: 'string', default: '3' }, concurrent: { type: 'string', default: '16' } } });
const TX = Number(values.tx);
const RUNS = Number(values.runs);
const CONCURRENT = Number(values.concurrent);

async function prepare(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS bags (owner integer PRIMARY KEY, gold bigint NOT NULL, version integer NOT NULL);
    CREATE TABLE IF NOT EXISTS ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner integer NOT NULL, amount bigint NOT NULL, at timestamptz NOT NULL DEFAULT now());
    INSERT INTO bags SELECT g, 1000, 0 FROM generate_series(1, 256) g ON CONFLICT DO NOTHING;
  `);
}

/** One item move's shape: read two rows, two version-checked updates, a ledger row. */
async function move(db: Db, i: number): Promise<void> {
  const a = (i % 256) + 1;
  const b = ((i * 7) % 256) + 1;
  await db.tx(async (q) => {
    const rows = await q.query<{ owner: number; version: number }>('SELECT owner, version FROM bags WHERE owner = ANY($1::int[]) ORDER BY owner FOR UPDATE', [[a, b]]);
    for (const r of rows) await q.query('UPDATE bags SET gold = gold + $2, version = version + 1 WHERE owner = $1 AND version = $3', [r.owner, r.owner === a ? -1 : 1, r.version]);
    await q.query('INSERT INTO ledger (owner, amount) VALUES ($1, -1), ($2, 1)', [a, b]);
  });
}

async function run(db: Db): Promise<{ txPerSecond: number; loopP50Ms: number; loopP99Ms: number; loopMaxMs: number; loopBusyShare: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const elu = performance.eventLoopUtilization();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next < TX) await move(db, next++);
    }),
  );
  const s = (performance.now() - t0) / 1000;
  h.disable();
  // The share of the burst the coordinator's thread was busy (what the gate could not use).
  const busy = performance.eventLoopUtilization(elu).utilization;
  return { txPerSecond: round(TX / s, 1), loopP50Ms: round(h.percentile(50) / 1e6, 1), loopP99Ms: round(h.percentile(99) / 1e6, 1), loopMaxMs: round(h.max / 1e6, 1), loopBusyShare: round(busy, 2) };
}

const m = machine();
const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
const dbs: Record<'thread' | 'worker', Db> = { thread: await openPglite(join(dir, 'thread')), worker: await openPgliteWorker(join(dir, 'worker')) };
for (const db of Object.values(dbs)) await prepare(db);
const results: Record<string, Awaited<ReturnType<typeof run>>[]> = { thread: [], worker: [] };
// Warm-up, then alternating runs so the box's load falls on both alike.
for (const db of Object.values(dbs)) for (let i = 0; i < 50; i++) await move(db, i);
for (let r = 0; r < RUNS; r++) {
  for (const mode of ['thread', 'worker'] as const) {
    const x = await run(dbs[mode]);
    results[mode].push(x);
    console.log(`run ${r + 1} ${mode.padEnd(6)} ${x.txPerSecond} tx/s, event loop delay p50 ${x.loopP50Ms} ms, p99 ${x.loopP99Ms} ms, max ${x.loopMaxMs} ms, main thread busy ${Math.round(x.loopBusyShare * 100)} %`);
  }
}
for (const db of Object.values(dbs)) await db.close();
rmSync(dir, { recursive: true, force: true });
m.finish();
const medianOf = (mode: string, k: 'txPerSecond' | 'loopP99Ms' | 'loopMaxMs' | 'loopBusyShare') => round(median(results[mode].map((x) => x[k])), 1);
const summaryOut = Object.fromEntries(['thread', 'worker'].map((mode) => [mode, { txPerSecond: medianOf(mode, 'txPerSecond'), loopP99Ms: medianOf(mode, 'loopP99Ms'), loopMaxMs: medianOf(mode, 'loopMaxMs'), loopBusyShare: medianOf(mode, 'loopBusyShare') }]));
console.log('medians over runs:', JSON.stringify(summaryOut));
console.log(`load average ${m.loadAverageAtStart.join(' ')} at the start, ${m.loadAverageAtEnd.join(' ')} at the end`);
writeResults('pglite', m.date, { machine: m, tx: TX, runs: RUNS, concurrent: CONCURRENT, results, medians: summaryOut });
