import { describe, expect, it } from 'vitest';
import { CLIENT_HISTORY } from '../../src/protocol/client-view.ts';
import { baselinesPerClient, logWindowTicks, MAX_BASELINES_PER_CLIENT, maxFrameInterval, MIN_BASELINES_PER_CLIENT, sendInterval } from '../../src/shared/send-rate.ts';

describe('send rate sizing', () => {
  it('the send interval is TICK_HZ / SEND_HZ in whole ticks, 1 when unset or not below the tick rate', () => {
    expect(sendInterval(20, undefined)).toBe(1);
    expect(sendInterval(20, 20)).toBe(1);
    expect(sendInterval(20, 60)).toBe(1);
    expect(sendInterval(60, 20)).toBe(3);
    expect(sendInterval(60, 60)).toBe(1);
    expect(sendInterval(30, 20)).toBe(2); // 1.5 rounds to 2: 15 frames a second
    expect(sendInterval(20, 1)).toBe(20);
  });

  it('the logs keep twice the longest paced interval, so a frame late by an interval still finds every event', () => {
    expect(maxFrameInterval(1)).toBe(4);
    expect(logWindowTicks(1)).toBe(8);
    expect(logWindowTicks(3)).toBe(24);
  });

  it('a client keeps 32 baselines: a second of frames up to SEND_HZ 32, and never more than a client holds', () => {
    for (const tickHz of [1, 10, 20, 30, 60]) {
      for (const sendHz of [1, 5, 10, 20, 30, 60]) {
        if (sendHz > tickHz) continue;
        const n = baselinesPerClient(tickHz, sendHz);
        const framesPerSecond = tickHz / sendInterval(tickHz, sendHz);
        expect(n).toBeGreaterThanOrEqual(MIN_BASELINES_PER_CLIENT);
        expect(n).toBeLessThanOrEqual(CLIENT_HISTORY);
        expect(n).toBeLessThanOrEqual(MAX_BASELINES_PER_CLIENT);
        // A second of frames up to 32 a second (above it, pacing keeps a lagging client's second: send-pacing.test.ts).
        if (framesPerSecond <= 32) expect(n / framesPerSecond).toBeGreaterThanOrEqual(1);
      }
    }
    expect(baselinesPerClient(20, 20)).toBe(32);
  });
});
