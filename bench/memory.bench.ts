/**
 * Memory benchmark (`npm run bench:memory`): where an idle server's resident
 * memory goes, on the default configuration (the default world, embedded
 * PGlite, no Redis). It starts the real server process in a fresh data
 * folder, lets it settle, then reads the process's RSS and its mappings
 * (/proc/PID/smaps) and its own accounting (/metrics): each zone's shared
 * memory by buffer, each worker thread's V8 heap (cells, PGlite), the
 * coordinator's heap.
 *
 * What is resident is counted from the mappings where a mapping says what it
 * is: the node binary and libraries (file-backed), PGlite's WebAssembly
 * memory (the writable anonymous mappings of 128 MiB or more: V8 maps a
 * WebAssembly memory whole, and nothing else writable is mapped that big).
 * The V8 heaps are counted as V8 reports them, committed: a young
 * generation is committed whole but resident only as far as it was used,
 * so these rows overstate a little and the remainder understates. The shared buffers are listed by size but not added: a page is
 * resident only once written, and at idle the rings are barely written (an
 * idle server with 128 KB rings instead of 8 MB ones was as big). What is
 * left is the remainder: the allocator's arenas (the threads' own buffers,
 * V8's compiler zones), thread stacks, what the shared buffers did write.
 *
 * POSTGRES=1 runs the server on a throwaway PostgreSQL server
 * (src/bots/soak/services.ts, as the load bench's --postgres) instead of
 * PGlite: what the embedded database costs, by difference. The database's
 * own processes are not counted.
 *
 * RUNS runs (default 3), each a new process; medians. The compile cache
 * (main/compile-cache.ts) is warm after the first start: the runs after it
 * are what a restart costs. Writes bench/results/memory-<ISO date>.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/bots/server-process.ts';
import { startPostgres, type PgServer } from '../src/bots/soak/services.ts';
import { parsePrometheus } from '../src/bots/prom-parse.ts';
import { parseSmapsRollup, type SmapsRollup } from './lib/smaps-rollup.ts';
import { commitOf, machine as machineNow, median, round, writeResults } from './lib/stats.ts';

const RUNS = Number(process.env.RUNS ?? 3);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 15_000);
const POSTGRES = process.env.POSTGRES === '1';
for (const [name, v] of Object.entries({ RUNS, SETTLE_MS })) {
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${name} must be a whole number of at least 1, got ${process.env[name]}`);
}
if (!['', '0', '1', undefined].includes(process.env.POSTGRES)) throw new Error(`POSTGRES must be 1 (PostgreSQL) or 0 (PGlite), got ${process.env.POSTGRES}`);
/** Anonymous mappings this big are WebAssembly memories (PGlite's starts at 128 MiB). */
const WASM_MAPPING_BYTES = 128 << 20;

interface Breakdown {
  rssBytes: number;
  /** Resident bytes of the node binary and the libraries. */
  fileBytes: number;
  /** Resident bytes of the WebAssembly memories, and their mapped size. */
  wasmBytes: number;
  wasmMappedBytes: number;
  shared: Record<string, number>;
  threads: Record<string, number>;
  coordinatorHeap: number;
  threadCount: number;
  /** RSS split into the process's own pages and the pages it shares (smaps-rollup.ts), and its PSS. */
  rollup: SmapsRollup;
}

function procStatus(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Resident bytes by kind of mapping, from /proc/PID/smaps. */
function residentByMapping(pid: number): { file: number; wasm: number; wasmMapped: number } {
  let file = 0;
  let wasm = 0;
  let wasmMapped = 0;
  let kind: 'file' | 'wasm' | 'other' = 'other';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const size = parseInt(head[2]!, 16) - parseInt(head[1]!, 16);
      const perms = head[3]!;
      const name = head[4]!;
      // Reservations (---p) of V8 and the allocator are as big but never resident.
      kind = name.startsWith('/') ? 'file' : name === '' && perms.startsWith('rw') && size >= WASM_MAPPING_BYTES ? 'wasm' : 'other';
      if (kind === 'wasm') wasmMapped += size;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    if (kind === 'file') file += Number(rss[1]) * 1024;
    else if (kind === 'wasm') wasm += Number(rss[1]) * 1024;
  }
  return { file, wasm, wasmMapped };
}

async function measureOnce(pg: PgServer | null): Promise<Breakdown> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-memory-'));
  const env: Record<string, string> = { DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' };
  if (pg) env.DATABASE_URL = pg.url;
  const server = await startServer(env, { timeoutMs: 180_000 });
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const { samples } = parsePrometheus(await (await fetch(`${server.url}/metrics`)).text());
    const shared: Record<string, number> = {};
    const threads: Record<string, number> = {};
    let coordinatorHeap = 0;
    for (const s of samples) {
      if (s.name === 'tessera_shared_memory_bytes') shared[s.labels.buffer!] = (shared[s.labels.buffer!] ?? 0) + s.value;
      else if (s.name === 'tessera_thread_heap_bytes' && s.labels.kind === 'total') {
        const kind = s.labels.thread!.startsWith('zone') ? 'cell threads (V8 heaps)' : `${s.labels.thread!.replace(/-\d+$/, '')} thread (V8 heap)`;
        threads[kind] = (threads[kind] ?? 0) + s.value;
      } else if (s.name === 'nodejs_heap_size_total_bytes') coordinatorHeap = s.value;
    }
    const mapped = residentByMapping(server.pid);
    const threadCount = Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
    const rollup = parseSmapsRollup(readFileSync(`/proc/${server.pid}/smaps_rollup`, 'utf8'));
    return { rssBytes: procStatus(server.pid, 'VmRSS'), fileBytes: mapped.file, wasmBytes: mapped.wasm, wasmMappedBytes: mapped.wasmMapped, shared, threads, coordinatorHeap, threadCount, rollup };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (b: number) => round(b / 1048576, 1);

async function main(): Promise<void> {
  const m = machineNow();
  const runs: Breakdown[] = [];
  // One database for every run: each server's migrations find it migrated after the first, as a restart would.
  const pg = POSTGRES ? await startPostgres() : null;
  try {
    for (let i = 0; i < RUNS; i++) {
      runs.push(await measureOnce(pg));
      console.log(`run ${i + 1}: RSS ${mb(runs[i]!.rssBytes)} MB`);
    }
  } finally {
    pg?.dispose();
  }
  m.finish();
  const med = (f: (b: Breakdown) => number) => median(runs.map(f));
  const listed: [string, number][] = [];
  for (const k of Object.keys(runs[0]!.shared)) listed.push([`shared: ${k} (allocated; resident once written)`, med((b) => b.shared[k] ?? 0)]);
  const counted: [string, number][] = [];
  for (const k of Object.keys(runs[0]!.threads)) counted.push([k, med((b) => b.threads[k] ?? 0)]);
  counted.push(['coordinator V8 heap', med((b) => b.coordinatorHeap)]);
  counted.push([POSTGRES ? 'WebAssembly memories, resident (no PGlite here)' : 'PGlite WebAssembly memory, resident', med((b) => b.wasmBytes)]);
  counted.push(['node binary and libraries (file-backed, resident)', med((b) => b.fileBytes)]);
  const rss = med((b) => b.rssBytes);
  const accounted = counted.reduce((n, [, v]) => n + v, 0);
  counted.push(['remainder: allocator arenas (threads\' own buffers, V8 compiler zones), stacks, written shared pages', rss - accounted]);
  const config = POSTGRES ? 'on PostgreSQL' : 'default configuration';
  console.log(`\nIdle RSS, ${config}: median ${mb(rss)} MB of ${RUNS} runs (${runs.map((b) => mb(b.rssBytes)).join(', ')} MB); WebAssembly memory mapped ${mb(med((b) => b.wasmMappedBytes))} MB; ${med((b) => b.threadCount)} OS threads\n`);
  const own = med((b) => b.rollup.privateBytes);
  const sharedPages = med((b) => b.rollup.sharedBytes);
  // Shared here: file pages another mapping holds too (this bench's own node process maps the same binary; V8 maps its builtins again per isolate).
  console.log(`Of the RSS: ${mb(own)} MB private, ${mb(sharedPages)} MB shared (the node binary's and libraries' pages that another mapping holds too); PSS ${mb(med((b) => b.rollup.pssBytes))} MB (medians)\n`);
  console.log('| part | MB |\n|---|---:|');
  for (const [k, v] of counted) console.log(`| ${k} | ${mb(v)} |`);
  for (const [k, v] of listed) console.log(`| ${k} | (${mb(v)}) |`);
  const commit = commitOf();
  writeResults(POSTGRES ? 'memory-postgres' : 'memory', new Date().toISOString(), {
    machine: m,
    commit,
    database: POSTGRES ? 'postgresql' : 'pglite',
    runs,
    medianRssBytes: rss,
    medianPrivateBytes: own,
    medianSharedPageBytes: sharedPages,
    rows: counted.map(([part, bytes]) => ({ part, bytes })),
    sharedAllocated: listed.map(([part, bytes]) => ({ part, bytes })),
  });
}

await main();
