import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A new session as the API returns it. */
export interface NewSession {
  token: string;
  expiresAt: number;
}

/**
 * Session tokens: 256 bits from the CSPRNG, base64url (43 characters). The
 * store keys sessions by the token's SHA-256, so a leaked Redis dump or heap
 * snapshot holds no usable token.
 */
export interface SessionStore {
  readonly kind: 'redis' | 'memory';
  create(accountId: number, ttlMs: number): Promise<NewSession>;
  /** The account of a live session, or undefined (unknown, revoked, expired, malformed). */
  lookup(token: string): Promise<number | undefined>;
  /** Revokes a session; false if it was not live. */
  revoke(token: string): Promise<boolean>;
  /** Revokes every session of an account (logout everywhere, a password change); how many were live. */
  revokeAll(accountId: number): Promise<number>;
  close(): Promise<void>;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Sessions in this process (lost on restart: players log in again). `now` is the clock expiry is judged by (tests drive it). */
export function memorySessions(now: () => number = Date.now): SessionStore {
  const map = new Map<string, { accountId: number; expiresAt: number }>();
  /** Each account's session digests, for revokeAll. */
  const byAccount = new Map<number, Set<string>>();
  const forget = (k: string): boolean => {
    const s = map.get(k);
    if (!s) return false;
    map.delete(k);
    const set = byAccount.get(s.accountId);
    set?.delete(k);
    if (set?.size === 0) byAccount.delete(s.accountId);
    return true;
  };
  // Expired sessions are dropped on lookup and by this sweep, so the map is
  // bounded by the sessions created within one TTL.
  const sweep = setInterval(() => {
    const t = now();
    for (const [k, s] of map) if (s.expiresAt <= t) forget(k);
  }, 60_000);
  sweep.unref();
  return {
    kind: 'memory',
    async create(accountId, ttlMs) {
      const token = newToken();
      const expiresAt = now() + ttlMs;
      const k = digest(token);
      map.set(k, { accountId, expiresAt });
      let set = byAccount.get(accountId);
      if (!set) byAccount.set(accountId, (set = new Set()));
      set.add(k);
      return { token, expiresAt };
    },
    async lookup(token) {
      if (!isWellFormedToken(token)) return undefined;
      const k = digest(token);
      const s = map.get(k);
      if (!s) return undefined;
      if (s.expiresAt <= now()) {
        forget(k);
        return undefined;
      }
      return s.accountId;
    },
    async revoke(token) {
      if (!isWellFormedToken(token)) return false;
      const k = digest(token);
      const s = map.get(k);
      const live = s !== undefined && s.expiresAt > now();
      forget(k);
      return live;
    },
    async revokeAll(accountId) {
      const t = now();
      let live = 0;
      for (const k of [...(byAccount.get(accountId) ?? [])]) {
        if (map.get(k)!.expiresAt > t) live++;
        forget(k);
      }
      return live;
    },
    async close() {
      clearInterval(sweep);
    },
  };
}

/**
 * Sessions in Redis as `${prefix}sess:<sha256>` → account id, expiring with
 * PX, and each account's set of session keys `${prefix}acct:<id>:sess`
 * (for revokeAll), which lives as long as its newest session. A key left in
 * the set after its session expired costs a DEL of nothing.
 */
export function redisSessions(redis: Redis, prefix: string): SessionStore {
  const keyOf = (d: string): string => `${prefix}sess:${d}`;
  const key = (token: string): string => keyOf(digest(token));
  const setOf = (accountId: number): string => `${prefix}acct:${accountId}:sess`;
  return {
    kind: 'redis',
    async create(accountId, ttlMs) {
      const token = newToken();
      const expiresAt = Date.now() + ttlMs;
      const k = key(token);
      await redis.multi().set(k, String(accountId), 'PX', ttlMs).sadd(setOf(accountId), k).pexpire(setOf(accountId), ttlMs).exec();
      return { token, expiresAt };
    },
    async lookup(token) {
      if (!isWellFormedToken(token)) return undefined;
      const v = await redis.get(key(token));
      const id = v === null ? NaN : Number(v);
      return Number.isInteger(id) ? id : undefined;
    },
    async revoke(token) {
      if (!isWellFormedToken(token)) return false;
      const k = key(token);
      const v = await redis.get(k);
      const removed = await redis.del(k);
      const id = v === null ? NaN : Number(v);
      if (Number.isInteger(id)) await redis.srem(setOf(id), k);
      return removed > 0;
    },
    async revokeAll(accountId) {
      const keys = await redis.smembers(setOf(accountId));
      if (keys.length === 0) return 0;
      const r = await redis.multi().del(...keys).del(setOf(accountId)).exec();
      const deleted = r?.[0]?.[1];
      return typeof deleted === 'number' ? deleted : 0;
    },
    async close() {},
  };
}
