import { describe, expect, it } from 'vitest';
import { LatencySet } from '../../src/bots/fleet.ts';
import { createLatencyHistogram, recordMs } from '../../src/bots/latency.ts';
import { defaultBotOptions } from '../../src/bots/options.ts';
import { buildReport, formatReport, progressLine, spread } from '../../src/bots/report.ts';

describe('spread', () => {
  it('gives nearest-rank percentiles over bots', () => {
    const s = spread(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(s).toMatchObject({ bots: 100, mean: 50.5, min: 1, p1: 1, p50: 50, p99: 99, max: 100 });
    expect(spread([]).mean).toBeNull();
  });
});

describe('buildReport', () => {
  const options = { ...defaultBotOptions(3), url: 'http://127.0.0.1:1', guests: true };
  const latency = new LatencySet();
  recordMs(latency.ping, 2);
  recordMs(latency.input, 40);
  const report = buildReport({
    options,
    total: { welcomed: 3, failed: { close_4006: 1 }, disconnects: {}, errors: {}, snapshots: 600, zoneChanges: 2, notices: { PORTAL_ZONE_FULL: 1 }, combat: { kills: 2 }, quests: { accepted: 2, completed: 1, refused_too_far: 1 }, items: { picked_up: 3, equipped: 1 }, framesIn: 640, bytesIn: 64000, framesOut: 300, bytesOut: 3000 },
    windowCounters: { welcomed: 0, failed: {}, disconnects: {}, errors: {}, snapshots: 600, zoneChanges: 2, notices: { PORTAL_ZONE_FULL: 1 }, combat: { kills: 2 }, quests: {}, items: {}, framesIn: 640, bytesIn: 64000, framesOut: 300, bytesOut: 3000 },
    latency,
    join: createLatencyHistogram(),
    collected: { seconds: 10, snapshotsPerSecond: [20, 20, 19.9], bytesInPerSecond: [2000, 2100, 2200], bytesOutPerSecond: [100, 100, 100], questsAccepted: [2], questsCompleted: [1] },
    openAtEnd: 3,
    joiningAtEnd: 0,
    startedAt: new Date(0),
    durationSeconds: 12,
    botCpuCores: 0.1,
    botRssBytes: 100 * 2 ** 20,
    workers: 1,
    server: null,
  });

  it('starts with numeric connected and failed', () => {
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 2)).toEqual(['connected', 'failed']);
    expect(json.connected).toBe(3);
    expect(json.failed).toBe(1);
    expect(report.failedByReason).toEqual({ close_4006: 1 });
  });

  it('carries per-bot rates and latencies', () => {
    expect(report.snapshotsPerSecondPerBot.mean).toBeCloseTo(19.97, 2);
    expect(report.bytesPerSecondPerBot.in.p50).toBe(2100);
    expect(report.framesPerSecond).toEqual({ in: 64, out: 30 });
    expect(report.rttMs.ping.p99).toBeCloseTo(2, 1);
    expect(report.rttMs.input.count).toBe(1);
    expect(report.joinMs.p99).toBeNull();
    expect('progress' in report.options).toBe(false);
  });

  it('counts quests per quester and items', () => {
    expect(report.quests).toEqual({ accepted: 2, completed: 1, refused_too_far: 1 });
    expect(report.questsPerBot?.completed).toMatchObject({ bots: 1, mean: 1, max: 1 });
    expect(report.items).toEqual({ picked_up: 3, equipped: 1 });
  });

  it('prints a table and a progress line', () => {
    const t = formatReport(report);
    expect(t).toMatch(/bots connected \/ target\s+3 \/ 3/);
    expect(t).toMatch(/failed\s+1 {2}\(close_4006: 1\)/);
    expect(t).toMatch(/zone changes\s+2 {2}\(PORTAL_ZONE_FULL: 1\)/);
    expect(t).toMatch(/server\s+not probed/);
    expect(t).toMatch(/quests\s+accepted: 2, completed: 1, refused_too_far: 1/);
    expect(t).toMatch(/quests per quester accepted \/ completed \(mean, min-max\)\s+2 \(2-2\) \/ 1 \(1-1\)/);
    expect(t).toMatch(/items\s+picked_up: 3, equipped: 1/);
    const line = progressLine({ elapsed: 3, open: 2, connecting: 1, target: 3, failed: 0, disconnects: 0, framesInPerSecond: 40, framesOutPerSecond: 20, pingP99: 1.5, inputP99: null });
    expect(line).toContain('connected 2/3 (+1 joining)');
    expect(line).toContain('RTT p99 ping 1.5 ms input –');
  });
});
