/**
 * A token bucket: `rate` tokens a second flow in up to `burst`; an action
 * that costs `n` goes ahead when `n` tokens are there. The gate meters
 * upgrades per address and messages and bytes per connection with it. The
 * clock is passed in (milliseconds), so tests drive it.
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  private tokens: number;
  private at: number;

  /** Starts full at `now`. */
  constructor(rate: number, burst: number, now: number) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.at = now;
  }

  private refill(now: number): void {
    // A clock that stepped back refills nothing (and takes nothing back).
    const dt = now > this.at ? now - this.at : 0;
    const t = this.tokens + (dt * this.rate) / 1000;
    this.tokens = t > this.burst ? this.burst : t;
    this.at = now;
  }

  /** Takes `n` tokens and returns true, or returns false (taking none) when fewer are there. */
  take(now: number, n = 1): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** True when the bucket has refilled to its burst by `now` (its state can be forgotten). */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  /** Seconds until `n` tokens are there (0 when they are). */
  secondsUntil(now: number, n = 1): number {
    this.refill(now);
    return this.tokens >= n ? 0 : (n - this.tokens) / this.rate;
  }
}
