import type { BenchStep, Budgets } from './bench-step.ts';

/** What the bench writes; the markdown summary reads these fields. */
export interface BenchResult {
  maxPlayersHeld: number;
  date: string;
  machine: Record<string, unknown>;
  stopReason: string;
  budgets: Budgets;
  setup: Record<string, unknown>;
  durationSeconds: number;
  steps: BenchStep[];
}

const MARK = '<!-- results -->';

function n(v: number | null | undefined, digits = 1, unit = ''): string {
  return v === null || v === undefined ? '–' : `${Number(v.toFixed(digits))}${unit}`;
}

/** Memory per player; RSS can fall between two readings (garbage collection), which says nothing per player. */
function perPlayer(bytes: number | null): string {
  if (bytes === null) return '–';
  return bytes < 0 ? '< 0 (GC noise)' : n(bytes / 1024, 1);
}

/** The "Latest results" section of docs/benchmarks.md for one bench run. */
export function resultsMarkdown(r: BenchResult, jsonName: string, svgName: string): string {
  const m = r.machine;
  const lines = [
    `Run of ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${String(m.cpu)} × ${String(m.cores)} cores, ${String(m.memoryGiB)} GiB, Node ${String(m.node)}, ws ${String(m.ws)}; ` +
      `bots on the same machine; load average ${JSON.stringify(m.loadAverage1m ?? '?').replace(/"/g, '')} (1 min, start/end); ${r.durationSeconds} s in all. Files: [\`${jsonName}\`](../bench/results/${jsonName}), [\`${svgName}\`](../bench/results/${svgName}).`,
    '',
    `**Largest count held: ${r.maxPlayersHeld} players.** Stopped because: ${r.stopReason}.`,
    '',
    '| players | held | tick p50 / p99 (ms) | ping RTT p50 / p99 (ms) | input→ack p50 / p99 (ms) | snapshots/s per bot | in view | KB/s per bot (in / out) | server CPU (cores) | server KB per player (RSS / heap) | bot CPU (cores) |',
    '|---:|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of r.steps) {
    lines.push(
      `| ${s.players} | ${s.held ? 'yes' : `**no**: ${s.missed.join('; ')}`} | ${n(s.tickP50Ms, 2)} / ${n(s.tickP99Ms, 1)} | ${n(s.rttPingP50Ms, 1)} / ${n(s.rttPingP99Ms, 1)} | ${n(s.rttInputP50Ms, 0)} / ${n(s.rttInputP99Ms, 0)} | ` +
        `${n(s.snapshotsPerSecondPerBot, 1)} | ${n(s.entitiesInView, 1)} | ${n(s.bytesInPerSecondPerBot === null ? null : s.bytesInPerSecondPerBot / 1024, 2)} / ${n(s.bytesOutPerSecondPerBot === null ? null : s.bytesOutPerSecondPerBot / 1024, 2)} | ` +
        `${n(s.serverCpuCores, 2)} | ${perPlayer(s.serverBytesPerPlayer)} / ${perPlayer(s.serverHeapBytesPerPlayer)} | ${n(s.botCpuCores, 2)} |`,
    );
  }
  lines.push('', `![load plot](../bench/results/${svgName})`, '');
  return lines.join('\n');
}

/** Replaces everything after the results marker of `doc` with `section`. */
export function withResults(doc: string, section: string): string {
  const at = doc.indexOf(MARK);
  const head = at < 0 ? `${doc.trimEnd()}\n\n${MARK}` : doc.slice(0, at + MARK.length);
  return `${head}\n\n${section}`;
}
