import { TokenBucket } from '../gate/token-bucket.ts';

/**
 * How many log lines each offender may cause: `perMinute` a minute, with a
 * burst of as many, so a cheater's flood of violations cannot flood the log
 * (the metric still counts every one). A line that goes out says how many
 * were left out before it. The clock is passed in (ms).
 */
export class LogBudget {
  private readonly perMinute: number;
  private readonly buckets = new Map<string, { bucket: TokenBucket; skipped: number }>();
  private lastSweep = 0;

  constructor(perMinute: number) {
    this.perMinute = perMinute;
  }

  /** Whether a line about `key` goes out now: the number of lines left out before it, or -1 when this one is left out too. */
  take(key: string, now: number): number {
    this.sweep(now);
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { bucket: new TokenBucket(this.perMinute / 60, this.perMinute, now), skipped: 0 }));
    if (!b.bucket.take(now)) {
      b.skipped++;
      return -1;
    }
    const skipped = b.skipped;
    b.skipped = 0;
    return skipped;
  }

  /** Offenders whose bucket refilled and who have nothing left out are forgotten (once a minute). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, b] of this.buckets) if (b.skipped === 0 && b.bucket.full(now)) this.buckets.delete(key);
  }
}
