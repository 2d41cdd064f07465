/**
 * Redis going away and coming back. Each part that keeps its state in Redis
 * (sessions, checkpoints, login limits) degrades to an in-process stand-in
 * when a Redis call fails, says so once (a warning, and the metrics), and is
 * told when Redis is ready again so it can write back what it kept meanwhile
 * and return. A part decides itself when it is back (its write-back landed).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';

import { REDIS_PARTS, type RedisHealthStats, type RedisPart } from '../redis-parts.ts';
export { REDIS_PARTS, type RedisHealthStats, type RedisPart };

/** How often a degraded part tries to come back when no 'ready' came (a Redis that was up all along, a missed event). */
const RETRY_MS = 2000;

export class RedisHealth {
  private readonly log: Logger;
  private readonly down = new Set<RedisPart>();
  private readonly fallbacks: Record<RedisPart, number> = { sessions: 0, checkpoints: 0, limits: 0 };
  private readonly recoverers = new Map<RedisPart, () => Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private recovering = false;

  constructor(redis: Redis, log: Logger) {
    this.log = log;
    redis.on('ready', () => void this.recover());
    this.timer = setInterval(() => {
      if (this.down.size > 0 && redis.status === 'ready') void this.recover();
    }, RETRY_MS);
    this.timer.unref();
  }

  isDegraded(part: RedisPart): boolean {
    return this.down.has(part);
  }

  /** Registers how `part` writes back and comes back once Redis is ready (it calls restored() when done). */
  onRecover(part: RedisPart, fn: () => Promise<void>): void {
    this.recoverers.set(part, fn);
  }

  /** A Redis call of `part` failed: from now on it runs in process, until restored(). */
  degrade(part: RedisPart, err: unknown): void {
    if (this.down.has(part)) return;
    this.down.add(part);
    this.fallbacks[part]++;
    this.log.warn({ part, err: err instanceof Error ? err.message : String(err) }, 'redis unavailable: running in process until it returns');
  }

  /** `part` wrote back what it kept and uses Redis again. */
  restored(part: RedisPart, detail: Record<string, number> = {}): void {
    if (!this.down.delete(part)) return;
    this.log.info({ part, ...detail }, 'redis back: in-process state written back');
  }

  stats(): RedisHealthStats {
    const degraded = { sessions: 0, checkpoints: 0, limits: 0 };
    for (const p of this.down) degraded[p] = 1;
    return { degraded, fallbacks: { ...this.fallbacks } };
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async recover(): Promise<void> {
    if (this.recovering || this.down.size === 0) return;
    this.recovering = true;
    try {
      for (const part of [...this.down]) {
        const fn = this.recoverers.get(part);
        if (!fn) {
          this.restored(part);
          continue;
        }
        // A write-back that fails leaves the part degraded; the next 'ready' or retry tries again.
        await fn().catch((err: unknown) => this.log.warn({ part, err: String(err) }, 'redis write-back failed; still in process'));
      }
    } finally {
      this.recovering = false;
    }
  }
}
