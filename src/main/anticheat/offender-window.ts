import type { AnticheatConfig } from '../anticheat-config.ts';

/** What the policy does about one more violation. */
export type Verdict = 'count' | 'warn' | 'kick' | 'ban';

/** One offender's last violations (a ring of times, as many as the highest step needs) and whether it was warned. */
class Offender {
  readonly times: Float64Array;
  next = 0;
  /** Violations recorded (the ring holds the newest times.length of them). */
  total = 0;
  warned = false;
  constructor(size: number) {
    this.times = new Float64Array(size);
  }
  /** Records a violation at `now`; returns how many of the kept ones lie within `windowMs`. */
  record(now: number, windowMs: number): number {
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.times.length;
    this.total++;
    const kept = Math.min(this.total, this.times.length);
    let n = 0;
    for (let i = 0; i < kept; i++) if (now - this.times[i] < windowMs) n++;
    return n;
  }
  newest(): number {
    return this.times[(this.next + this.times.length - 1) % this.times.length];
  }
}

/**
 * The enforcement policy: violations counted per offender (a key: an
 * account, or a guest's address) over a sliding window, across reconnects.
 * Reaching ANTICHEAT_WARN_AT warns once per window; ANTICHEAT_KICK_AT and
 * every violation past it kicks; ANTICHEAT_BAN_AT bans, and forgets the
 * offender (the ban keeps it out). The clock is passed in.
 */
export class OffenderWindows {
  private readonly cfg: AnticheatConfig;
  private readonly offenders = new Map<string, Offender>();
  private readonly size: number;
  private lastSweep = 0;

  constructor(cfg: AnticheatConfig) {
    this.cfg = cfg;
    this.size = Math.max(1, cfg.warnAt, cfg.kickAt, cfg.banAt);
  }

  /** Offenders remembered now (their newest violation is within the window). */
  get count(): number {
    return this.offenders.size;
  }

  /** One more violation of `key` at `now` (ms): what to do about it. */
  record(key: string, now: number): Verdict {
    const cfg = this.cfg;
    this.sweep(now);
    let o = this.offenders.get(key);
    if (!o) this.offenders.set(key, (o = new Offender(this.size)));
    const n = o.record(now, cfg.windowMs);
    if (cfg.banAt > 0 && n >= cfg.banAt) {
      this.offenders.delete(key);
      return 'ban';
    }
    if (cfg.kickAt > 0 && n >= cfg.kickAt) return 'kick';
    if (cfg.warnAt > 0 && n >= cfg.warnAt) {
      if (o.warned) return 'count';
      o.warned = true;
      return 'warn';
    }
    // Back under the warning step: the next time it is reached warns again.
    o.warned = false;
    return 'count';
  }

  /** Forgets offenders whose newest violation left the window (at most once a window's tenth). */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.cfg.windowMs / 10) return;
    this.lastSweep = now;
    for (const [key, o] of this.offenders) if (now - o.newest() >= this.cfg.windowMs) this.offenders.delete(key);
  }
}
