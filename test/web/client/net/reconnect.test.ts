/**
 * The client's reconnect policy on a clock the test drives: after a drop it
 * resumes with the server's token with backoff for as long as the grace
 * lasts, then (or when refused) logs in afresh; a deliberate end is shown.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../../../src/protocol/errors.ts';
import { Reconnector, type ReconnectTimers } from '../../../../web/client/src/net/reconnect.ts';
import type { Login } from '../../../../web/client/src/net/session.ts';

class Clock implements ReconnectTimers {
  t = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(t: unknown): void {
    this.timers = this.timers.filter((x) => x !== t);
  }
  random(): number {
    return 0.5;
  }
  /** Runs the next timer; returns the delay it had from now. */
  next(): number {
    this.timers.sort((a, b) => a.at - b.at);
    const timer = this.timers.shift();
    if (!timer) throw new Error('no timer pending');
    const waited = timer.at - this.t;
    this.t = timer.at;
    timer.fn();
    return waited;
  }
  get pending(): number {
    return this.timers.length;
  }
}

const GUEST: Login = { kind: 'guest', name: 'Ann' };

function setup(login: Login = GUEST) {
  const clock = new Clock();
  const opened: Login[] = [];
  const statuses: number[] = [];
  const ended: number[] = [];
  const r = new Reconnector(login, { open: (l) => opened.push(l), reconnecting: (n) => statuses.push(n), giveUp: (code) => ended.push(code) }, clock);
  return { clock, opened, statuses, ended, r };
}

describe('the reconnect policy', () => {
  it('resumes with the token after a drop, backing off 200, 400, 800 ms… while the socket cannot open', () => {
    const t = setup();
    t.r.tokenGiven('tok-1', 30_000);
    t.r.closed(1006, '');
    expect(t.r.active).toBe(true);
    expect(t.clock.next()).toBe(200);
    expect(t.opened).toEqual([{ kind: 'resume', token: 'tok-1' }]);
    t.r.closed(1006, '');
    expect(t.clock.next()).toBe(400);
    t.r.closed(1006, '');
    expect(t.clock.next()).toBe(800);
    expect(t.statuses).toEqual([1, 2, 3]);
    expect(t.opened).toHaveLength(3);
    t.r.welcomed();
    expect(t.r.active).toBe(false);
    expect(t.r.resumes).toBe(1);
    expect(t.ended).toEqual([]);
  });

  it('the backoff stops growing at 4 s', () => {
    const t = setup();
    t.r.tokenGiven('tok', 600_000);
    t.r.closed(1006, '');
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      delays.push(t.clock.next());
      t.r.closed(1006, '');
    }
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 4000, 4000, 4000]);
  });

  it('once the grace is over, or the resume is refused (4030), it logs in afresh as it first did', () => {
    const t = setup({ kind: 'token', token: 'session', characterId: 7 });
    t.r.tokenGiven('tok', 1000);
    t.r.closed(1006, '');
    t.clock.next();
    t.clock.t = 1500; // past the grace
    t.r.closed(1006, '');
    t.clock.next();
    expect(t.opened.at(-1)).toEqual({ kind: 'token', token: 'session', characterId: 7 });

    const u = setup();
    u.r.tokenGiven('tok', 30_000);
    u.r.closed(1006, '');
    u.clock.next();
    u.r.closed(CloseCode.RESUME_REFUSED, '');
    u.clock.next();
    expect(u.opened).toEqual([{ kind: 'resume', token: 'tok' }, GUEST]);
    u.r.welcomed();
    expect(u.r.resumes).toBe(0);
    // The new session's own token is used after its next drop.
    u.r.tokenGiven('tok-2', 30_000);
    u.r.closed(1006, '');
    u.clock.next();
    expect(u.opened.at(-1)).toEqual({ kind: 'resume', token: 'tok-2' });
  });

  it('without a token (resuming off) a drop logs in afresh, a few times, then gives up', () => {
    const t = setup();
    t.r.closed(1006, '');
    for (let i = 0; i < 4; i++) {
      t.clock.next();
      expect(t.opened.at(-1)).toEqual(GUEST);
      t.r.closed(1006, '');
    }
    expect(t.ended).toEqual([1006]);
    expect(t.clock.pending).toBe(0);
  });

  it('a logout, a kick or a refusal is shown, never retried', () => {
    for (const code of [CloseCode.NORMAL, CloseCode.GOING_AWAY, CloseCode.TAKEN_OVER, CloseCode.AUTH_FAILED, CloseCode.PROTOCOL_ERROR, CloseCode.RATE_LIMITED]) {
      const t = setup();
      t.r.tokenGiven('tok', 30_000);
      t.r.closed(code, '');
      expect(t.ended).toEqual([code]);
      expect(t.clock.pending).toBe(0);
      expect(t.opened).toEqual([]);
    }
    // And a resume attempt that ends in one.
    const t = setup();
    t.r.tokenGiven('tok', 30_000);
    t.r.closed(1006, '');
    t.clock.next();
    t.r.closed(CloseCode.TAKEN_OVER, '');
    expect(t.ended).toEqual([CloseCode.TAKEN_OVER]);
    t.r.closed(1006, '');
    expect(t.clock.pending).toBe(0);
  });
});
