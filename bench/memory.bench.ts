/**
 * Memory benchmark (`npm run bench:memory`): where an idle server's resident
 * memory goes, on the default configuration (the default world, embedded
 * PGlite, no Redis). It starts the real server process in a fresh data
 * folder, lets it settle, then reads the process's RSS (/proc) and its own
 * accounting (/metrics): each zone's shared memory by buffer, each worker
 * thread's V8 heap (cells, PGlite), the coordinator's heap. What is left
 * (the Node binary and its code, thread stacks, PGlite's WebAssembly
 * memory, allocator slack) is the remainder. RUNS runs (default 3), each a
 * new process; medians. Writes bench/results/memory-<date>.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/bots/server-process.ts';
import { parsePrometheus } from '../src/bots/prom-parse.ts';
import { machine as machineNow, median, round, writeResults } from './lib/stats.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 15_000);

interface Breakdown {
  rssBytes: number;
  shared: Record<string, number>;
  threads: Record<string, number>;
  coordinatorHeap: number;
}

function procStatus(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function measureOnce(): Promise<Breakdown> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-memory-'));
  const server = await startServer({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' }, { timeoutMs: 180_000 });
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const { samples } = parsePrometheus(await (await fetch(`${server.url}/metrics`)).text());
    const shared: Record<string, number> = {};
    const threads: Record<string, number> = {};
    let coordinatorHeap = 0;
    for (const s of samples) {
      if (s.name === 'tessera_shared_memory_bytes') shared[s.labels.buffer!] = (shared[s.labels.buffer!] ?? 0) + s.value;
      else if (s.name === 'tessera_thread_heap_bytes' && s.labels.kind === 'total') {
        const kind = s.labels.thread!.startsWith('zone') ? 'cell threads (V8 heaps)' : `${s.labels.thread} thread (V8 heap)`;
        threads[kind] = (threads[kind] ?? 0) + s.value;
      } else if (s.name === 'tessera_thread_heap_bytes' && s.labels.kind === 'external') {
        const kind = s.labels.thread!.startsWith('zone') ? 'cell threads (external)' : `${s.labels.thread} thread (external: its buffers, WebAssembly memory)`;
        threads[kind] = (threads[kind] ?? 0) + s.value;
      } else if (s.name === 'nodejs_heap_size_total_bytes') coordinatorHeap = s.value;
    }
    return { rssBytes: procStatus(server.pid, 'VmRSS'), shared, threads, coordinatorHeap };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (b: number) => round(b / 1048576, 1);

async function main(): Promise<void> {
  const m = machineNow();
  const runs: Breakdown[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await measureOnce());
    console.log(`run ${i + 1}: RSS ${mb(runs[i]!.rssBytes)} MB`);
  }
  m.finish();
  const med = (f: (b: Breakdown) => number) => median(runs.map(f));
  const rows: [string, number][] = [];
  for (const k of Object.keys(runs[0]!.shared)) rows.push([`shared: ${k}`, med((b) => b.shared[k] ?? 0)]);
  for (const k of Object.keys(runs[0]!.threads)) rows.push([k, med((b) => b.threads[k] ?? 0)]);
  rows.push(['coordinator V8 heap', med((b) => b.coordinatorHeap)]);
  const rss = med((b) => b.rssBytes);
  // A thread's "external" memory includes the shared buffers it maps (every
  // cell maps its whole zone's): shown, not added, or they would count twice.
  const overlapping = new Set(rows.filter(([k]) => k === 'cell threads (external)').map(([k]) => k));
  const accounted = rows.reduce((n, [k, v]) => (overlapping.has(k) ? n : n + v), 0);
  rows.push(['remainder (binary, code, stacks, allocator; the cells\' and coordinator\'s own buffers)', rss - accounted]);
  for (const r of rows) if (overlapping.has(r[0])) r[0] = `${r[0]}, incl. their views of the shared buffers (not added)`;
  console.log(`\nIdle RSS, default configuration: median ${mb(rss)} MB of ${RUNS} runs (${runs.map((b) => mb(b.rssBytes)).join(', ')} MB)\n`);
  console.log('| part | MB |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${mb(v)} |`);
  writeResults('memory', new Date().toISOString().slice(0, 10), { machine: m, runs, medianRssBytes: rss, rows: rows.map(([part, bytes]) => ({ part, bytes })) });
}

await main();
