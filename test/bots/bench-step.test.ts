import { describe, expect, it } from 'vitest';
import { judgeStep, stepFrom } from '../../src/bots/bench-step.ts';
import type { BotReport } from '../../src/bots/report.ts';
import type { ServerFigures } from '../../src/bots/server-probe.ts';

function report(over: { ping?: number | null; tick?: number | null; open?: number; snaps?: number; rss?: number }): BotReport {
  const server: ServerFigures = {
    source: over.tick === undefined ? 'proc' : 'metrics',
    note: '',
    seconds: 20,
    cpuCores: 0.8,
    rssBytes: over.rss ?? 600 * 2 ** 20,
    heapAndExternalBytes: over.rss === undefined ? null : over.rss / 10,
    gate: { aoiMean: 31.5, loopDelayP99Ms: 4, loopDelayMeanMs: 1, loopDelayMaxMs: 9, backpressureSkips: 0, backpressureKicks: 0, bytesOutPerSecond: 3_000_000, messagesOutPerSecond: 20_000 },
    tick:
      over.tick === undefined
        ? null
        : { phase: 'total', budgetMs: 50, p50Ms: 2, p99Ms: over.tick, worstCellP99Ms: over.tick, worstCellWithinBudget: 1, ticks: 800, overruns: 0, cells: [] },
  };
  const lat = (p99: number | null) => ({ count: p99 === null ? 0 : 100, p50: p99, p95: p99, p99, max: p99 });
  return {
    connected: 1000,
    failed: 0,
    target: 1000,
    openAtEnd: over.open ?? 1000,
    joiningAtEnd: 0,
    failedByReason: {},
    disconnects: 0,
    disconnectsByReason: {},
    errors: 0,
    combat: {},
    quests: {},
    questsPerBot: null,
    items: {},
    errorsByReason: {},
    zoneChanges: 0,
    noticesByReason: {},
    startedAt: '',
    durationSeconds: 30,
    windowSeconds: 20,
    rttMs: { ping: lat(over.ping === undefined ? 5 : over.ping), input: lat(60) },
    snapshotGapMs: lat(55),
    joinMs: lat(50),
    snapshotsPerSecondPerBot: { bots: 1000, mean: over.snaps ?? 20, min: 19, p1: 19, p50: 20, p99: 20, max: 21 },
    bytesPerSecondPerBot: { in: { bots: 1000, mean: 3000, min: 0, p1: 0, p50: 0, p99: 0, max: 0 }, out: { bots: 1000, mean: 200, min: 0, p1: 0, p50: 0, p99: 0, max: 0 } },
    framesPerSecond: { in: 20000, out: 11000 },
    bots: { workers: 2, cpuCores: 0.9, cpuMicrosPerFrame: 12, loopDelayP99MaxMs: 3, loopUtilisationMax: 0.5, rssBytes: 1e8, rssBytesPerBot: 1e5 },
    server,
    warnings: [],
    options: {} as BotReport['options'],
  };
}

describe('judgeStep', () => {
  it('holds within every budget', () => {
    expect(judgeStep(1000, report({ tick: 12 }), 20)).toEqual([]);
  });

  it('names each missed budget', () => {
    expect(judgeStep(1000, report({ tick: 51 }), 20)).toEqual(['tick p99 51 ms > 50 ms']);
    expect(judgeStep(1000, report({ tick: 10, ping: 140 }), 20)).toEqual(['RTT p99 140 ms > 100 ms']);
    expect(judgeStep(1000, report({ tick: 10, open: 980 }), 20)).toEqual(['only 980 of 1000 connected at the end']);
    expect(judgeStep(1000, report({ tick: 10, snaps: 15 }), 20)).toEqual(['snapshots 15/s per bot < 18.0']);
    expect(judgeStep(1000, report({ tick: 10, ping: null }), 20)).toEqual(['no RTT samples']);
  });

  it('without tick figures, judges on the rest', () => {
    expect(judgeStep(1000, report({}), 20)).toEqual([]);
  });
});

describe('stepFrom', () => {
  it('gives memory per player as growth since the first step', () => {
    const MiB = 2 ** 20;
    const first = stepFrom(250, report({ tick: 5, rss: 625 * MiB }), 20, 600 * MiB, null);
    expect(first.serverBytesPerPlayer).toBe(Math.round((25 * MiB) / 250));
    const later = stepFrom(1000, report({ tick: 5, rss: 700 * MiB }), 20, 600 * MiB, { players: 250, rssBytes: 625 * MiB });
    expect(later.serverBytesPerPlayer).toBe(Math.round((75 * MiB) / 750));
    expect(later.serverBytesPerPlayerVsIdle).toBe(Math.round((100 * MiB) / 1000));
    expect(first.serverHeapBytesPerPlayer).toBeNull();
    const withHeap = stepFrom(1000, report({ tick: 5, rss: 700 * MiB }), 20, 600 * MiB, { players: 250, rssBytes: 625 * MiB, heapBytes: 62.5 * MiB });
    expect(withHeap.serverHeapBytesPerPlayer).toBe(Math.round((7.5 * MiB) / 750));
    expect(later.held).toBe(true);
    expect(later.tickP99Ms).toBe(5);
    expect(later.entitiesInView).toBe(31.5);
  });

  it("carries the questers' and looters' counts (zero when the run had none)", () => {
    const r = report({ tick: 5 });
    expect(stepFrom(250, r, 20, null, null)).toMatchObject({ questsAccepted: 0, questsCompleted: 0, itemsPickedUp: 0, itemsEquipped: 0 });
    r.quests = { accepted: 30, completed: 12, refused_too_far: 2 };
    r.items = { picked_up: 40, equipped: 5 };
    expect(stepFrom(250, r, 20, null, null)).toMatchObject({ questsAccepted: 30, questsCompleted: 12, itemsPickedUp: 40, itemsEquipped: 5 });
  });
});
