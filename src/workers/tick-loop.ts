/** Absolute time in ms, comparable across threads (timeOrigin differs per worker). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface TickLoopOptions {
  tickHz: number;
  /**
   * Absolute time (nowMs) of the zone's tick grid: every cell of a zone
   * schedules its ticks on the same grid, so none runs ahead and waits at the
   * barrier every tick (which would show as overruns of the others).
   */
  origin?: number;
  /** Run ticks back to back without waiting (stress tests and benchmarks). */
  freeRun?: boolean;
  /** Stop after this many ticks (tests). */
  maxTicks?: number;
  /** Runs one tick; returns false to stop. */
  runTick: () => boolean;
  /** Sleeps up to `ms` (woken early when someone notifies). */
  sleep: (ms: number) => void;
  /** Called for every tick that ended after the next one was due. */
  onOverrun: () => void;
  /** Called about once a second with the achieved tick rate. */
  onRate: (ticksPerSecond: number) => void;
}

/**
 * Fixed-step loop driven by an accumulator, as Quake III's SV_Frame: tick k
 * is due at start + k × step; while we are behind we run ticks back to back,
 * and never drift as setInterval does. Far behind (a stall), it skips ahead
 * instead of bursting, counting the overrun.
 */
export function runTickLoop(o: TickLoopOptions): number {
  const stepMs = 1000 / o.tickHz;
  const origin = o.origin ?? nowMs();
  // The first grid point at or after now.
  const onGrid = (t: number) => origin + Math.max(0, Math.ceil((t - origin) / stepMs)) * stepMs;
  let next = onGrid(nowMs());
  let ticks = 0;
  let rateTicks = 0;
  let rateFrom = next;
  for (;;) {
    if (!o.freeRun) {
      for (let now = nowMs(); now < next; now = nowMs()) o.sleep(next - now);
    }
    if (!o.runTick()) return ticks;
    ticks++;
    rateTicks++;
    next += stepMs;
    const now = nowMs();
    if (!o.freeRun && now > next) {
      o.onOverrun();
      if (now - next > 5 * stepMs) next = onGrid(now);
    }
    if (now - rateFrom >= 1000) {
      o.onRate((rateTicks * 1000) / (now - rateFrom));
      rateTicks = 0;
      rateFrom = now;
    }
    if (o.maxTicks !== undefined && ticks >= o.maxTicks) return ticks;
  }
}
