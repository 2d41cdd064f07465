import type { Redis } from 'ioredis';
import type { RedisHealth } from '../persistence/redis-health.ts';

/** A counter's value in its current window and when the window ends. */
export interface Window {
  count: number;
  resetInMs: number;
}

/**
 * Fixed-window counters for login limits. A window starts at the first hit
 * and lasts windowMs; hits after it start a new one.
 */
export interface RateLimiter {
  /** Adds one to key's counter and returns the new value. */
  hit(key: string, windowMs: number): Promise<Window>;
  /** The counter's value without adding. */
  peek(key: string): Promise<Window>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Counters in this process (one coordinator: exact). */
export function memoryLimiter(maxKeys = 100_000): RateLimiter {
  const map = new Map<string, { count: number; resetAt: number }>();
  const sweep = (now: number): void => {
    for (const [k, w] of map) if (w.resetAt <= now) map.delete(k);
  };
  const timer = setInterval(() => sweep(Date.now()), 60_000);
  timer.unref();
  return {
    async hit(key, windowMs) {
      const now = Date.now();
      let w = map.get(key);
      if (!w || w.resetAt <= now) {
        // Bounded memory: a flood of distinct keys (spoofed usernames) first
        // sweeps the expired ones, then evicts the oldest insertions.
        if (map.size >= maxKeys) sweep(now);
        if (map.size >= maxKeys) map.delete(map.keys().next().value as string);
        w = { count: 0, resetAt: now + windowMs };
        map.set(key, w);
      }
      w.count++;
      return { count: w.count, resetInMs: w.resetAt - now };
    },
    async peek(key) {
      const now = Date.now();
      const w = map.get(key);
      return w && w.resetAt > now ? { count: w.count, resetInMs: w.resetAt - now } : { count: 0, resetInMs: 0 };
    },
    async clear(key) {
      map.delete(key);
    },
    async close() {
      clearInterval(timer);
    },
  };
}

/** Counters in Redis (`${prefix}rl:<key>`), shared by every coordinator using it. */
export function redisLimiter(redis: Redis, prefix: string): RateLimiter {
  const k = (key: string): string => `${prefix}rl:${key}`;
  return {
    async hit(key, windowMs) {
      // SET NX PX starts the window only if none is running; INCR counts.
      const res = await redis.multi().set(k(key), '0', 'PX', windowMs, 'NX').incr(k(key)).pttl(k(key)).exec();
      if (!res) throw new Error('rate limit transaction aborted');
      for (const [err] of res) if (err) throw err;
      return { count: Number(res[1]![1]), resetInMs: Math.max(0, Number(res[2]![1])) };
    },
    async peek(key) {
      const res = await redis.multi().get(k(key)).pttl(k(key)).exec();
      if (!res) throw new Error('rate limit transaction aborted');
      for (const [err] of res) if (err) throw err;
      const v = res[0]![1] as string | null;
      return { count: v === null ? 0 : Number(v), resetInMs: Math.max(0, Number(res[1]![1])) };
    },
    async clear(key) {
      await redis.del(k(key));
    },
    async close() {},
  };
}

/**
 * Redis counters that fall back to this process's while Redis is down (the
 * limits hold, per process, through an outage), and go back to Redis when
 * it returns; the counts made meanwhile are not carried over (a limit is a
 * brake, not a record).
 */
export function resilientLimiter(redis: Redis, prefix: string, health: RedisHealth): RateLimiter {
  const shared = redisLimiter(redis, prefix);
  const local = memoryLimiter();
  health.onRecover('limits', async () => {
    await redis.ping();
    health.restored('limits');
  });
  const either = async <T>(fn: (l: RateLimiter) => Promise<T>): Promise<T> => {
    if (!health.isDegraded('limits')) {
      try {
        return await fn(shared);
      } catch (err) {
        health.degrade('limits', err);
      }
    }
    return fn(local);
  };
  return {
    hit: (key, windowMs) => either((l) => l.hit(key, windowMs)),
    peek: (key) => either((l) => l.peek(key)),
    clear: (key) => either((l) => l.clear(key)),
    async close() {
      await Promise.all([shared.close(), local.close()]);
    },
  };
}
