/**
 * Tells a cell that loops or hangs from one that is merely slow, from three
 * things the supervisor samples: its heartbeat (the tick word it stores at
 * the end of every tick), whether it is inside a tick (CellControl.inTick,
 * stored by its tick loop) and its thread's CPU time (Worker.cpuUsage(),
 * asked only while the heartbeat stands still inside a tick).
 *
 * - Looping: inside one tick the thread burned `loopCpuMs` of CPU without
 *   the heartbeat moving. A healthy tick costs a few milliseconds (its
 *   budget is one step, 50 ms at 20 Hz); a loaded box stretches its wall
 *   time, not its CPU time, and a cell waiting at the zone's barrier for a
 *   looping peer, or sleeping between ticks, burns none. So the verdict
 *   comes as soon as the looper has spent that CPU, on a quiet box within
 *   about `loopCpuMs`, and never for a starved or waiting cell.
 *   A cell's first WARMUP_TICKS after it (re)started get WARMUP_FACTOR times
 *   that: its code may still run cold (a spare's thread has loaded the code
 *   but never run a cell) and its first frames are all full snapshots; a
 *   restart killed for being slow would only fail again, and the zone be lost.
 * - Hung: the heartbeat stood still `hangAfterMs`, inside a tick or not (a
 *   deadlock, a wait that is never woken: no CPU to see). The slow fallback.
 * - Stuck: still `stuckAfterMs`: reported (log, tessera_cell_up 0), not killed.
 *
 * One detector per cell; the clock and the CPU figures come from the caller,
 * so tests drive it without threads.
 */

import { DEFAULT_HANG_MS, DEFAULT_LOOP_CPU_MS, DEFAULT_STUCK_MS } from '../supervisor-config.ts';

export { DEFAULT_HANG_MS, DEFAULT_LOOP_CPU_MS, DEFAULT_STUCK_MS };

export interface StallLimits {
  /** Heartbeat still this long: reported stuck. */
  stuckAfterMs: number;
  /** CPU burned inside one tick with the heartbeat still: looping, terminated. */
  loopCpuMs: number;
  /** Heartbeat still this long, whatever the CPU: hung, terminated. */
  hangAfterMs: number;
}

export type StallVerdict = 'running' | 'stuck' | 'looping' | 'hung';


/** Ticks after a (re)start during which the loop rule is WARMUP_FACTOR times as lenient. */
export const WARMUP_TICKS = 40;
export const WARMUP_FACTOR = 4;

export class StallDetector {
  private readonly limits: StallLimits;
  private lastTick = -1;
  /** The heartbeat when the cell (re)started. */
  private startTick = -1;
  /** When the heartbeat was first seen at lastTick. */
  private stillSince = 0;
  /** The thread's CPU time (ms) when first sampled inside the current tick with the heartbeat still; NaN: not yet. */
  private cpuAtStill = Number.NaN;
  /** CPU (ms) burned inside the tick since then, at the last sample. */
  cpuInTickMs = 0;

  constructor(limits: StallLimits) {
    this.limits = limits;
  }

  /** Forgets the past: the cell (re)started ticking at `tick`. */
  reset(now: number, tick: number): void {
    this.startTick = tick;
    this.lastTick = tick;
    this.stillSince = now;
    this.cpuAtStill = Number.NaN;
    this.cpuInTickMs = 0;
  }

  /** How long the heartbeat has stood still at `now`. */
  stillMs(now: number): number {
    return now - this.stillSince;
  }

  /**
   * Whether the next observe() needs the thread's CPU time: only while the
   * heartbeat stands still inside a tick (a healthy cell's moves between
   * samples, so it costs nothing).
   */
  wantsCpu(tick: number, inTick: boolean): boolean {
    return inTick && tick === this.lastTick;
  }

  /**
   * One sample: the heartbeat `tick`, whether the cell is inside a tick,
   * and the thread's CPU time in ms (when wantsCpu() asked for it).
   */
  observe(now: number, tick: number, inTick: boolean, cpuMs?: number): StallVerdict {
    if (tick !== this.lastTick) {
      this.lastTick = tick;
      this.stillSince = now;
      this.cpuAtStill = Number.NaN;
      this.cpuInTickMs = 0;
      return 'running';
    }
    if (!inTick) {
      // Between ticks a cell sleeps: whatever it burns there is no loop in a system.
      this.cpuAtStill = Number.NaN;
      this.cpuInTickMs = 0;
    } else if (cpuMs !== undefined) {
      if (Number.isNaN(this.cpuAtStill)) this.cpuAtStill = cpuMs;
      this.cpuInTickMs = cpuMs - this.cpuAtStill;
      const warming = tick - this.startTick < WARMUP_TICKS;
      if (this.cpuInTickMs >= this.limits.loopCpuMs * (warming ? WARMUP_FACTOR : 1)) return 'looping';
    }
    const still = now - this.stillSince;
    if (still >= this.limits.hangAfterMs) return 'hung';
    if (still >= this.limits.stuckAfterMs) return 'stuck';
    return 'running';
  }
}
