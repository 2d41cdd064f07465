/**
 * `npm run bench:ab`: the load bench's steps run alternately on a base
 * commit and on the working tree, each on a fresh server, so that a change
 * is compared with what came before in the same hour of the same box
 * (docs/benchmarks.md: the box's speed drifts by 10 % from one hour to the
 * next, more than most changes move). The order goes base, head, head,
 * base, ... so that a drift during the runs weighs on both sides alike.
 * This module is the command line, the order and the summary; the driver
 * (bench/ab.bench.ts) makes the worktree and runs the bench.
 */
import { resolve } from 'node:path';
import { median } from './stats.ts';
import type { LoadStep } from './step-extras.ts';

export type AbSide = 'base' | 'head';

export interface AbArgs {
  /** The commit to compare with (anything `git rev-parse` takes). */
  base: string;
  pairs: number;
  out: string;
  /** The load bench's own options, passed on to both sides. */
  loadArgv: string[];
}

export class AbArgsError extends Error {
  override name = 'AbArgsError';
}

export const MAX_PAIRS = 20;
/** Options the runner sets for each run itself. */
const OWNED = ['--out', '--repeat', '--retries'];

export const AB_USAGE = `usage: npm run bench:ab -- --base REV [--pairs N (3, at most ${MAX_PAIRS})] [--out DIR] -- [load bench options, e.g. --steps 1500 --steady 20]
  Runs the load bench's steps alternately on REV (a git worktree) and on the working tree, base first,
  then head, head, base, ... each on a fresh server, without retries, and prints both sides' figures.`;

/** Parses the runner's options, then everything after `--` as the load bench's. Throws AbArgsError naming the option. */
export function parseAbArgs(argv: readonly string[], defaultOut: string): AbArgs {
  const a: AbArgs = { base: '', pairs: 3, out: defaultOut, loadArgv: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--') {
      a.loadArgv = argv.slice(i + 1);
      break;
    }
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined || x.startsWith('--')) throw new AbArgsError(`${k} needs a value`);
      return x;
    };
    switch (k) {
      case '--base': {
        const b = v();
        // A revision, not an option or a path trick: git's own names for commits.
        if (!/^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]{0,99}$/.test(b)) throw new AbArgsError(`--base must name a commit such as HEAD~1 or 512799e (got ${JSON.stringify(b)})`);
        a.base = b;
        break;
      }
      case '--pairs': {
        const raw = v();
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1 || n > MAX_PAIRS) throw new AbArgsError(`--pairs must be an integer from 1 to ${MAX_PAIRS} (got ${JSON.stringify(raw)})`);
        a.pairs = n;
        break;
      }
      case '--out':
        // Each side's bench runs in its own tree: a relative folder means the caller's, not the worktree's.
        a.out = resolve(v());
        break;
      case '--help':
        throw new AbArgsError(AB_USAGE);
      default:
        throw new AbArgsError(`unknown option ${JSON.stringify(k)} (the load bench's options go after --)\n${AB_USAGE}`);
    }
  }
  if (a.base === '') throw new AbArgsError(`--base is required\n${AB_USAGE}`);
  const owned = a.loadArgv.filter((x) => OWNED.includes(x));
  if (owned.length > 0) throw new AbArgsError(`${owned.join(', ')}: set by bench:ab for each run (no retries, one sweep, its own folder)`);
  if (!a.loadArgv.includes('--steps')) a.loadArgv = ['--steps', '1500', ...a.loadArgv];
  return a;
}

/** The runs in order: base, head, then head, base, and so on (ABBA), `pairs` of each. */
export function abOrder(pairs: number): AbSide[] {
  const out: AbSide[] = [];
  for (let p = 0; p < pairs; p++) out.push(...(p % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const)));
  return out;
}

/** What the summary reads of a load bench step (step-extras.ts LoadStep; `cpu` is null where /proc was not read). */
export type AbStep = Pick<
  LoadStep,
  'players' | 'held' | 'representative' | 'tickP99Ms' | 'rttPingP99Ms' | 'snapshotsPerSecondPerBot' | 'serverCpuCores' | 'botCpuCores' | 'botCpuMicrosPerFrame' | 'serverBytesPerPlayerVsIdle'
> & { cpu?: { coordinator: { userCores: number; kernelCores: number } } | null };

export interface AbRun {
  side: AbSide;
  steps: AbStep[];
}

/** The figures compared, how each is read from a step, and which way is better. */
export const AB_FIGURES = [
  { key: 'tickP99', label: 'tick p99 (ms)', of: (s: AbStep) => s.tickP99Ms, lowerIsBetter: true },
  { key: 'pingP99', label: 'ping RTT p99 (ms)', of: (s: AbStep) => s.rttPingP99Ms, lowerIsBetter: true },
  { key: 'snapshots', label: 'snapshots/s per bot', of: (s: AbStep) => s.snapshotsPerSecondPerBot, lowerIsBetter: false },
  { key: 'serverCpu', label: 'server CPU (cores)', of: (s: AbStep) => s.serverCpuCores, lowerIsBetter: true },
  { key: 'gateCpu', label: 'coordinator thread CPU (cores, user + kernel)', of: (s: AbStep) => (s.cpu ? s.cpu.coordinator.userCores + s.cpu.coordinator.kernelCores : null), lowerIsBetter: true },
  { key: 'botCpu', label: 'bot CPU (cores)', of: (s: AbStep) => s.botCpuCores, lowerIsBetter: true },
  { key: 'botMicros', label: 'bot CPU µs per frame', of: (s: AbStep) => s.botCpuMicrosPerFrame, lowerIsBetter: true },
  { key: 'kbPerPlayer', label: 'server KB per player over idle', of: (s: AbStep) => (s.serverBytesPerPlayerVsIdle === null ? null : s.serverBytesPerPlayerVsIdle / 1024), lowerIsBetter: true },
] as const;

export interface AbSideFigures {
  /** Runs that measured the step, held it, and measured it on a quiet machine. */
  measured: number;
  held: number;
  quiet: number;
  /** Each figure's value per run (in run order; null where a run had none) and their median. */
  figures: Record<string, { values: (number | null)[]; median: number | null }>;
}

export interface AbRow {
  players: number;
  base: AbSideFigures;
  head: AbSideFigures;
  /** Head's median over base's, per figure (null when either is missing or base's is 0). */
  ratio: Record<string, number | null>;
}

function sideFigures(steps: AbStep[]): AbSideFigures {
  const figures: AbSideFigures['figures'] = {};
  for (const f of AB_FIGURES) {
    const values = steps.map((s) => {
      const v = f.of(s);
      return v === null || !Number.isFinite(v) ? null : v;
    });
    const present = values.filter((v): v is number => v !== null);
    figures[f.key] = { values, median: present.length === 0 ? null : median(present) };
  }
  return { measured: steps.length, held: steps.filter((s) => s.held).length, quiet: steps.filter((s) => s.representative).length, figures };
}

/** Each step count any run measured, with both sides' figures and head's medians over base's. */
export function summariseAb(runs: readonly AbRun[]): AbRow[] {
  const counts = [...new Set(runs.flatMap((r) => r.steps.map((s) => s.players)))].sort((a, b) => a - b);
  return counts.map((players) => {
    const of = (side: AbSide) => runs.filter((r) => r.side === side).flatMap((r) => r.steps.filter((s) => s.players === players));
    const base = sideFigures(of('base'));
    const head = sideFigures(of('head'));
    const ratio: AbRow['ratio'] = {};
    for (const f of AB_FIGURES) {
      const b = base.figures[f.key].median;
      const h = head.figures[f.key].median;
      ratio[f.key] = b === null || h === null || b === 0 ? null : h / b;
    }
    return { players, base, head, ratio };
  });
}

const fmt = (v: number | null): string => (v === null ? '–' : String(Math.round(v * 100) / 100));

/** The summary as markdown: per step, each figure's runs and median on each side, and the ratio. */
export function abMarkdown(rows: readonly AbRow[], baseName: string, headName: string, pairs: number): string {
  const out: string[] = [`${pairs} pair(s) of runs, alternating (base, head, head, base, ...), each on a fresh server: base \`${baseName}\`, head \`${headName}\`.`, ''];
  for (const r of rows) {
    out.push(`**${r.players} players.** Held: base ${r.base.held} of ${r.base.measured}, head ${r.head.held} of ${r.head.measured}; on a quiet machine: base ${r.base.quiet}, head ${r.head.quiet}.`, '');
    out.push('| figure | base: runs (median) | head: runs (median) | head / base |', '|---|---|---|---:|');
    for (const f of AB_FIGURES) {
      const cell = (s: AbSideFigures) => `${s.figures[f.key].values.map(fmt).join(', ')} (${fmt(s.figures[f.key].median)})`;
      const ratio = r.ratio[f.key];
      out.push(`| ${f.label} | ${cell(r.base)} | ${cell(r.head)} | ${ratio === null ? '–' : ratio.toFixed(3)} |`);
    }
    out.push('');
  }
  out.push('A ratio inside the spread of either side\'s runs is noise, not a result.');
  return out.join('\n');
}
