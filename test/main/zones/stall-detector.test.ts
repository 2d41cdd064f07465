import { describe, expect, it } from 'vitest';
import { StallDetector, WARMUP_FACTOR, WARMUP_TICKS, type StallVerdict } from '../../../src/main/zones/stall-detector.ts';

const limits = { stuckAfterMs: 2000, loopCpuMs: 300, hangAfterMs: 10_000 };
/** Well past the warm-up: the heartbeat the tests' cells stand at. */
const TICK = 1000;

/**
 * Drives a detector through samples every `stepMs` for `ms`, the heartbeat
 * held at `tick`; `cpuPerStep` is the CPU the thread burns per step (given
 * only when the detector asks for it, as the supervisor does). Returns the
 * verdicts with the time each came.
 */
function drive(d: StallDetector, o: { from: number; ms: number; stepMs?: number; tick: number; inTick: boolean; cpuPerStep: number; cpuFrom?: number }): { at: number; verdict: StallVerdict }[] {
  const step = o.stepMs ?? 100;
  const out: { at: number; verdict: StallVerdict }[] = [];
  let cpu = o.cpuFrom ?? 5000;
  for (let t = o.from + step; t <= o.from + o.ms; t += step) {
    cpu += o.cpuPerStep;
    const verdict = d.observe(t, o.tick, o.inTick, d.wantsCpu(o.tick, o.inTick) ? cpu : undefined);
    out.push({ at: t - o.from, verdict });
  }
  return out;
}

/** A detector of a cell that started long ago (past the warm-up) and reached TICK at time 0. */
function settled(): StallDetector {
  const d = new StallDetector(limits);
  d.reset(-10_000, TICK - WARMUP_TICKS);
  d.observe(0, TICK, false);
  return d;
}

const first = (vs: { at: number; verdict: StallVerdict }[], v: StallVerdict) => vs.find((x) => x.verdict === v)?.at;

describe('stall detector', () => {
  it('calls a cell whose heartbeat moves running, whatever CPU it burns, and asks for no CPU figure', () => {
    const d = settled();
    for (let k = 1; k <= 200; k++) {
      expect(d.wantsCpu(TICK + k, true)).toBe(false);
      expect(d.observe(k * 100, TICK + k, k % 2 === 0)).toBe('running');
    }
  });

  it('terminates a cell looping inside a tick once it burned loopCpuMs, long before the stuck report', () => {
    const d = settled();
    // A whole core: 100 ms of CPU per 100 ms sample.
    const vs = drive(d, { from: 0, ms: 3000, tick: TICK, inTick: true, cpuPerStep: 100 });
    // The first sample takes the baseline; three more make 300 ms.
    expect(first(vs, 'looping')).toBe(100 + limits.loopCpuMs);
    expect(vs.filter((v) => v.at < 400).every((v) => v.verdict === 'running')).toBe(true);
    expect(d.cpuInTickMs).toBeGreaterThanOrEqual(300);
  });

  it('terminates a looping cell on a loaded box too, once its share of a core added up to loopCpuMs', () => {
    const d = settled();
    // A tenth of a core (load 20 on 2 cores): 10 ms of CPU per 100 ms.
    const vs = drive(d, { from: 0, ms: 6000, tick: TICK, inTick: true, cpuPerStep: 10 });
    expect(first(vs, 'stuck')).toBe(2000);
    expect(first(vs, 'looping')).toBe(3100);
  });

  it('never calls a cell waiting inside a tick (at the barrier, or starved) looping: stuck, then hung only at hangAfterMs', () => {
    const d = settled();
    // Waiting burns nothing; a starved healthy tick burns its own few milliseconds and no more.
    const vs = drive(d, { from: 0, ms: 12_000, tick: TICK, inTick: true, cpuPerStep: 0.2 });
    expect(first(vs, 'looping')).toBeUndefined();
    expect(first(vs, 'stuck')).toBe(2000);
    expect(first(vs, 'hung')).toBe(10_000);
  });

  it('takes a cell late between ticks for slow: stuck, never looping, and asks for no CPU figure', () => {
    const d = settled();
    expect(d.wantsCpu(TICK, false)).toBe(false);
    const vs = drive(d, { from: 0, ms: 9000, tick: TICK, inTick: false, cpuPerStep: 100 });
    expect(first(vs, 'looping')).toBeUndefined();
    expect(first(vs, 'stuck')).toBe(2000);
    expect(first(vs, 'hung')).toBeUndefined();
  });

  it('leaves alone a heavy tick (a GC pause, a burst of work) that ends below loopCpuMs', () => {
    const d = settled();
    // 250 ms of CPU in one tick, then the heartbeat moves on; over and over.
    let now = 0;
    for (let k = 0; k < 20; k++) {
      const vs = drive(d, { from: now, ms: 500, stepMs: 50, tick: TICK + k, inTick: true, cpuPerStep: 25, cpuFrom: 10_000 + k * 1000 });
      expect(vs.map((v) => v.verdict)).not.toContain('looping');
      now += 500;
      expect(d.observe(now, TICK + k + 1, false)).toBe('running');
    }
  });

  it('counts the CPU of the tick the heartbeat stands in, not what the thread burned before it', () => {
    const d = settled();
    // Hours of CPU before: only the growth inside this tick counts.
    expect(d.observe(100, TICK, true, 9_000_000)).toBe('running');
    expect(d.observe(200, TICK, true, 9_000_250)).toBe('running');
    expect(d.observe(300, TICK, true, 9_000_300)).toBe('looping');
  });

  it('forgets the CPU count when the cell leaves the tick (it sleeps between ticks)', () => {
    const d = settled();
    expect(d.observe(100, TICK, true, 1000)).toBe('running');
    expect(d.observe(200, TICK, true, 1200)).toBe('running');
    expect(d.observe(300, TICK, false)).toBe('running');
    expect(d.cpuInTickMs).toBe(0);
    // Counted again from the next sample inside a tick.
    expect(d.observe(400, TICK, true, 1250)).toBe('running');
    expect(d.observe(500, TICK, true, 1500)).toBe('running');
    expect(d.observe(600, TICK, true, 1550)).toBe('looping');
  });

  it(`is ${WARMUP_FACTOR} times as lenient during the first ${WARMUP_TICKS} ticks after a (re)start (cold code, full snapshots)`, () => {
    // Restarted at TICK: its third tick loops.
    const cold = new StallDetector(limits);
    cold.reset(0, TICK);
    cold.observe(0, TICK + 3, false);
    const early = drive(cold, { from: 0, ms: 3000, tick: TICK + 3, inTick: true, cpuPerStep: 100 });
    expect(first(early, 'looping')).toBe(100 + limits.loopCpuMs * WARMUP_FACTOR);
    // Its WARMUP_TICKS-th loops: the usual rule.
    const warm = new StallDetector(limits);
    warm.reset(0, TICK);
    warm.observe(0, TICK + WARMUP_TICKS, false);
    const later = drive(warm, { from: 0, ms: 3000, tick: TICK + WARMUP_TICKS, inTick: true, cpuPerStep: 100 });
    expect(first(later, 'looping')).toBe(100 + limits.loopCpuMs);
  });

  it('reports the time the heartbeat has stood still', () => {
    const d = settled();
    expect(d.observe(500, TICK, true, 0)).toBe('running');
    expect(d.stillMs(800)).toBe(800);
    expect(d.observe(900, TICK + 1, false)).toBe('running');
    expect(d.stillMs(1000)).toBe(100);
  });
});
