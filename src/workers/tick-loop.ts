// Read once: the getter allocates on every call.
const TIME_ORIGIN = performance.timeOrigin;

/** Absolute time in ms, comparable across threads (timeOrigin differs per worker). */
export function nowMs(): number {
  return TIME_ORIGIN + performance.now();
}

export interface TickLoopOptions {
  /**
   * Absolute time (nowMs) the next tick is due. The cells of a zone share one
   * schedule (see ZoneSchedule), so they wake for the same tick together and
   * none waits a whole step at the barrier for another.
   */
  nextDue: () => number;
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
 * Fixed-step loop, as Quake III's SV_Frame: each tick is due at a point of a
 * fixed grid; while behind, ticks run back to back, and it never drifts as
 * setInterval does. How far behind triggers a skip is the schedule's call.
 */
export function runTickLoop(o: TickLoopOptions): number {
  let ticks = 0;
  let rateTicks = 0;
  let rateFrom = nowMs();
  for (;;) {
    if (!o.freeRun) {
      const due = o.nextDue();
      for (let now = nowMs(); now < due; now = nowMs()) o.sleep(due - now);
    }
    if (!o.runTick()) return ticks;
    ticks++;
    rateTicks++;
    const now = nowMs();
    if (!o.freeRun && now > o.nextDue()) o.onOverrun();
    if (now - rateFrom >= 1000) {
      o.onRate((rateTicks * 1000) / (now - rateFrom));
      rateTicks = 0;
      rateFrom = now;
    }
    if (o.maxTicks !== undefined && ticks >= o.maxTicks) return ticks;
  }
}

/**
 * The zone's tick schedule, shared by its cells: tick k is due at
 * origin + (k + skipped) × step. `skipped` lives in shared memory and moves
 * only in the end-of-tick barrier's last arriver, so every cell reads the
 * same due time for the same tick. A zone far behind (a stall, a restart)
 * skips ahead instead of bursting.
 */
export class ZoneSchedule {
  readonly origin: number;
  readonly stepMs: number;
  private readonly words: Int32Array;
  private readonly skippedWord: number;

  constructor(origin: number, tickHz: number, words: Int32Array, skippedWord: number) {
    this.origin = origin;
    this.stepMs = 1000 / tickHz;
    this.words = words;
    this.skippedWord = skippedWord;
  }

  /** When tick `k` is due. */
  dueOf(k: number): number {
    return this.origin + (k + Atomics.load(this.words, this.skippedWord)) * this.stepMs;
  }

  /**
   * After tick `k`, with every cell parked: when tick k + 1 is over five
   * steps late (one, right after the cells started: their start-up is no
   * backlog to burst through), move the schedule so it is due now.
   */
  catchUp(k: number, now: number, justStarted: boolean): void {
    const late = now - this.dueOf(k + 1);
    if (late > (justStarted ? 1 : 5) * this.stepMs) Atomics.add(this.words, this.skippedWord, Math.ceil(late / this.stepMs));
  }
}
