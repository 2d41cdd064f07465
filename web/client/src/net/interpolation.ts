/**
 * Other entities' positions, drawn a little in the past: each entity keeps
 * the positions the last snapshots gave it, by server tick, and is drawn at
 * the render tick (TickClock.renderTick: about 100 ms behind the newest
 * tick), between the two samples around it. Past the newest sample (frames
 * late, or an entity the server stopped sending) it goes on at its last
 * velocity for at most `maxExtrapolationTicks`, then holds. A jump longer
 * than `teleportDistance` between two samples (a respawn, a portal) is not
 * slid across: the entity appears at the new place when the render tick
 * reaches it.
 */
export interface TrackOptions {
  /** Samples kept (power of two). */
  capacity?: number;
  maxExtrapolationTicks?: number;
  teleportDistance?: number;
}

export interface Drawn {
  x: number;
  y: number;
  /** True when the render tick is past the newest sample. */
  extrapolated: boolean;
}

export class Track {
  private readonly ticks: Float64Array;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly mask: number;
  private readonly maxExtrapolation: number;
  private readonly teleport: number;
  /** Samples held (at most capacity). */
  count = 0;
  /** Index one past the newest sample. */
  private head = 0;

  constructor(o: TrackOptions = {}) {
    let cap = 1;
    while (cap < (o.capacity ?? 32)) cap <<= 1;
    this.ticks = new Float64Array(cap);
    this.xs = new Float64Array(cap);
    this.ys = new Float64Array(cap);
    this.mask = cap - 1;
    this.maxExtrapolation = o.maxExtrapolationTicks ?? 5;
    this.teleport = o.teleportDistance ?? 4;
  }

  /** The newest sample's tick, or -1. */
  get newestTick(): number {
    return this.count === 0 ? -1 : this.ticks[(this.head - 1) & this.mask];
  }

  /** A snapshot's position for this entity at `tick`. Samples arrive in tick order; an older one is ignored. */
  push(tick: number, x: number, y: number): void {
    if (this.count > 0) {
      const last = (this.head - 1) & this.mask;
      if (tick <= this.ticks[last]) return;
      // A jump: forget the path before it, so nothing is drawn sliding across.
      if (Math.hypot(x - this.xs[last], y - this.ys[last]) > this.teleport * (tick - this.ticks[last])) this.count = 0;
    }
    const i = this.head;
    this.ticks[i] = tick;
    this.xs[i] = x;
    this.ys[i] = y;
    this.head = (i + 1) & this.mask;
    if (this.count <= this.mask) this.count++;
  }

  /** Forgets every sample (the entity left and came back, a new zone). */
  clear(): void {
    this.count = 0;
  }

  /** The position at (fractional) `tick`; false when there is no sample yet. */
  sample(tick: number, out: Drawn): boolean {
    const n = this.count;
    if (n === 0) return false;
    const newest = (this.head - 1) & this.mask;
    const oldest = (this.head - n) & this.mask;
    if (n === 1 || tick <= this.ticks[oldest]) {
      const i = n === 1 ? newest : oldest;
      out.x = this.xs[i];
      out.y = this.ys[i];
      out.extrapolated = n === 1 && tick > this.ticks[i];
      return true;
    }
    if (tick >= this.ticks[newest]) {
      const prev = (newest - 1) & this.mask;
      const dt = this.ticks[newest] - this.ticks[prev];
      const ahead = Math.min(tick - this.ticks[newest], this.maxExtrapolation);
      out.x = this.xs[newest] + ((this.xs[newest] - this.xs[prev]) / dt) * ahead;
      out.y = this.ys[newest] + ((this.ys[newest] - this.ys[prev]) / dt) * ahead;
      out.extrapolated = tick > this.ticks[newest];
      return true;
    }
    // Newest first: the render tick is usually within the last few samples.
    let b = newest;
    for (let k = 1; k < n; k++) {
      const a = (newest - k) & this.mask;
      if (this.ticks[a] <= tick) {
        const f = (tick - this.ticks[a]) / (this.ticks[b] - this.ticks[a]);
        out.x = this.xs[a] + (this.xs[b] - this.xs[a]) * f;
        out.y = this.ys[a] + (this.ys[b] - this.ys[a]) * f;
        out.extrapolated = false;
        return true;
      }
      b = a;
    }
    out.x = this.xs[oldest];
    out.y = this.ys[oldest];
    out.extrapolated = false;
    return true;
  }
}
