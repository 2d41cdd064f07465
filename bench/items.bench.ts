/**
 * Item transactions benchmark (`npm run bench:items`): what the ItemStore's
 * transactions cost, and what they do to the coordinator's event loop (the
 * gate runs there). For the embedded PGlite (its WebAssembly runs on this
 * thread) and for a real PostgreSQL started on loopback (its work is in
 * another process). C characters each run K operations back to back (loot,
 * move, equip and unequip in turn), all characters at once; per-operation
 * latency and the event loop's delay (monitorEventLoopDelay, 1 ms
 * resolution) during the run, next to the delay of the same loop idle.
 * Writes bench/results/items-<date>.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ItemStore } from '../src/main/items/item-store.ts';
import { openPostgres } from '../src/main/persistence/postgres.ts';
import type { Db } from '../src/main/persistence/db.ts';
import { openPgliteWorker } from '../src/main/persistence/pglite-worker.ts';
import { migrate } from '../src/main/persistence/migrate.ts';
import { makeCharacters, testCatalogue } from '../test/helpers/items.ts';
import { startPostgres } from '../test/integration/services.ts';
import { machine as machineNow, round, summary, writeResults } from './lib/stats.ts';

const CHARACTERS = 40;
const OPS = 25;

async function loopDelay<T>(fn: () => Promise<T>): Promise<{ result: T; delayMs: { p50: number; p99: number; max: number } }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const result = await fn();
  h.disable();
  return { result, delayMs: { p50: round(h.percentile(50) / 1e6, 1), p99: round(h.percentile(99) / 1e6, 1), max: round(h.max / 1e6, 1) } };
}

async function run(db: Db): Promise<object> {
  await migrate(db);
  const store = new ItemStore(db, testCatalogue());
  const chars: number[] = [];
  for (let i = 0; i < CHARACTERS / 10; i++) chars.push(...(await makeCharacters(db, 10)));
  const idle = await loopDelay(() => new Promise((r) => setTimeout(r, 2000)));
  const latencies: number[] = [];
  const busy = await loopDelay(async () => {
    const t0 = performance.now();
    await Promise.all(
      chars.map(async (ch) => {
        const sword = await store.loot(ch, 'item.sword', 1, 'bench', 0);
        if (!sword.ok) throw new Error('loot refused');
        let it = sword.changed[0]!;
        for (let i = 0; i < OPS; i++) {
          const s = performance.now();
          const r = i % 4 === 0 ? await store.loot(ch, 'item.pelt', 1, 'bench', i) : i % 4 === 1 ? await store.equip(ch, it.id, it.version, { level: 1, classId: '' }, i) : i % 4 === 2 ? await store.unequip(ch, it.id, it.version, -1, i) : await store.move(ch, it.id, it.version, 10 + (i % 10), i);
          latencies.push(performance.now() - s);
          if (!r.ok) throw new Error(`refused ${r.message}`);
          it = r.changed.find((x) => x.id === it.id) ?? it;
        }
      }),
    );
    return performance.now() - t0;
  });
  const ops = CHARACTERS * OPS;
  return { characters: CHARACTERS, operations: ops, seconds: round(busy.result / 1000, 2), perSecond: round(ops / (busy.result / 1000), 1), latencyMs: summary(latencies, 1), eventLoopDelayMs: busy.delayMs, idleEventLoopDelayMs: idle.delayMs };
}

const m = machineNow();
const dir = mkdtempSync(join(tmpdir(), 'tessera-items-bench-'));
const results: Record<string, object> = {};
try {
  // As the server opens it (storage.ts): on its own worker thread.
  const lite = await openPgliteWorker(join(dir, 'pglite'));
  try {
    results.pglite = await run(lite);
  } finally {
    await lite.close();
  }
  console.log('pglite', JSON.stringify(results.pglite));
  const pgs = await startPostgres();
  const pg = openPostgres(pgs.url);
  try {
    results.postgres = await run(pg);
  } finally {
    await pg.close();
    pgs.dispose();
  }
  console.log('postgres', JSON.stringify(results.postgres));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
m.finish();
writeResults('items', m.date, { machine: m, ...results });
