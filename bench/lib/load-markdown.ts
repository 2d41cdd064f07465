/**
 * The load bench's tables in markdown: one sweep (every step with its
 * budgets, the coordinator's event-loop delay, the game played and whether
 * the machine was quiet), and a `--repeat` run (each step held k/n, then
 * each run's table). docs/benchmarks.md's "Latest results" is one of these.
 */
import { COLLAPSE_LIMIT, collapseCheck, collapseLine, type CollapseCheck } from './collapse.ts';
import type { LoadStep } from './step-extras.ts';
import { heldInEveryRun, heldOutOf, type Range, type StepTally } from './repeat.ts';
import type { SweepResult } from './load-sweep.ts';
import { windowCpuLine } from './thread-cpu.ts';

function n(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? '–' : `${Number(v.toFixed(digits))}`;
}

/** Memory per player; RSS can fall between two readings (garbage collection), which says nothing per player. */
function perPlayer(bytes: number | null): string {
  if (bytes === null) return '–';
  return bytes < 0 ? '< 0 (GC noise)' : n(bytes / 1024, 1);
}

function ratioOf(c: CollapseCheck | null): string {
  if (c === null) return '–';
  const perEntity = c.perEntityRatio === null ? '' : ` per entity in view (${c.ratio}× the bytes)`;
  return `${c.perEntityRatio ?? c.ratio}×${perEntity}${c.withinLimit ? '' : ' **collapse**'}`;
}

function range(r: Range, digits = 1): string {
  if (r === null) return '–';
  return r.min === r.max ? n(r.min, digits) : `${n(r.min, digits)}–${n(r.max, digits)}`;
}

/** The machine column: yes/no, other processes' cores (or "load" when only the load average was read), load before → after. */
export function quietCell(s: LoadStep): string {
  const ml = s.machineLoad;
  const other = ml.otherCpuCores === null ? '' : `other ${n(ml.otherCpuCores, 2)} cores, `;
  return `${s.representative ? 'yes' : '**no**'} (${other}load ${n(ml.load1Before, 2)} → ${n(ml.load1After, 2)})`;
}

/** Whether a sweep's table gets the game columns: bots that fight, loot or quest. */
function playsGame(r: Pick<SweepResult, 'steps' | 'setup'>): boolean {
  return r.setup.behavior !== undefined && r.setup.behavior !== 'wander';
}

/** One sweep's step table. */
export function stepTable(r: Pick<SweepResult, 'steps' | 'setup'>): string[] {
  const game = playsGame(r);
  const head = [
    'players',
    'held',
    'quiet machine',
    'tick p50 / p99 (ms)',
    'ping RTT p50 / p99 (ms)',
    'input→ack p50 / p99 (ms)',
    'snapshots/s per bot',
    'in view',
    'KB/s per bot (in / out)',
    'server CPU (cores)',
    'server KB per player (RSS / heap)',
    'bot CPU (cores)',
    'coordinator loop delay p99 / max (ms)',
  ];
  if (game) head.push('kills', 'loot picked up', 'items equipped', 'quests accepted / completed', 'DB item transactions (p99 ms)');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 1 || i === 2 ? ':---:' : '---:')).join('|')}|`];
  for (const s of r.steps) {
    const cells = [
      String(s.players),
      s.held ? 'yes' : `**no**: ${s.missed.join('; ')}`,
      quietCell(s),
      `${n(s.tickP50Ms, 2)} / ${n(s.tickP99Ms, 1)}`,
      `${n(s.rttPingP50Ms, 1)} / ${n(s.rttPingP99Ms, 1)}`,
      `${n(s.rttInputP50Ms, 0)} / ${n(s.rttInputP99Ms, 0)}`,
      n(s.snapshotsPerSecondPerBot, 1),
      n(s.entitiesInView, 1),
      `${n(s.bytesInPerSecondPerBot === null ? null : s.bytesInPerSecondPerBot / 1024, 2)} / ${n(s.bytesOutPerSecondPerBot === null ? null : s.bytesOutPerSecondPerBot / 1024, 2)}`,
      n(s.serverCpuCores, 2),
      `${perPlayer(s.serverBytesPerPlayer)} / ${perPlayer(s.serverHeapBytesPerPlayer)}`,
      n(s.botCpuCores, 2),
      `${n(s.loopDelay.p99Ms, 1)} / ${n(s.loopDelay.maxMs, 1)}`,
    ];
    if (game) {
      const g = s.game;
      const tx = s.itemOps;
      cells.push(String(g.kills), String(g.pickedUp), String(g.equipped), `${g.questsAccepted} / ${g.questsCompleted}`, tx ? `${tx.committed} (${n(tx.transactionP99Ms, 1)})` : '–');
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Where each step's CPU went, by thread (thread-cpu.ts); nothing for results recorded without it. */
export function cpuLines(steps: readonly LoadStep[]): string[] {
  const lines: string[] = [];
  for (const s of steps) if (s.cpu) lines.push(`- ${s.players} players: ${windowCpuLine(s.cpu)}`);
  return lines.length === 0 ? [] : ['CPU by thread, in cores (user + kernel):', '', ...lines, ''];
}

function machineLine(r: SweepResult): string {
  const m = r.machine;
  return `${String(m.cpu)} × ${String(m.cores)} cores, ${String(m.memoryGiB)} GiB, Node ${String(m.node)}, ws ${String(m.ws)}`;
}

/** The markdown of one sweep (the "Latest results" section, or what a variant run prints). */
export function sweepMarkdown(r: SweepResult, jsonName: string, svgName: string): string {
  const ml = r.machine.loadAverage1m as { start: number; end: number } | undefined;
  const quiet = r.steps.filter((s) => s.representative).length;
  return [
    `Run of ${r.date.slice(0, 16).replace('T', ' ')} UTC, commit ${r.commit}, on ${machineLine(r)}; ${String(r.setup.world ?? 'generated')} world, ${String(r.setup.database ?? '')}; ` +
      `bots on the same machine (${String(r.setup.bots ?? '')}); load average ${ml ? `${ml.start} at start, ${ml.end} at end` : '?'} (1 min); ${r.durationSeconds} s in all. ` +
      `Files: [\`${jsonName}\`](../bench/results/${jsonName}), [\`${svgName}\`](../bench/results/${svgName}).`,
    '',
    `**Largest count held: ${r.maxPlayersHeld} players.** Stopped because: ${r.stopReason}. ` +
      (quiet === r.steps.length ? 'Every step was measured on a quiet machine.' : `**${r.steps.length - quiet} of ${r.steps.length} steps were not representative** (other work was running: see "quiet machine").`),
    '',
    collapseLine(collapseCheck(r.steps)),
    '',
    ...stepTable(r),
    '',
    ...cpuLines(r.steps),
    `![load plot](../bench/results/${svgName})`,
    '',
  ].join('\n');
}

/** The markdown of a `--repeat` run: the held counts out of n, then each run. */
export function repeatMarkdown(runs: SweepResult[], tally: StepTally[], jsonName: string, svgNames: string[]): string {
  const first = runs[0];
  const lines = [
    `${runs.length} runs of the sweep, from ${first.date.slice(0, 16).replace('T', ' ')} UTC, commit ${first.commit}, on ${machineLine(first)}; ${String(first.setup.world ?? 'generated')} world, ` +
      `${String(first.setup.database ?? '')}; bots on the same machine (${String(first.setup.bots ?? '')}); each run on a fresh server. File: [\`${jsonName}\`](../bench/results/${jsonName}).`,
    '',
    `**Held in ${runs.length} runs out of ${runs.length}: ${heldInEveryRun(tally)} players.** Largest count held per run: ${runs.map((r) => r.maxPlayersHeld).join(', ')}.`,
    '',
    `Bytes per player at the first step missed against the last held, per run (at most ${COLLAPSE_LIMIT}×): ${runs.map((r) => ratioOf(collapseCheck(r.steps))).join('; ')}.`,
    '',
    '| players | held | of them on a quiet machine | measured quiet | tick p99 (ms) | ping RTT p99 (ms) | snapshots/s per bot | coordinator loop delay p99 (ms) |',
    '|---:|:---:|:---:|:---:|---:|---:|---:|---:|',
  ];
  for (const t of tally) {
    lines.push(
      `| ${t.players} | ${heldOutOf(t)} | ${t.heldRepresentative}/${t.held} | ${t.representative}/${t.measured} | ${range(t.tickP99Ms)} | ${range(t.rttPingP99Ms)} | ${range(t.snapshotsPerSecondPerBot)} | ${range(t.loopDelayP99Ms)} |`,
    );
  }
  lines.push('', 'A run that stopped before a step (it missed an earlier one) did not hold it. Figures are the lowest–highest over the runs that measured the step.', '');
  runs.forEach((r, i) => {
    const ml = r.machine.loadAverage1m as { start: number; end: number } | undefined;
    lines.push(
      `### Run ${i + 1} of ${runs.length}`,
      '',
      `${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.durationSeconds} s, load average ${ml ? `${ml.start} → ${ml.end}` : '?'}; largest count held ${r.maxPlayersHeld}; stopped because: ${r.stopReason}.`,
      '',
      collapseLine(collapseCheck(r.steps)),
      '',
      ...stepTable(r),
      '',
      ...cpuLines(r.steps),
      `![load plot, run ${i + 1}](../bench/results/${svgNames[i]})`,
      '',
    );
  });
  return lines.join('\n');
}
