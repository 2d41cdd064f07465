/**
 * The parts of Tessera that keep state in Redis and fall back to an
 * in-process stand-in while it is down (persistence/redis-health.ts), and
 * the figures the metrics read of them: in its own module so metrics/ and
 * persistence/ both name them without depending on each other.
 */
export const REDIS_PARTS = ['sessions', 'checkpoints', 'limits'] as const;
export type RedisPart = (typeof REDIS_PARTS)[number];

export interface RedisHealthStats {
  /** 1 for each part running on its in-process stand-in now. */
  degraded: Record<RedisPart, number>;
  /** Times each part fell back to its stand-in. */
  fallbacks: Record<RedisPart, number>;
}
