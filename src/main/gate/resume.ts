/**
 * Reconnect and resume. A connection that drops (no clean logout, no kick)
 * keeps its character in the world for RESUME_GRACE_MS; a new socket that
 * shows the character's resume token (RESUME), or its account's session
 * token for that character (HELLO), takes the connection over: the new
 * socket becomes the connection's socket, the entity and everything the
 * cells keep about it stay, and the client gets WELCOME, a new resume token
 * and a full snapshot. After the grace the character leaves the world as on
 * a logout (LEAVE, then saved on LEFT).
 *
 * What counts as a drop: the socket ended without the client asking
 * (1006: the network went, or the heartbeat found it dead) or with a code
 * other than 1000 (logout) and 1001 (the page closed). A close the gate made
 * (kick, protocol error, idle timeout, take-over) is never a drop.
 *
 * The grace applies in safe areas too: it is what lets a player resume at
 * all, and a character waiting in a safe area can come to no harm (outside
 * one it stays exposed, so a drop is no escape from a fight).
 *
 * Resume tokens: 32 random bytes (base64url), kept only as their SHA-256;
 * single use (each WELCOME brings a new one and the shown one is spent);
 * bound to one connection's character; gone when that character leaves the
 * world (the grace over, a logout, a kick), so they expire with the grace.
 */
import { createHash, randomBytes } from 'node:crypto';
import { encodeResumeToken } from '../../protocol/encode.ts';
import { CloseCode, ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { ResumeMessage } from '../../protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../protocol/opcodes.ts';
import type { Logger } from '../log.ts';
import type { GateMetrics } from '../metrics/gate-metrics.ts';
import type { Connection } from './connection.ts';
import type { HandshakeResult } from './handshake.ts';
import { handOver } from './socket-events.ts';

/** Timers for the grace, injectable so that tests drive it (no sleeps). */
export interface ResumeClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const realClock: ResumeClock = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

/** What a resume needs from the gate. */
export interface ResumeHost {
  readonly graceMs: number;
  readonly metrics: GateMetrics;
  readonly log: Logger;
  send(c: Connection, bytes: Uint8Array, type: string): void;
  refuse(c: Connection, result: HandshakeResult, code: ErrorCodeValue, message: string): void;
  closeWith(c: Connection, code: number, reason: string): void;
  /** Asks the cells to let `c`'s entity go (LEAVE); LEFT then saves and releases it. */
  leave(c: Connection): void;
  /** Asks the cell that owns `c`'s entity for a full snapshot and a fresh start of seqs (RESYNC). */
  resync(c: Connection): void;
  /** Sends WELCOME for `c`'s entity (and so a new resume token). */
  welcome(c: Connection, handle: number): void;
  /** Forgets a connection object that gave its socket to another (the gate's list of connections). */
  discard(c: Connection): void;
}

/** Close codes with which a client ends its session on purpose: logout (1000), page closed (1001). */
const LEAVING = new Set<number>([CloseCode.NORMAL, CloseCode.GOING_AWAY]);

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The gate's resumes: tokens, dropped connections and their grace. */
export class Resumes {
  private readonly host: ResumeHost;
  private readonly clock: ResumeClock;
  /** SHA-256 of each live token → its connection. */
  private readonly byDigest = new Map<string, Connection>();
  /** Connection id → the digest of its live token. */
  private readonly digestOf = new Map<number, string>();
  /** Each dropped connection → its grace timer. */
  private readonly graces = new Map<Connection, unknown>();

  constructor(host: ResumeHost, clock: ResumeClock = realClock) {
    this.host = host;
    this.clock = clock;
    host.metrics.watchDetached(() => this.graces.size);
  }

  get enabled(): boolean {
    return this.host.graceMs > 0;
  }

  /** Connections that dropped and wait for a resume. */
  get detached(): number {
    return this.graces.size;
  }

  /** At each WELCOME: a new token replaces the connection's old one, and is sent. */
  issue(c: Connection): void {
    if (!this.enabled) return;
    this.spend(c);
    const token = randomBytes(32).toString('base64url');
    const d = digest(token);
    this.byDigest.set(d, c);
    this.digestOf.set(c.id, d);
    this.host.send(c, encodeResumeToken(token, this.host.graceMs), 'resume_token');
  }

  /**
   * `c`'s socket closed with `code` while its player was in the world: true
   * when that is a drop and the character now waits for a resume; false
   * when the character leaves as today.
   */
  dropped(c: Connection, code: number): boolean {
    if (!this.enabled || !c.welcomed || c.closeCode !== undefined || LEAVING.has(code)) return false;
    if (c.phase !== 'playing' && !(c.phase === 'joining' && c.transfer)) return false;
    c.detached = true;
    this.graces.set(
      c,
      this.clock.setTimeout(() => this.end(c), this.host.graceMs),
    );
    this.host.metrics.resume('dropped');
    c.log.info({ code, graceMs: this.host.graceMs }, 'connection dropped; character kept for a resume');
    return true;
  }

  /** A RESUME on new connection `n`: the character of its token is taken over, or the resume is refused (4030). */
  resume(n: Connection, m: ResumeMessage): void {
    const h = this.host;
    if (m.version !== PROTOCOL_VERSION) {
      return h.refuse(n, 'bad_version', ErrorCode.UNSUPPORTED_VERSION, `protocol ${m.version} unsupported; server speaks ${PROTOCOL_VERSION}`);
    }
    const t = this.enabled ? this.byDigest.get(digest(m.token)) : undefined;
    if (!t || !resumable(t)) {
      h.metrics.resume('refused');
      return h.refuse(n, 'resume_refused', ErrorCode.RESUME_REFUSED, 'unknown, used or expired resume token; log in again');
    }
    n.clientContentHash = m.contentHash;
    this.take(n, t);
  }

  /**
   * Account login `n` (its token checked) for a character another
   * connection still plays or holds through its grace: `n` takes that one
   * over and true is returned; false when there is none to take over.
   */
  resumeCharacter(n: Connection, previous: Connection | undefined): boolean {
    if (!this.enabled || !previous || previous === n || !resumable(previous)) return false;
    this.take(n, previous);
    return true;
  }

  /** `c` has left the world (released): its token and grace go with it. */
  forget(c: Connection): void {
    this.spend(c);
    this.endGrace(c);
  }

  /** Shutdown: every character waiting for a resume leaves now (and is saved). */
  endAll(): void {
    for (const c of [...this.graces.keys()]) this.end(c);
  }

  /** Stops `c`'s grace timer; false when it had none. */
  private endGrace(c: Connection): boolean {
    const g = this.graces.get(c);
    if (g === undefined) return false;
    this.clock.clearTimeout(g);
    this.graces.delete(c);
    return true;
  }

  /** The grace is over (or cut short: shutdown, the character deleted, its sessions revoked): the character leaves as on a logout. */
  end(c: Connection): void {
    if (!this.endGrace(c)) return;
    this.spend(c);
    c.detached = false;
    this.host.metrics.resume('expired');
    c.log.info('resume grace over; character leaves the world');
    if (c.released) return;
    c.phase = 'closed';
    this.host.leave(c);
  }

  /** New connection `n` takes over `t`'s player: `t` gets `n`'s socket, `n` is discarded. */
  private take(n: Connection, t: Connection): void {
    const h = this.host;
    this.spend(t);
    if (!this.endGrace(t)) {
      // Still open (a half-open socket the server has not seen die, or a second device): it is told and closed.
      h.closeWith(t, CloseCode.TAKEN_OVER, 'resumed elsewhere');
    }
    clearTimeout(n.handshakeTimer);
    t.adoptSocket(n);
    handOver(t.ws, t);
    n.phase = 'closed';
    n.released = true;
    h.discard(n);
    t.log.info({ ip: t.remote, zone: t.zone }, 'connection resumed');
    h.metrics.resume('resumed');
    // The new client has no baseline: no snapshot goes out until a full one comes.
    t.needsFullSnapshot = true;
    t.firstFrameTick = 0;
    if (t.phase === 'playing') {
      h.resync(t);
      h.welcome(t, t.handle);
    } else {
      // Changing zone: the new zone's JOINED sends WELCOME (zone-change.ts), with the new entity.
      t.welcomed = false;
    }
  }

  /** Spends `c`'s live token, if any. */
  private spend(c: Connection): void {
    const d = this.digestOf.get(c.id);
    if (d === undefined) return;
    this.digestOf.delete(c.id);
    if (this.byDigest.get(d) === c) this.byDigest.delete(d);
  }
}

/** A connection whose player can be taken over: in the world, not being closed by the gate, announced to its client (or changing zone). */
function resumable(t: Connection): boolean {
  if (t.released || !t.welcomed || t.closeCode !== undefined) return false;
  return t.phase === 'playing' || (t.phase === 'joining' && t.transfer !== undefined);
}

/** Where SNAPSHOT's baseTick lies (opcodes.ts: u8 op | u32 tick | u32 baseTick | ...). */
const BASE_TICK_AT = 5;

/**
 * True when snapshot `frame[start, …)` must not go to resumed connection `c`:
 * a delta its new client has no baseline for. The first full one (baseTick
 * 0, which the RESYNC asked for) goes, and ends the wait.
 */
export function holdsBackSnapshot(c: Connection, frame: Buffer, start: number): boolean {
  if (!c.needsFullSnapshot) return false;
  if (frame.readUInt32LE(start + BASE_TICK_AT) !== 0) return true;
  c.needsFullSnapshot = false;
  return false;
}
