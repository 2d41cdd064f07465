/**
 * The admin API under /api/admin/: the account API's bearer tokens (log in
 * with POST /api/sessions), the account's role read from the database on
 * every request and checked against the route's permission (roles.ts),
 * per-address and per-account rate limits, the same body limits, errors and
 * headers as the account API. Routes are in admin-routes.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../accounts/api-errors.ts';
import { answerError, bearer, limitKey, svc, type BanCheck } from '../accounts/api.ts';
import { MAX_BODY_BYTES, readJson } from '../accounts/body.ts';
import type { RateLimiter } from '../accounts/rate-limit.ts';
import type { SessionStore } from '../accounts/sessions.ts';
import { requireObject } from '../accounts/validate.ts';
import { clientAddressOf } from '../net/client-address.ts';
import type { Db } from '../persistence/db.ts';
import { roleOf, type AccountWithRole } from './admin-store.ts';
import { allows, NEEDS, type Permission } from './roles.ts';

/** One authenticated, permitted admin request. */
export interface AdminRequest {
  req: IncomingMessage;
  res: ServerResponse;
  me: AccountWithRole;
  /** The path's captured part (an id, a zone name), '' when the route has none. */
  arg: string;
  query: URLSearchParams;
  /** The JSON body as an object (read for POST and DELETE routes that take one). */
  body(): Promise<Record<string, unknown>>;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'DELETE';
  re: RegExp;
  needs: Permission;
  run(r: AdminRequest): Promise<void>;
}

export interface AdminApiDeps {
  db: Db;
  sessions: SessionStore;
  limiter: RateLimiter;
  routes: readonly AdminRoute[];
  /** A banned account's session keeps no power here either. */
  bans?: BanCheck;
  maxBodyBytes?: number;
  /** Requests per 10 s from one address (before the token is looked at), and per admin account. */
  perAddressPer10s?: number;
  perAccountPer10s?: number;
}

const WINDOW_MS = 10_000;

/** Headers of every admin answer, on top of the account API's. */
export const ADMIN_HEADERS = { 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' } as const;

/** The /api/admin/ router: answers every request under it (errors included) and returns false for other paths. */
export function adminApi(d: AdminApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const maxBody = d.maxBodyBytes ?? MAX_BODY_BYTES;
  const perAddress = d.perAddressPer10s ?? 300;
  const perAccount = d.perAccountPer10s ?? 150;

  async function limited(key: string, max: number, what: string): Promise<void> {
    const w = await svc(d.limiter.hit(key, WINDOW_MS), 'rate limiter');
    if (w.count > max) throw new ApiError('rate_limited', `too many admin requests ${what}; slow down`, { retryAfterS: Math.ceil(w.resetInMs / 1000) });
  }

  async function who(req: IncomingMessage, needs: Permission): Promise<AccountWithRole> {
    const token = bearer(req);
    const accountId = await svc(d.sessions.lookup(token), 'session store');
    if (accountId === undefined) throw new ApiError('unauthorized', 'session token is invalid or expired; log in again');
    await limited(`adm:acct:${accountId}`, perAccount, 'from this account');
    const me = await svc(roleOf(d.db, accountId), 'database');
    if (!me) throw new ApiError('unauthorized', 'the account of this session no longer exists');
    const ban = d.bans?.refusal(me.id, clientAddressOf(req));
    if (ban !== undefined) throw new ApiError('banned', ban);
    if (!allows(me.role, needs)) throw new ApiError('forbidden', `this needs the ${NEEDS[needs]} role; the account is ${me.role}`);
    return me;
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (path !== '/api/admin' && !path.startsWith('/api/admin/')) return false;
    for (const [k, v] of Object.entries(ADMIN_HEADERS)) res.setHeader(k, v);
    try {
      await limited(`adm:ip:${limitKey(clientAddressOf(req))}`, perAddress, 'from this address');
      const matching = d.routes.filter((r) => r.re.test(path));
      if (matching.length === 0) throw new ApiError('not_found', `no admin route ${path}`);
      const route = matching.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader('allow', [...new Set(matching.map((r) => r.method))].join(', '));
        throw new ApiError('method_not_allowed', `${req.method} is not allowed on ${path}`);
      }
      const me = await who(req, route.needs);
      let body: Record<string, unknown> | undefined;
      await route.run({
        req,
        res,
        me,
        arg: decodeURIComponent(route.re.exec(path)![1] ?? ''),
        query: url.searchParams,
        async body() {
          body ??= requireObject(await readJson(req, maxBody));
          return body;
        },
      });
    } catch (err) {
      answerError(req, res, err instanceof URIError ? new ApiError('not_found', 'malformed path') : err);
    }
    return true;
  };
}
