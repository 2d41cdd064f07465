import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, invalid } from './api-errors.ts';
import { MAX_BODY_BYTES, readJson } from './body.ts';
import { HasherBusyError } from './hash.ts';
import type { ApiDeps } from './api-deps.ts';
import * as v from './validate.ts';
import { UNIQUE_VIOLATION, UnavailableError, sqlState } from '../persistence/errors.ts';
import * as store from '../persistence/store.ts';
import { withSpan } from '../tracing.ts';
import { log } from '../log.ts';
import { clientAddressOf } from '../net/client-address.ts';
import { addressKey } from '../net/ip.ts';
import { sessionRoutes } from './session-routes.ts';

export type { AccountTimings, ApiDeps, BanCheck } from './api-deps.ts';

const alog = log.child({ mod: 'accounts' });

/**
 * Awaits a database or session-store call; anything it throws other than a
 * unique violation means the service is not answering properly, which the
 * client should see as 503 "try again", not as a 500 bug.
 */
export async function svc<T>(p: Promise<T>, what: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw err;
    throw new UnavailableError(`${what} unavailable`, { cause: err });
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(text ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) } : {}),
    ...headers,
  });
  res.end(text || undefined);
}

/** The client's address as the HTTP server resolved it (X-Forwarded-For from TRUSTED_PROXIES only). */
function clientIp(req: IncomingMessage): string {
  return clientAddressOf(req);
}

/** What per-address limits count a client under: its address, or its /64 for IPv6. */
export function limitKey(ip: string): string {
  return ip === 'unknown' ? ip : addressKey(ip);
}

export function bearer(req: IncomingMessage): string {
  const h = req.headers.authorization;
  if (!h) throw new ApiError('unauthorized', 'missing Authorization: Bearer <token> header');
  const m = /^Bearer ([^\s]+)$/i.exec(h.trim());
  if (!m) throw new ApiError('unauthorized', 'Authorization header must be "Bearer <token>"');
  return m[1]!;
}

/**
 * The account API: a router over /api/* that answers every request itself
 * (errors included) and returns false for any other path.
 */
export function accountsApi(d: ApiDeps): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  const maxBody = d.maxBodyBytes ?? MAX_BODY_BYTES;
  async function authed(req: IncomingMessage): Promise<number> {
    const token = bearer(req);
    const accountId = await svc(d.sessions.lookup(token), 'session store');
    if (accountId === undefined) throw new ApiError('unauthorized', 'session token is invalid or expired; log in again');
    // A ban blocks the sessions made before it (they work again once it is lifted or runs out).
    const ban = d.bans?.refusal(accountId, clientIp(req));
    if (ban !== undefined) throw new ApiError('banned', ban);
    return accountId;
  }

  async function register(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = v.requireObject(await readJson(req, maxBody));
    const username = v.username(body.username);
    const password = v.password(body.password);
    const ip = clientIp(req);
    // An address ban covers new accounts too (0: no account yet), before anything is counted or hashed.
    const ban = d.bans?.refusal(0, ip);
    if (ban !== undefined) {
      alog.info({ ip }, 'registration refused: banned address');
      throw new ApiError('banned', ban);
    }
    const w = await svc(d.limiter.hit(`reg:${limitKey(ip)}`, 3_600_000), 'rate limiter');
    if (w.count > d.tuning.registerLimitPerIp) {
      throw new ApiError('rate_limited', 'too many accounts registered from this address; try later', { retryAfterS: Math.ceil(w.resetInMs / 1000) });
    }
    const hash = await d.hasher.hash(password);
    let id: number;
    try {
      id = await svc(store.insertAccount(d.db, username, hash), 'database');
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new ApiError('username_taken', 'that username is taken', { field: 'username' });
      throw err;
    }
    alog.info({ accountId: id, ip }, 'account registered');
    sendJson(res, 201, { id, username });
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = v.requireObject(await readJson(req, maxBody));
    if (typeof body.username !== 'string' || body.username.length === 0) throw invalid('username', 'username is required (a string)');
    const username = body.username.toLowerCase().slice(0, 256);
    const password = v.password(body.password, true);
    const ip = clientIp(req);
    const t0 = performance.now();
    try {
      const perIp = await svc(d.limiter.hit(`ip:${limitKey(ip)}`, d.tuning.loginWindowMs), 'rate limiter');
      if (perIp.count > d.tuning.loginLimitPerIp) {
        throw new ApiError('rate_limited', 'too many login attempts from this address; try later', { retryAfterS: Math.ceil(perIp.resetInMs / 1000) });
      }
      const perAcct = await svc(d.limiter.peek(`acct:${username}`), 'rate limiter');
      if (perAcct.count >= d.tuning.loginLimitPerAccount) {
        throw new ApiError('rate_limited', 'too many failed logins for this account; try later', { retryAfterS: Math.ceil(perAcct.resetInMs / 1000) });
      }
      const acct = await svc(store.findAccount(d.db, username), 'database');
      const ok = await d.hasher.verify(password, acct?.passwordHash);
      if (!ok || !acct) {
        await svc(d.limiter.hit(`acct:${username}`, d.tuning.loginWindowMs), 'rate limiter');
        throw new ApiError('invalid_credentials', 'wrong username or password');
      }
      // Told only to whoever knows the password: a ban is not a way to probe accounts.
      const ban = d.bans?.refusal(acct.id, ip);
      if (ban !== undefined) {
        alog.info({ accountId: acct.id, ip }, 'login refused: banned');
        throw new ApiError('banned', ban);
      }
      const s = await svc(d.sessions.create(acct.id, d.tuning.sessionTtlMs), 'session store');
      if (perAcct.count > 0) await svc(d.limiter.clear(`acct:${username}`), 'rate limiter');
      store.touchLogin(d.db, acct.id).catch((err: unknown) => alog.warn({ accountId: acct.id, err: String(err) }, 'last_login_at not updated'));
      d.counters.loginsOk++;
      d.timings?.login('ok', (performance.now() - t0) / 1000);
      alog.info({ accountId: acct.id, ip }, 'login');
      sendJson(res, 201, { token: s.token, expiresAt: new Date(s.expiresAt).toISOString() });
    } catch (err) {
      d.counters.loginsFailed++;
      d.timings?.login('failed', (performance.now() - t0) / 1000);
      throw err;
    }
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = bearer(req);
    const revoked = await svc(d.sessions.revoke(token), 'session store');
    if (!revoked) throw new ApiError('unauthorized', 'session token is invalid or expired');
    sendJson(res, 204, undefined);
  }

  async function listChars(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accountId = await authed(req);
    const characters = await svc(store.listCharacters(d.db, accountId), 'database');
    sendJson(res, 200, { characters, limit: d.tuning.maxCharactersPerAccount });
  }

  async function createChar(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accountId = await authed(req);
    const body = v.requireObject(await readJson(req, maxBody));
    const { name, key } = v.characterName(body.name);
    const classId = v.classId(body.classId, d.classes);
    const appearance = v.appearance(body.appearance);
    const { spawn } = d.tuning;
    let created: store.CharacterSummary | undefined;
    try {
      created = await svc(
        store.insertCharacter(d.db, { accountId, name, nameKey: key, classId, appearance, ...spawn }, d.tuning.maxCharactersPerAccount),
        'database',
      );
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new ApiError('name_taken', 'that character name is taken', { field: 'name' });
      throw err;
    }
    if (!created) throw new ApiError('character_limit', `an account may have at most ${d.tuning.maxCharactersPerAccount} characters`);
    alog.info({ accountId, characterId: created.id }, 'character created');
    sendJson(res, 201, { character: created });
  }

  async function deleteChar(req: IncomingMessage, res: ServerResponse, idText: string): Promise<void> {
    const accountId = await authed(req);
    const id = v.pathId(idText);
    if (id === undefined || !(await svc(store.deleteCharacter(d.db, accountId, id), 'database'))) {
      throw new ApiError('not_found', 'no such character on this account');
    }
    d.onCharacterDeleted(id);
    alog.info({ accountId, characterId: id }, 'character deleted');
    sendJson(res, 204, undefined);
  }

  const wholesale = sessionRoutes({ ...d, authed, svc, send: sendJson, maxBody });

  type Handler = (req: IncomingMessage, res: ServerResponse, arg: string) => Promise<void>;
  const routes: { re: RegExp; methods: Record<string, Handler> }[] = [
    { re: /^\/api\/accounts$/, methods: { POST: register } },
    { re: /^\/api\/sessions$/, methods: { POST: (req, res) => withSpan('tessera.login', {}, () => login(req, res)), DELETE: logout } },
    { re: /^\/api\/sessions\/all$/, methods: { DELETE: wholesale.logoutEverywhere } },
    { re: /^\/api\/account\/password$/, methods: { PUT: wholesale.changePassword } },
    { re: /^\/api\/characters$/, methods: { GET: listChars, POST: createChar } },
    { re: /^\/api\/characters\/([^/]+)$/, methods: { DELETE: deleteChar } },
    // The classes a character may be created with (the content's), for the account page: no session needed.
    { re: /^\/api\/classes$/, methods: { GET: async (_req, res) => sendJson(res, 200, { classes: d.classes }) } },
  ];

  return async (req, res, path) => {
    if (path !== '/api' && !path.startsWith('/api/')) return false;
    try {
      const route = routes.find((r) => r.re.test(path));
      if (!route) throw new ApiError('not_found', `no API route ${path}`);
      const handler = route.methods[req.method ?? ''];
      if (!handler) {
        res.setHeader('allow', Object.keys(route.methods).join(', '));
        throw new ApiError('method_not_allowed', `${req.method} is not allowed on ${path}`);
      }
      await handler(req, res, route.re.exec(path)![1] ?? '');
    } catch (err) {
      answerError(req, res, err);
    }
    return true;
  };
}

export function answerError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  let e: ApiError;
  if (err instanceof ApiError) e = err;
  else if (err instanceof UnavailableError) {
    alog.warn({ err: String(err.cause ?? err) }, err.message);
    e = new ApiError('unavailable', `${err.message}; try again shortly`, { retryAfterS: 5 });
  } else if (err instanceof HasherBusyError) {
    alog.warn('login refused: hashing queue full');
    e = new ApiError('unavailable', 'server busy; try again shortly', { retryAfterS: 2 });
  } else {
    alog.error({ err: err instanceof Error ? err.stack : String(err), path: req.url }, 'account API bug');
    e = new ApiError('internal', 'internal error');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (e.retryAfterS !== undefined) headers['retry-after'] = String(Math.max(1, e.retryAfterS));
  if (e.status === 401) headers['www-authenticate'] = 'Bearer';
  // A rejected body may still be arriving; don't keep the socket for it.
  if (e.status === 413 || e.status === 415) headers.connection = 'close';
  sendJson(res, e.status, e.toJSON(), headers);
}
