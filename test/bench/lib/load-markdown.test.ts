import { describe, expect, it } from 'vitest';
import { repeatMarkdown, stepTable, sweepMarkdown } from '../../../bench/lib/load-markdown.ts';
import type { SweepResult } from '../../../bench/lib/load-sweep.ts';
import { tallyRuns } from '../../../bench/lib/repeat.ts';
import type { LoadStep } from '../../../bench/lib/step-extras.ts';

const step = (players: number, held: boolean, representative: boolean): LoadStep =>
  ({
    players,
    held,
    missed: held ? [] : ['RTT p99 120 ms > 100 ms'],
    tickP50Ms: 1,
    tickP99Ms: 5,
    rttPingP50Ms: 1,
    rttPingP99Ms: held ? 9 : 120,
    rttInputP50Ms: 30,
    rttInputP99Ms: 60,
    snapshotsPerSecondPerBot: 20,
    entitiesInView: 12,
    bytesInPerSecondPerBot: 2048,
    bytesOutPerSecondPerBot: 200,
    serverCpuCores: 0.5,
    serverBytesPerPlayer: 30_000,
    serverHeapBytesPerPlayer: null,
    botCpuCores: 0.4,
    representative,
    representativeBasis: 'proc',
    notRepresentativeBecause: representative ? '' : 'other processes used 1.20 cores (> 0.10)',
    machineLoad: { load1Before: 0.2, load1After: 1.4, otherCpuCores: representative ? 0.02 : 1.2, ownCpuCores: 0.9, stealCores: 0, seconds: 30 },
    loopDelay: { p99Ms: 3.5, maxMs: 20, meanMs: 0.4 },
    itemOps: { committed: 42, byOp: { loot: 40, equip: 2 }, refused: 1, transactionP99Ms: 8.2 },
    game: { kills: 17, deaths: 2, experience: 900, pickedUp: 40, equipped: 2, questsAccepted: 5, questsCompleted: 1 },
  }) as unknown as LoadStep;

const result = (behavior: string, steps: LoadStep[]): SweepResult =>
  ({
    maxPlayersHeld: Math.max(0, ...steps.filter((s) => s.held).map((s) => s.players)),
    date: '2026-12-02T10:00:00.000Z',
    commit: 'abc123',
    run: { index: 1, of: 1 },
    machine: { cpu: 'CPU', cores: 2, memoryGiB: 8, node: 'v24', ws: '8', loadAverage1m: { start: 0.1, end: 1.5 } },
    stopReason: 'step 100 missed',
    budgets: { tickP99Ms: 50, rttP99Ms: 100, minConnectedShare: 0.99, minSnapshotShare: 0.9 },
    setup: { world: 'default (data)', database: 'PGlite', behavior, bots: `accounts, ${behavior}` },
    durationSeconds: 100,
    steps,
  }) as unknown as SweepResult;

describe('the load bench tables', () => {
  it('show per step whether the machine was quiet, the loop delay, and the game when bots play it', () => {
    const rows = stepTable(result('fight', [step(50, true, true), step(100, false, false)]));
    expect(rows[0]).toContain('quiet machine');
    expect(rows[0]).toContain('coordinator loop delay p99 / max (ms)');
    expect(rows[0]).toContain('kills | loot picked up | items equipped | quests accepted / completed | DB item transactions (p99 ms)');
    expect(rows[2]).toContain('| yes | yes (other 0.02 cores, load 0.2 → 1.4) |');
    expect(rows[2]).toContain('| 3.5 / 20 | 17 | 40 | 2 | 5 / 1 | 42 (8.2) |');
    expect(rows[3]).toContain('**no**: RTT p99 120 ms > 100 ms | **no** (other 1.2 cores, load 0.2 → 1.4)');
    // Wanderers play no game: no such columns.
    expect(stepTable(result('wander', [step(50, true, true)]))[0]).not.toContain('kills');
  });

  it('say how many steps were not representative, and the commit', () => {
    const md = sweepMarkdown(result('fight', [step(50, true, true), step(100, false, false)]), 'a.json', 'a.svg');
    expect(md).toContain('commit abc123');
    expect(md).toContain('**1 of 2 steps were not representative**');
    expect(sweepMarkdown(result('fight', [step(50, true, true)]), 'a.json', 'a.svg')).toContain('Every step was measured on a quiet machine.');
  });

  it('say whether the first step missed collapsed: its bytes per player against the last held', () => {
    const md = sweepMarkdown(result('wander', [step(50, true, true), step(100, false, true)]), 'a.json', 'a.svg');
    expect(md).toContain('No collapse: at 100 players (missed) each player received 2.00 KB/s with 12.0 in view, against 2.00 KB/s with 12.0 in view at 50 (held): 1× the bytes, 1× per entity in view (at most 1.5×).');
    expect(sweepMarkdown(result('wander', [step(50, true, true)]), 'a.json', 'a.svg')).toContain('No collapse check');
  });

  it('give each step held k/n over the runs of a --repeat, then each run', () => {
    const runs = [result('wander', [step(50, true, true), step(100, true, true)]), result('wander', [step(50, true, false), step(100, false, true)])];
    const md = repeatMarkdown(runs, tallyRuns(runs), 'r.json', ['r1.svg', 'r2.svg']);
    expect(md).toContain('**Held in 2 runs out of 2: 50 players.**');
    expect(md).toContain('| 50 | 2/2 | 1/2 | 1/2 |');
    expect(md).toContain('| 100 | 1/2 | 1/1 | 2/2 |');
    expect(md).toContain('### Run 2 of 2');
    // The first run missed nothing; the second missed 100 after holding 50.
    expect(md).toContain('per run (at most 1.5×): –; 1× per entity in view (1× the bytes).');
    expect(md).toContain('r2.svg');
  });

  it('list each step\'s CPU by thread under its run\'s table when the step has it, and nothing for older results', () => {
    const cpu = {
      coordinator: { userCores: 0.33, kernelCores: 0.25 },
      cells: { userCores: 0.26, kernelCores: 0, threads: 2 },
      serverOther: { userCores: 0.01, kernelCores: 0 },
      bots: { userCores: 0.66, kernelCores: 0.24 },
    };
    const md = sweepMarkdown(result('wander', [{ ...step(50, true, true), cpu }, step(100, false, true)]), 'a.json', 'a.svg');
    expect(md).toContain('CPU by thread, in cores (user + kernel):\n\n- 50 players: coordinator 0.33 + 0.25 kernel, cells 0.26 + 0.00 kernel (2 threads), other server threads 0.01 + 0.00 kernel, bots 0.66 + 0.24 kernel\n\n![load plot]');
    expect(md).not.toContain('- 100 players:');
    const runs = [result('wander', [{ ...step(50, true, true), cpu }])];
    expect(repeatMarkdown(runs, tallyRuns(runs), 'r.json', ['r1.svg'])).toContain('- 50 players: coordinator 0.33 + 0.25 kernel');
    expect(sweepMarkdown(result('wander', [step(50, true, true)]), 'a.json', 'a.svg')).not.toContain('CPU by thread');
  });
});
