/**
 * `--repeat N`: the sweep run N times, each on a fresh server, and each
 * step's held count out of N. A run that stopped before a step (it missed an
 * earlier one, or ran out of time) did not hold it: "2000 held 2/3" means
 * two of the three runs measured 2,000 players and held them.
 */

/** What the tally reads from each run's steps. */
export interface RunStep {
  players: number;
  held: boolean;
  representative: boolean;
  tickP99Ms: number | null;
  rttPingP99Ms: number | null;
  snapshotsPerSecondPerBot: number | null;
  loopDelay: { p99Ms: number | null };
}

/** One step over every run. */
export interface StepTally {
  players: number;
  runs: number;
  /** Runs that measured this step. */
  measured: number;
  held: number;
  /** Runs whose measurement of it was representative (machine-load.ts), and of those, how many held. */
  representative: number;
  heldRepresentative: number;
  /** Over the runs that measured it: the lowest and highest of each figure (null when none had it). */
  tickP99Ms: Range;
  rttPingP99Ms: Range;
  snapshotsPerSecondPerBot: Range;
  loopDelayP99Ms: Range;
}

export type Range = { min: number; max: number } | null;

function range(xs: (number | null)[]): Range {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length === 0 ? null : { min: Math.min(...v), max: Math.max(...v) };
}

/** Each step count of any run, in order, with its tally over `runs`. */
export function tallyRuns(runs: readonly { steps: readonly RunStep[] }[]): StepTally[] {
  const counts = [...new Set(runs.flatMap((r) => r.steps.map((s) => s.players)))].sort((a, b) => a - b);
  return counts.map((players) => {
    const got = runs.map((r) => r.steps.find((s) => s.players === players)).filter((s): s is RunStep => s !== undefined);
    return {
      players,
      runs: runs.length,
      measured: got.length,
      held: got.filter((s) => s.held).length,
      representative: got.filter((s) => s.representative).length,
      heldRepresentative: got.filter((s) => s.held && s.representative).length,
      tickP99Ms: range(got.map((s) => s.tickP99Ms)),
      rttPingP99Ms: range(got.map((s) => s.rttPingP99Ms)),
      snapshotsPerSecondPerBot: range(got.map((s) => s.snapshotsPerSecondPerBot)),
      loopDelayP99Ms: range(got.map((s) => s.loopDelay.p99Ms)),
    };
  });
}

/** The largest count held in every run (0 when none was); steps above a count some run missed do not count. */
export function heldInEveryRun(t: readonly StepTally[]): number {
  let best = 0;
  for (const s of t) {
    if (s.held !== s.runs) break;
    best = s.players;
  }
  return best;
}

/** "k/n" for a tally row. */
export function heldOutOf(s: StepTally): string {
  return `${s.held}/${s.runs}`;
}
