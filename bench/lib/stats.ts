/**
 * What every benchmark reports the same way: quantiles over runs, the
 * machine and its load at start and end, heap growth over GC-free windows,
 * and the results file under bench/results/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';

/**
 * The commit a result was measured on, for the record: HEAD's short hash in
 * `root` (default: the working directory), with "+changes" when tracked
 * files differ from it; "unknown" outside a git checkout.
 */
export function commitOf(root?: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short=10', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

export const round = (x: number, d = 3): number => Number(x.toFixed(d));

/** The q-quantile of xs (nearest rank). */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const median = (xs: number[]): number => quantile(xs, 0.5);

export const summary = (xs: number[], d = 3) => ({ median: round(median(xs), d), p99: round(quantile(xs, 0.99), d), n: xs.length });

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  date: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

/** The machine and its load now; call finish() at the end to record the load then. */
export function machine(): Machine & { finish(): void } {
  const m: Machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
    loadAverageAtEnd: [],
  };
  return Object.assign(m, {
    finish() {
      m.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
    },
  });
}

/** Heap growth of `fn` over a window in which no GC ran, or null when one did. */
export function allocatedBytes(fn: () => void): number | null {
  const prof = new v8.GCProfiler();
  prof.start();
  const before = v8.getHeapStatistics().used_heap_size;
  fn();
  const after = v8.getHeapStatistics().used_heap_size;
  return prof.stop().statistics.length === 0 ? after - before : null;
}

/** Writes bench/results/<name>-<date>.json and says where. */
export function writeResults(name: string, date: string, results: unknown): void {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}-${date.replace(/[:.]/g, '-')}.json`, dir);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`written ${file.pathname}`);
}
