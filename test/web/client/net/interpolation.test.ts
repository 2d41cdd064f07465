/**
 * Others are drawn ~100 ms behind the newest snapshot, between the samples
 * around the render tick: a walker's drawn path is smooth and monotonic
 * under arrival jitter up to the delay, extrapolation past the newest
 * sample is capped when snapshots stop, and a teleport is not slid across.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/shared/random.ts';
import { Track, type Drawn } from '../../../../web/client/src/net/interpolation.ts';
import { TickClock } from '../../../../web/client/src/net/tick-clock.ts';

const TICK_MS = 50;

describe('interpolation', () => {
  it('interpolates between samples and caps extrapolation when snapshots stop', () => {
    const t = new Track({ maxExtrapolationTicks: 5 });
    for (let tick = 10; tick <= 20; tick++) t.push(tick, tick * 0.3, 5);
    const out: Drawn = { x: 0, y: 0, extrapolated: false };
    t.sample(15.5, out);
    expect(out.x).toBeCloseTo(15.5 * 0.3, 9);
    expect(out.extrapolated).toBe(false);
    t.sample(22, out);
    expect(out.x).toBeCloseTo(22 * 0.3, 9);
    expect(out.extrapolated).toBe(true);
    // Capped at five ticks past the newest sample, however late.
    t.sample(100, out);
    expect(out.x).toBeCloseTo(25 * 0.3, 9);
    t.sample(5, out);
    expect(out.x).toBeCloseTo(10 * 0.3, 9);
  });

  it('does not slide across a teleport', () => {
    const t = new Track();
    t.push(1, 10, 10);
    t.push(2, 10.3, 10);
    t.push(3, 40, 40);
    t.push(4, 40.3, 40);
    const out: Drawn = { x: 0, y: 0, extrapolated: false };
    t.sample(2.5, out);
    expect([out.x, out.y]).toEqual([40, 40]);
  });

  for (const jitter of [0, 30, 50]) {
    it(`draws a steady walker monotonically and without extrapolating under ${jitter} ms of arrival jitter`, () => {
      const rnd = mulberry32(jitter + 1);
      const clock = new TickClock({ tickHz: 20 });
      const t = new Track();
      const arrivals: { at: number; tick: number }[] = [];
      let last = 0;
      for (let tick = 1; tick <= 200; tick++) {
        last = Math.max(last, tick * TICK_MS + 40 + rnd() * jitter);
        arrivals.push({ at: last, tick });
      }
      const out: Drawn = { x: 0, y: 0, extrapolated: false };
      let prev = -Infinity;
      let extrapolated = 0;
      let frames = 0;
      for (let now = 0, a = 0; now < 200 * TICK_MS; now += 16.7) {
        while (a < arrivals.length && arrivals[a].at <= now) {
          clock.onSnapshot(arrivals[a].tick, arrivals[a].at);
          t.push(arrivals[a].tick, arrivals[a].tick * 0.15, 3);
          a++;
        }
        if (clock.samples < 10 || !t.sample(clock.renderTick(now), out)) continue;
        frames++;
        expect(out.x).toBeGreaterThanOrEqual(prev);
        prev = out.x;
        if (out.extrapolated) extrapolated++;
      }
      expect(frames).toBeGreaterThan(500);
      expect(extrapolated).toBe(0);
      expect(clock.delayMs).toBeLessThanOrEqual(100 + Math.max(0, jitter - 50));
    });
  }
});
