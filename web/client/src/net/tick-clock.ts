/**
 * The server's tick clock as the client sees it, from when snapshots
 * arrive and from the round trip of pings.
 *
 * - `offset`: the local time (ms) tick 0 would have arrived at, on the lower
 *   envelope of the arrivals (arrival - tick × tickMs): late frames do not
 *   move it, an early one lowers it at once, and it creeps up slowly so a
 *   lasting rise in latency (or clock drift) is followed.
 * - `jitter`: how much later than the envelope frames arrive (a decaying
 *   peak), for the interpolation delay and the input timing.
 * - `rtt`: the smoothed round trip of PING/PONG.
 *
 * From these: which tick is being drawn (`renderTick`: `delayMs` behind the
 * envelope, for interpolation) and when the client's own prediction ticks
 * should fall (`inputPhase`) so that an input sent just before a local tick
 * reaches the server just before the matching server tick.
 */
export interface TickClockOptions {
  tickHz: number;
  /** Interpolation delay behind the newest tick, ms (raised when the jitter needs more). */
  delayMs?: number;
  /** How fast the envelope creeps up, per snapshot (0..1). */
  creep?: number;
  /** The most the jitter may raise the interpolation delay to, ms. */
  maxDelayMs?: number;
}

export class TickClock {
  readonly tickMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  private readonly creep: number;
  offset = 0;
  jitter = 0;
  rtt = 0;
  /** Round trips measured (0: `rtt` is a guess). */
  rttSamples = 0;
  /** Snapshots seen. */
  samples = 0;
  /** Newest tick seen. */
  newestTick = 0;

  constructor(o: TickClockOptions) {
    if (!(o.tickHz >= 1 && o.tickHz <= 60)) throw new RangeError(`options.tickHz must be 1..60, got ${o.tickHz}`);
    this.tickMs = 1000 / o.tickHz;
    this.baseDelayMs = o.delayMs ?? 100;
    this.creep = o.creep ?? 0.01;
    this.maxDelayMs = Math.max(this.baseDelayMs, o.maxDelayMs ?? 250);
  }

  /** Forgets the ticks (a new zone numbers its ticks apart); the round trip stays. */
  resetTicks(): void {
    this.samples = 0;
    this.newestTick = 0;
    this.jitter = 0;
  }

  /** A snapshot of `tick` arrived at local time `now` (ms). */
  onSnapshot(tick: number, now: number): void {
    const sample = now - tick * this.tickMs;
    if (this.samples === 0) {
      this.offset = sample;
      this.jitter = 0;
    } else if (sample < this.offset) {
      this.offset = sample;
    } else {
      const late = sample - this.offset;
      // A decaying peak: a burst of late frames raises it at once, calm lets it fall (to half in about 2 s at 20 Hz).
      this.jitter = Math.max(late, this.jitter * 0.98);
      this.offset += late * this.creep;
    }
    this.samples++;
    if (tick > this.newestTick) this.newestTick = tick;
  }

  /** A PONG came back `rttMs` after its PING. */
  onRoundTrip(rttMs: number): void {
    if (!(rttMs >= 0)) return;
    this.rtt = this.rttSamples === 0 ? rttMs : this.rtt + (rttMs - this.rtt) * 0.25;
    this.rttSamples++;
  }

  /**
   * The interpolation delay now: the base, or more when frames arrive more
   * unevenly than that covers, up to maxDelayMs (past it, extrapolation
   * covers a late frame rather than everyone being drawn further behind).
   */
  get delayMs(): number {
    return Math.min(this.maxDelayMs, Math.max(this.baseDelayMs, this.jitter + this.tickMs));
  }

  /** The (fractional) server tick on the envelope at local time `now`. */
  tickAt(now: number): number {
    return (now - this.offset) / this.tickMs;
  }

  /** The (fractional) tick to draw others at: `delayMs` behind the envelope. */
  renderTick(now: number): number {
    return (now - this.delayMs - this.offset) / this.tickMs;
  }

  /**
   * Where in the tick period (a local time; only its value modulo tickMs
   * matters) the prediction's ticks should fall so that inputs land on the
   * server tick that matches the local one: the server's ticks start one
   * downlink delay before the arrival envelope, and an input takes an
   * uplink delay to get there, so a local tick falls one round trip before
   * the envelope, less half the jitter (inputs are spread over it) and a
   * millisecond (an input arriving as the tick starts is already late).
   * Arrival and uplink are taken as half the round trip each.
   */
  inputPhase(): number {
    const j = Math.min(this.jitter, this.tickMs);
    return this.offset - this.rtt - j / 2 - 1;
  }
}
