/**
 * Bytes a function allocates, measured as heap growth over windows in which
 * no garbage collection ran (v8.GCProfiler reports every GC in its window),
 * minus the overhead of an empty window. The median over several windows.
 */
import v8 from 'node:v8';

function window(fn: () => void): number | null {
  const prof = new v8.GCProfiler();
  prof.start();
  const before = v8.getHeapStatistics().used_heap_size;
  fn();
  const after = v8.getHeapStatistics().used_heap_size;
  return prof.stop().statistics.length === 0 ? after - before : null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median bytes allocated per call of `fn`, over `windows` GC-free windows of `calls` calls. */
export function bytesPerCall(fn: () => void, calls: number, windows = 15): number {
  const empty: number[] = [];
  for (let i = 0; i < 15; i++) {
    const b = window(() => {});
    if (b !== null) empty.push(b);
  }
  const base = median(empty);
  const xs: number[] = [];
  for (let i = 0; i < windows * 3 && xs.length < windows; i++) {
    const b = window(() => {
      for (let k = 0; k < calls; k++) fn();
    });
    if (b !== null) xs.push(Math.max(0, b - base) / calls);
  }
  return median(xs);
}
