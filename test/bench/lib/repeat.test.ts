import { describe, expect, it } from 'vitest';
import { heldInEveryRun, heldOutOf, tallyRuns, type RunStep } from '../../../bench/lib/repeat.ts';

const step = (players: number, held: boolean, o: Partial<RunStep> = {}): RunStep => ({
  players,
  held,
  representative: true,
  tickP99Ms: 10,
  rttPingP99Ms: 20,
  snapshotsPerSecondPerBot: 20,
  loopDelay: { p99Ms: 1 },
  ...o,
});

describe('tallyRuns', () => {
  it('counts each step held out of every run, a run that stopped before it counting as not held', () => {
    const runs = [
      { steps: [step(1000, true), step(1500, true), step(2000, true), step(3000, false)] },
      { steps: [step(1000, true), step(1500, true), step(2000, false)] },
      { steps: [step(1000, true), step(1500, true), step(2000, true), step(3000, false)] },
    ];
    const t = tallyRuns(runs);
    expect(t.map((s) => [s.players, heldOutOf(s), s.measured])).toEqual([
      [1000, '3/3', 3],
      [1500, '3/3', 3],
      [2000, '2/3', 3],
      [3000, '0/3', 2],
    ]);
    expect(heldInEveryRun(t)).toBe(1500);
  });

  it('keeps representative measurements apart and gives the range of each figure', () => {
    const runs = [
      { steps: [step(500, true, { representative: false, tickP99Ms: 30, loopDelay: { p99Ms: 9 } })] },
      { steps: [step(500, true, { tickP99Ms: 12, rttPingP99Ms: null })] },
      { steps: [step(500, false, { tickP99Ms: 70 })] },
    ];
    const [s] = tallyRuns(runs);
    expect(s).toMatchObject({ held: 2, representative: 2, heldRepresentative: 1, tickP99Ms: { min: 12, max: 70 }, rttPingP99Ms: { min: 20, max: 20 }, loopDelayP99Ms: { min: 1, max: 9 } });
    expect(heldInEveryRun([s])).toBe(0);
  });

  it('holds nothing in every run when a run held nothing, and counts past a gap no further', () => {
    expect(heldInEveryRun(tallyRuns([{ steps: [step(250, true)] }, { steps: [step(250, false)] }]))).toBe(0);
    // 1000 missed by one run: 2000, held by all that reached it, does not count.
    const t = tallyRuns([{ steps: [step(1000, true), step(2000, true)] }, { steps: [step(1000, false)] }]);
    expect(heldInEveryRun(t)).toBe(0);
    expect(tallyRuns([])).toEqual([]);
  });
});
