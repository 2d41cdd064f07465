import { describe, expect, it } from 'vitest';
import { ACK_LAG_BUCKETS_SECONDS, FRAME_INTERVAL_BUCKETS_SECONDS, StatSlot } from '../../src/shared/layout.ts';
import { readHistogram } from '../../src/shared/stats.ts';
import { MAX_PACE_SHIFT } from '../../src/shared/send-rate.ts';
import { PlayerState } from '../../src/workers/player-state.ts';
import { PACE_BACKOFF_MS, PACE_HOLD_MS, SendPacer } from '../../src/workers/send-pacing.ts';

const stats = () => new Float64Array(StatSlot.words);

describe('SendPacer', () => {
  it('a player is due every interval ticks, on the ticks of its connection\'s phase', () => {
    const pacer = new SendPacer(60, 3);
    for (const conn of [1, 2, 3, 7]) {
      const p = new PlayerState(conn, 0, 1);
      const s = stats();
      const due: number[] = [];
      for (let t = 1; t <= 30; t++) {
        if (!pacer.due(p, t)) continue;
        due.push(t);
        p.ackTick = t; // an attentive client
        pacer.sent(p, t, s);
      }
      expect(due.every((t) => (t + conn) % 3 === 0)).toBe(true);
      expect(due.slice(1).map((t, i) => t - due[i])).toEqual(new Array(due.length - 1).fill(3));
    }
  });

  it('backs a lagging client off by doubling, at most MAX_PACE_SHIFT times, at most once per hold, and recovers when it catches up', () => {
    const hz = 20;
    const pacer = new SendPacer(hz, 1);
    const p = new PlayerState(1, 0, 1);
    const s = stats();
    const intervals: number[] = [];
    let t = 1;
    // The client acknowledged tick 1 and then nothing: its lag grows.
    for (; t <= 200; t++) {
      if (!pacer.due(p, t)) continue;
      if (t === 1) p.ackTick = 1;
      pacer.sent(p, t, s);
      intervals.push(pacer.frameInterval(p));
    }
    expect(p.paceShift).toBe(MAX_PACE_SHIFT);
    expect(Math.max(...intervals)).toBe(1 << MAX_PACE_SHIFT);
    expect(s[StatSlot.paceBackoffs]).toBe(MAX_PACE_SHIFT);
    // No backoff before the lag passed the threshold, and the changes a hold apart.
    const firstBackoff = intervals.indexOf(2) + 1;
    expect(firstBackoff).toBeGreaterThan((PACE_BACKOFF_MS / 1000) * hz);
    expect(intervals.indexOf(4) - intervals.indexOf(2)).toBeGreaterThanOrEqual(Math.floor((PACE_HOLD_MS / 1000) * hz / 2));
    // It catches up: acks come back at once, the interval halves back to 1.
    for (; t <= 400; t++) {
      if (!pacer.due(p, t)) continue;
      p.ackTick = t - 1;
      pacer.sent(p, t, s);
    }
    expect(p.paceShift).toBe(0);
    expect(s[StatSlot.paceRecoveries]).toBe(MAX_PACE_SHIFT);
  });

  it('at a high send rate a lagging client is paced before half its baselines are in flight, so they still cover a second', () => {
    const hz = 60;
    const pacer = new SendPacer(hz, 1, 32);
    const p = new PlayerState(1, 0, 1);
    const s = stats();
    let firstBackoff = 0;
    for (let t = 1; t <= 600; t++) {
      if (!pacer.due(p, t)) continue;
      if (t === 1) p.ackTick = 1;
      pacer.sent(p, t, s);
      if (p.paceShift > 0 && firstBackoff === 0) firstBackoff = t;
    }
    // 16 frames in flight at 60 a second: well before 600 ms (36 ticks).
    expect(firstBackoff).toBeLessThanOrEqual(1 + 16 + 1 + 1);
    expect(p.paceShift).toBe(MAX_PACE_SHIFT);
    // Paced to 15 a second, 32 baselines hold more than two seconds.
    expect(32 * pacer.frameInterval(p)).toBeGreaterThanOrEqual(hz);
  });

  it('a client that never acks counts its lag from its first frame, and one that resyncs starts afresh', () => {
    const pacer = new SendPacer(20, 1);
    const p = new PlayerState(1, 0, 1);
    expect(pacer.ackLag(p, 50)).toBe(0);
    pacer.sent(p, 10, stats());
    expect(pacer.ackLag(p, 50)).toBe(40);
    p.ackTick = 45;
    expect(pacer.ackLag(p, 50)).toBe(5);
    p.paceShift = 2;
    p.ackTick = 0;
    p.resetPacing();
    expect(p.paceShift).toBe(0);
    expect(pacer.ackLag(p, 60)).toBe(0);
  });

  it('observes the ack lag and the frame interval in seconds, once per call', () => {
    const pacer = new SendPacer(20, 2);
    const p = new PlayerState(1, 0, 1);
    const s = stats();
    p.ackTick = 90;
    p.paceShift = 1;
    pacer.observe(p, 100, s);
    const lag = readHistogram(s, StatSlot.histAckLag, ACK_LAG_BUCKETS_SECONDS);
    expect(lag.count).toBe(1);
    expect(lag.sum).toBeCloseTo(0.5); // 10 ticks at 20 Hz
    const interval = readHistogram(s, StatSlot.histFrameInterval, FRAME_INTERVAL_BUCKETS_SECONDS);
    expect(interval.count).toBe(1);
    expect(interval.sum).toBeCloseTo(0.2); // 2 << 1 ticks at 20 Hz
  });
});
