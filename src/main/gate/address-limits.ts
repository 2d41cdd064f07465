import type { GateLimits } from '../net-config.ts';
import type { GateRefusal } from '../metrics/gate-metrics.ts';
import { TokenBucket } from './token-bucket.ts';

/** What the gate knows about one address (IPv6: one /64). */
interface AddressState {
  /** Open sockets admitted from it. */
  sockets: number;
  /** Of those, the ones without a WELCOME yet. */
  handshakes: number;
  /** Upgrade attempts, refused ones included. */
  readonly attempts: TokenBucket;
  /** Refusals since the last one logged, and when that was (-Infinity: never). */
  refusals: number;
  loggedAt: number;
}

/** Past this many addresses, idle ones are forgotten at once rather than at the next sweep. */
const MAX_TRACKED = 100_000;
/** One log line per refused address per this long, with the count in between. */
const LOG_EVERY_MS = 60_000;

/**
 * Per-address limits of the gate, checked at the upgrade before ws makes a
 * connection: open sockets, sockets still handshaking, and an attempt rate
 * (a token bucket that refused attempts drain too). Addresses in the
 * exemption list are counted but never refused.
 *
 * Memory: an address is tracked while it holds a socket or its bucket is
 * refilling; sweep() forgets the rest, so the table holds at most the open
 * sockets' addresses plus those seen in the last burst/rate seconds.
 */
export class AddressLimits {
  private readonly limits: GateLimits;
  private readonly states = new Map<string, AddressState>();

  constructor(limits: GateLimits) {
    this.limits = limits;
  }

  /** Addresses tracked now. */
  get size(): number {
    return this.states.size;
  }

  /** Open sockets and handshakes counted for `key` (tests, logs). */
  counts(key: string): { sockets: number; handshakes: number } {
    const s = this.states.get(key);
    return { sockets: s?.sockets ?? 0, handshakes: s?.handshakes ?? 0 };
  }

  /**
   * Checks an upgrade from `ip` (counted under `key`): null when admitted
   * (then counted as an open, handshaking socket until closed() and
   * handshakeDone()), or the limit it is over.
   */
  admit(ip: string, key: string, now: number): GateRefusal | null {
    let s = this.states.get(key);
    if (!s) {
      if (this.states.size >= MAX_TRACKED) this.sweep(now, true);
      s = {
        sockets: 0,
        handshakes: 0,
        attempts: new TokenBucket(this.limits.connectRatePerIp, this.limits.connectBurstPerIp, now),
        refusals: 0,
        loggedAt: -Infinity,
      };
      this.states.set(key, s);
    }
    if (!this.limits.exempt.has(ip)) {
      if (!s.attempts.take(now)) return this.refusal(s, 'ip_connect_rate');
      if (s.sockets >= this.limits.socketsPerIp) return this.refusal(s, 'ip_sockets');
      if (s.handshakes >= this.limits.handshakesPerIp) return this.refusal(s, 'ip_handshakes');
    }
    s.sockets++;
    s.handshakes++;
    return null;
  }

  private refusal(s: AddressState, reason: GateRefusal): GateRefusal {
    s.refusals++;
    return reason;
  }

  /**
   * Refusals of `key` to log now: the count since the last line, when the
   * last was at least a minute ago (the first at once); 0 when none is due.
   * A flood is one line a minute, not one a socket.
   */
  refusalsToLog(key: string, now: number): number {
    const s = this.states.get(key);
    if (!s || s.refusals === 0 || now - s.loggedAt < LOG_EVERY_MS) return 0;
    const n = s.refusals;
    s.refusals = 0;
    s.loggedAt = now;
    return n;
  }

  /** Seconds until `key` may try again, for Retry-After (at least 1). */
  retryAfterS(key: string, now: number): number {
    const s = this.states.get(key);
    return Math.max(1, Math.ceil(s?.attempts.secondsUntil(now) ?? 0));
  }

  /** The socket of `key` finished its handshake (WELCOME sent). */
  handshakeDone(key: string): void {
    const s = this.states.get(key);
    if (s && s.handshakes > 0) s.handshakes--;
  }

  /** A socket of `key` closed; `handshaking` when it never finished its handshake. */
  closed(key: string, handshaking: boolean): void {
    const s = this.states.get(key);
    if (!s) return;
    if (s.sockets > 0) s.sockets--;
    if (handshaking && s.handshakes > 0) s.handshakes--;
  }

  /**
   * Forgets addresses that hold no socket and whose bucket has refilled (an
   * address back after that starts afresh, as it would anyway); with
   * `force`, every address without a socket.
   */
  sweep(now: number, force = false): void {
    for (const [key, s] of this.states) {
      if (s.sockets === 0 && (force || s.attempts.full(now))) this.states.delete(key);
    }
  }
}
