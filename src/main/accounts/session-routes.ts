/**
 * The account API's routes that end sessions wholesale: logging out
 * everywhere, and changing the password (which logs out everywhere too, and
 * hands the client that changed it a new session). Every session of the
 * account is revoked in the session store, so its tokens are refused by the
 * API and by the gate from then on, and the account's game connections are
 * closed (onSessionsRevoked: close 4031, not resumable).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, invalid } from './api-errors.ts';
import { readJson } from './body.ts';
import type { ApiDeps } from './api-deps.ts';
import * as v from './validate.ts';
import * as store from '../persistence/store.ts';
import { log } from '../log.ts';

const alog = log.child({ mod: 'accounts' });

/** What the routes need from the API around them. */
export interface SessionRouteDeps extends ApiDeps {
  /** The account of the request's bearer token (401 otherwise). */
  authed(req: IncomingMessage): Promise<number>;
  /** Awaits a service call, turning its failure into 503. */
  svc<T>(p: Promise<T>, what: string): Promise<T>;
  send(res: ServerResponse, status: number, body: unknown): void;
  maxBody: number;
}

export function sessionRoutes(d: SessionRouteDeps) {
  /** Every session revoked, the account's players told and closed. */
  async function revokeEverything(accountId: number, why: string): Promise<number> {
    const n = await d.svc(d.sessions.revokeAll(accountId), 'session store');
    const characters = await d.svc(store.listCharacters(d.db, accountId), 'database');
    d.onSessionsRevoked?.(accountId, characters.map((c) => c.id));
    alog.info({ accountId, sessions: n, why }, 'every session of the account revoked');
    return n;
  }

  /** DELETE /api/sessions/all: logs out every session of the account, this one included. */
  async function logoutEverywhere(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accountId = await d.authed(req);
    await revokeEverything(accountId, 'logout everywhere');
    d.send(res, 204, undefined);
  }

  /**
   * PUT /api/account/password { currentPassword, newPassword }: the current
   * password checked (failures counted against the account, as logins are),
   * the new one stored, every session revoked, and a new one returned.
   */
  async function changePassword(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accountId = await d.authed(req);
    const body = v.requireObject(await readJson(req, d.maxBody));
    const current = field('currentPassword', () => v.password(body.currentPassword, true));
    const next = field('newPassword', () => v.password(body.newPassword));
    const limitKey = `pw:${accountId}`;
    const tries = await d.svc(d.limiter.peek(limitKey), 'rate limiter');
    if (tries.count >= d.tuning.loginLimitPerAccount) {
      throw new ApiError('rate_limited', 'too many wrong passwords for this account; try later', { retryAfterS: Math.ceil(tries.resetInMs / 1000) });
    }
    const acct = await d.svc(store.findAccountById(d.db, accountId), 'database');
    if (!acct || !(await d.hasher.verify(current, acct.passwordHash))) {
      await d.svc(d.limiter.hit(limitKey, d.tuning.loginWindowMs), 'rate limiter');
      throw new ApiError('invalid_credentials', 'the current password is wrong');
    }
    const hash = await d.hasher.hash(next);
    if (!(await d.svc(store.updatePassword(d.db, accountId, hash), 'database'))) throw new ApiError('unauthorized', 'the account is gone');
    if (tries.count > 0) await d.svc(d.limiter.clear(limitKey), 'rate limiter');
    await revokeEverything(accountId, 'password changed');
    const s = await d.svc(d.sessions.create(accountId, d.tuning.sessionTtlMs), 'session store');
    alog.info({ accountId }, 'password changed');
    d.send(res, 200, { token: s.token, expiresAt: new Date(s.expiresAt).toISOString() });
  }

  return { logoutEverywhere, changePassword };
}

/** Validates one password field, naming it in the error. */
function field(name: string, check: () => string): string {
  try {
    return check();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'invalid_field') throw invalid(name, err.message.replace(/^password/, name));
    throw err;
  }
}
