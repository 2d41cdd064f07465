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
  close(): Promise<void>;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Sessions in this process (lost on restart: players log in again). */
export function memorySessions(): SessionStore {
  const map = new Map<string, { accountId: number; expiresAt: number }>();
  // Expired sessions are dropped on lookup and by this sweep, so the map is
  // bounded by the sessions created within one TTL.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [k, s] of map) if (s.expiresAt <= now) map.delete(k);
  }, 60_000);
  sweep.unref();
  return {
    kind: 'memory',
    async create(accountId, ttlMs) {
      const token = newToken();
      const expiresAt = Date.now() + ttlMs;
      map.set(digest(token), { accountId, expiresAt });
      return { token, expiresAt };
    },
    async lookup(token) {
      if (!isWellFormedToken(token)) return undefined;
      const k = digest(token);
      const s = map.get(k);
      if (!s) return undefined;
      if (s.expiresAt <= Date.now()) {
        map.delete(k);
        return undefined;
      }
      return s.accountId;
    },
    async revoke(token) {
      return isWellFormedToken(token) && map.delete(digest(token));
    },
    async close() {
      clearInterval(sweep);
    },
  };
}

/** Sessions in Redis as `${prefix}sess:<sha256>` → account id, expiring with PX. */
export function redisSessions(redis: Redis, prefix: string): SessionStore {
  const key = (token: string): string => `${prefix}sess:${digest(token)}`;
  return {
    kind: 'redis',
    async create(accountId, ttlMs) {
      const token = newToken();
      const expiresAt = Date.now() + ttlMs;
      await redis.set(key(token), String(accountId), 'PX', ttlMs);
      return { token, expiresAt };
    },
    async lookup(token) {
      if (!isWellFormedToken(token)) return undefined;
      const v = await redis.get(key(token));
      const id = v === null ? NaN : Number(v);
      return Number.isInteger(id) ? id : undefined;
    },
    async revoke(token) {
      return isWellFormedToken(token) && (await redis.del(key(token))) > 0;
    },
    async close() {},
  };
}
