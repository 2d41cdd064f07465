/**
 * Sessions in Redis that outlive a Redis outage. Every session this process
 * creates or sees is also kept here (a cache with the same expiry); while
 * Redis is down, logins create sessions here only and lookups answer from
 * here, so players logged in before keep playing and new logins work. What
 * changed meanwhile is written back when Redis is ready again: revocations
 * first, then every live session it knows (so a Redis that restarted empty
 * gets them back), and only then are sessions read from Redis again.
 *
 * Keys as redisSessions (sessions.ts): `${prefix}sess:<sha256>` → account,
 * with PX, and `${prefix}acct:<id>:sess`, the account's session keys.
 */
import type { Redis } from 'ioredis';
import type { RedisHealth } from '../persistence/redis-health.ts';
import { digest, isWellFormedToken, newToken, type SessionStore } from './sessions.ts';

export function resilientSessions(redis: Redis, prefix: string, health: RedisHealth, now: () => number = Date.now): SessionStore {
  const keyOf = (d: string): string => `${prefix}sess:${d}`;
  const setOf = (accountId: number): string => `${prefix}acct:${accountId}:sess`;
  const local = new Map<string, { accountId: number; expiresAt: number }>();
  const byAccount = new Map<number, Set<string>>();
  /** Revocations made while Redis was down, replayed when it returns. */
  const revokedDigests = new Set<string>();
  const revokedAccounts = new Set<number>();

  const remember = (d: string, accountId: number, expiresAt: number): void => {
    local.set(d, { accountId, expiresAt });
    let set = byAccount.get(accountId);
    if (!set) byAccount.set(accountId, (set = new Set()));
    set.add(d);
  };
  const forget = (d: string): void => {
    const s = local.get(d);
    if (!s) return;
    local.delete(d);
    const set = byAccount.get(s.accountId);
    set?.delete(d);
    if (set?.size === 0) byAccount.delete(s.accountId);
  };
  const liveHere = (d: string): number | undefined => {
    const s = local.get(d);
    if (!s) return undefined;
    if (s.expiresAt > now()) return s.accountId;
    forget(d);
    return undefined;
  };
  /** Runs a Redis call unless degraded; undefined (and degraded from then on) when it fails. */
  const tryRedis = async <T>(fn: () => Promise<T>): Promise<{ v: T } | undefined> => {
    if (health.isDegraded('sessions')) return undefined;
    try {
      return { v: await fn() };
    } catch (err) {
      health.degrade('sessions', err);
      return undefined;
    }
  };
  const sweep = setInterval(() => {
    const t = now();
    for (const [d, s] of local) if (s.expiresAt <= t) forget(d);
  }, 60_000);
  sweep.unref();

  health.onRecover('sessions', async () => {
    const p = redis.multi();
    for (const d of revokedDigests) p.del(keyOf(d));
    for (const a of revokedAccounts) {
      const keys = await redis.smembers(setOf(a));
      if (keys.length) p.del(...keys);
      p.del(setOf(a));
    }
    const t = now();
    let written = 0;
    /** Each account's set lives as long as its longest session. */
    const longest = new Map<number, number>();
    for (const [d, s] of local) {
      const ttl = s.expiresAt - t;
      if (ttl <= 0) continue;
      // NX: a session Redis still has keeps its own expiry.
      p.set(keyOf(d), String(s.accountId), 'PX', ttl, 'NX').sadd(setOf(s.accountId), keyOf(d));
      longest.set(s.accountId, Math.max(longest.get(s.accountId) ?? 0, ttl));
      written++;
    }
    for (const [a, ttl] of longest) p.pexpire(setOf(a), ttl);
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed) throw failed[0];
    const revocations = revokedDigests.size + revokedAccounts.size;
    revokedDigests.clear();
    revokedAccounts.clear();
    health.restored('sessions', { sessions: written, revocations });
  });

  return {
    kind: 'redis',
    async create(accountId, ttlMs) {
      const token = newToken();
      const expiresAt = now() + ttlMs;
      const d = digest(token);
      remember(d, accountId, expiresAt);
      await tryRedis(() => redis.multi().set(keyOf(d), String(accountId), 'PX', ttlMs).sadd(setOf(accountId), keyOf(d)).pexpire(setOf(accountId), ttlMs).exec());
      return { token, expiresAt };
    },
    async lookup(token) {
      if (!isWellFormedToken(token)) return undefined;
      const d = digest(token);
      const r = await tryRedis(() => redis.multi().get(keyOf(d)).pttl(keyOf(d)).exec());
      if (!r) return liveHere(d);
      const v = r.v?.[0]?.[1];
      const ttl = r.v?.[1]?.[1];
      const id = typeof v === 'string' ? Number(v) : NaN;
      if (!Number.isInteger(id)) {
        // Redis is the truth while it answers: revoked or expired there (perhaps by another server).
        forget(d);
        return undefined;
      }
      remember(d, id, typeof ttl === 'number' && ttl > 0 ? now() + ttl : now());
      return id;
    },
    async revoke(token) {
      if (!isWellFormedToken(token)) return false;
      const d = digest(token);
      const live = liveHere(d);
      forget(d);
      const r = await tryRedis(async () => {
        const v = await redis.get(keyOf(d));
        const removed = await redis.del(keyOf(d));
        const id = v === null ? NaN : Number(v);
        if (Number.isInteger(id)) await redis.srem(setOf(id), keyOf(d));
        return removed > 0;
      });
      if (!r) revokedDigests.add(d);
      return r ? r.v || live !== undefined : live !== undefined;
    },
    async revokeAll(accountId) {
      let n = 0;
      for (const d of [...(byAccount.get(accountId) ?? [])]) {
        if (liveHere(d) !== undefined) n++;
        forget(d);
      }
      const r = await tryRedis(async () => {
        const keys = await redis.smembers(setOf(accountId));
        if (keys.length === 0) return 0;
        const res = await redis.multi().del(...keys).del(setOf(accountId)).exec();
        const deleted = res?.[0]?.[1];
        return typeof deleted === 'number' ? deleted : 0;
      });
      if (!r) revokedAccounts.add(accountId);
      return r ? Math.max(n, r.v) : n;
    },
    async close() {
      clearInterval(sweep);
    },
  };
}
