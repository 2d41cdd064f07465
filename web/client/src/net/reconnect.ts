import { CloseCode } from '../../../../src/protocol/errors.ts';
import type { Login } from './session.ts';

/**
 * What the client does when its connection ends: after a drop it connects
 * again with backoff and resumes its character with the server's resume
 * token (docs/protocol.md, "Reconnect and resume"), for as long as the
 * server said it waits; when the resume is refused (4030) or the wait is
 * over it logs in afresh as it first did; any other end (a logout, a kick,
 * a refused login) is shown to the player. No DOM and no timers of its own:
 * the game passes them in, tests a clock they drive.
 */
export interface ReconnectHooks {
  /** Opens a new session that logs in with `login`. */
  open(login: Login): void;
  /** A reconnect is scheduled (attempt 1, 2, ...): the status says so. */
  reconnecting(attempt: number): void;
  /** The end is for the player to see (and, where it helps, to retry by hand). */
  giveUp(code: number, reason: string): void;
}

export interface ReconnectTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
  /** In [0, 1): the jitter of the backoff. */
  random(): number;
}

/** Ends that are drops, not decisions: no close frame, a server error or restart, a proxy that failed. */
const DROPS = new Set<number>([1005, 1006, 1011, 1012, 1014]);

/** Backoff: the first attempt after 200 ms, doubling up to 4 s, each ±25 %. */
const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 4000;
/** Fresh logins tried after a drop when there is nothing (left) to resume. */
const MAX_RELOGINS = 4;

type Phase = 'connected' | 'resuming' | 'relogin' | 'ended';

export class Reconnector {
  private readonly login: Login;
  private readonly hooks: ReconnectHooks;
  private readonly t: ReconnectTimers;
  private phase: Phase = 'connected';
  private token: string | undefined;
  private graceMs = 0;
  /** When a resume stops being worth trying: the drop plus the server's grace. */
  private deadline = 0;
  private attempts = 0;
  private timer: unknown;
  /** Sessions resumed since the page loaded. */
  resumes = 0;

  constructor(login: Login, hooks: ReconnectHooks, timers: ReconnectTimers) {
    this.login = login;
    this.hooks = hooks;
    this.t = timers;
  }

  /** True between a drop and the next WELCOME. */
  get active(): boolean {
    return this.phase === 'resuming' || this.phase === 'relogin';
  }

  /** The server's newest resume token (each WELCOME brings one). */
  tokenGiven(token: string, graceMs: number): void {
    this.token = token;
    this.graceMs = graceMs;
  }

  /** A session reached WELCOME: whatever was being retried worked. */
  welcomed(): void {
    if (this.phase === 'resuming') this.resumes++;
    this.phase = 'connected';
    this.attempts = 0;
  }

  /** The current session ended with `code`. */
  closed(code: number, reason: string): void {
    if (this.phase === 'ended') return;
    const drop = DROPS.has(code);
    if (this.phase === 'connected') {
      if (!drop) return this.end(code, reason);
      if (this.token !== undefined && this.graceMs > 0) {
        this.phase = 'resuming';
        this.deadline = this.t.now() + this.graceMs;
      } else this.phase = 'relogin';
      return this.schedule();
    }
    if (this.phase === 'resuming') {
      // Refused (the grace ran out, or the token was spent by an attempt whose answer was lost): log in afresh.
      if (code === CloseCode.RESUME_REFUSED || (drop && this.t.now() >= this.deadline)) return this.relogin();
      if (!drop) return this.end(code, reason);
      return this.schedule();
    }
    // relogin
    if (!drop || this.attempts >= MAX_RELOGINS) return this.end(code, reason);
    this.schedule();
  }

  /** Stops retrying (the page goes away). */
  stop(): void {
    this.t.clearTimeout(this.timer);
    this.phase = 'ended';
  }

  private relogin(): void {
    this.phase = 'relogin';
    this.token = undefined;
    this.attempts = 0;
    this.schedule();
  }

  private schedule(): void {
    const n = ++this.attempts;
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (n - 1));
    const delay = Math.round(base * (0.75 + 0.5 * this.t.random()));
    this.hooks.reconnecting(n);
    this.t.clearTimeout(this.timer);
    this.timer = this.t.setTimeout(() => {
      if (this.phase === 'resuming' && this.token !== undefined) this.hooks.open({ kind: 'resume', token: this.token });
      else if (this.phase === 'relogin') this.hooks.open(this.login);
    }, delay);
  }

  private end(code: number, reason: string): void {
    this.phase = 'ended';
    this.hooks.giveUp(code, reason);
  }
}
