import { Histogram, type Registry } from 'prom-client';
import { registerFamily } from './family.ts';
import { REDIS_PARTS, type RedisHealthStats } from '../redis-parts.ts';

/** The counters these metrics read: storage's save figures and accounts' logins. */
export interface PersistenceStats {
  /** Characters waiting to be written (including the batch in flight). */
  saveQueueDepth: number;
  /** Save batches that failed (each is retried). */
  saveFailures: number;
  /** Character saves completed. */
  savesTotal: number;
  loginsOk: number;
  loginsFailed: number;
  /** With Redis (persistence/redis-health.ts). */
  redis?: RedisHealthStats;
}

export interface PersistenceSource {
  stats(): PersistenceStats;
}

/** Latencies persistence code reports as it works (optional wiring). */
export interface PersistenceMetrics {
  /** One save batch written to the database (write-behind or logout saves), in seconds. */
  observeSave(seconds: number, ok: boolean): void;
  /** One login attempt, from request to answer, in seconds. */
  observeLogin(result: 'ok' | 'failed', seconds: number): void;
}

const SAVE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const LOGIN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Save and login figures. The counters come from the persistence layer's
 * own stats() (it owns the truth and survives without a registry); the
 * latency histograms are fed by observeSave/observeLogin.
 */
export function registerPersistenceMetrics(registry: Registry, source: PersistenceSource | undefined): PersistenceMetrics {
  const saveSeconds = new Histogram({
    name: 'tessera_save_duration_seconds',
    help: 'Time to write one batch of character saves to the database, by result.',
    labelNames: ['result'] as const,
    buckets: SAVE_BUCKETS,
    registers: [registry],
  });
  const loginSeconds = new Histogram({
    name: 'tessera_login_duration_seconds',
    help: 'Time to answer one login, by result.',
    labelNames: ['result'] as const,
    buckets: LOGIN_BUCKETS,
    registers: [registry],
  });
  for (const result of ['ok', 'failed']) {
    // zero() makes the series exist before the first observation.
    saveSeconds.zero({ result });
    loginSeconds.zero({ result });
  }
  if (source) {
    // One stats() call serves every family of the same scrape.
    let cached: PersistenceStats | undefined;
    let cachedAt = 0;
    const stats = (): PersistenceStats => {
      const now = performance.now();
      if (!cached || now - cachedAt > 100) {
        cached = source.stats();
        cachedAt = now;
      }
      return cached;
    };
    registerFamily(registry, 'tessera_save_queue_depth', 'Character saves waiting to be written (write-behind queue).', 'gauge', (out) =>
      out.push({ labels: {}, value: stats().saveQueueDepth }),
    );
    registerFamily(registry, 'tessera_saves_total', 'Character saves written.', 'counter', (out) => out.push({ labels: {}, value: stats().savesTotal }));
    registerFamily(registry, 'tessera_save_failures_total', 'Character save attempts that failed (each is retried).', 'counter', (out) =>
      out.push({ labels: {}, value: stats().saveFailures }),
    );
    registerFamily(registry, 'tessera_redis_degraded', 'With REDIS_URL: 1 while a part that keeps its state in Redis runs in process because Redis is down (sessions, checkpoints, limits), else 0.', 'gauge', (out) => {
      const r = stats().redis;
      for (const part of REDIS_PARTS) out.push({ labels: { part }, value: r?.degraded[part] ?? 0 });
    });
    registerFamily(registry, 'tessera_redis_fallbacks_total', 'With REDIS_URL: times a part fell back to running in process because a Redis call failed, by part.', 'counter', (out) => {
      const r = stats().redis;
      for (const part of REDIS_PARTS) out.push({ labels: { part }, value: r?.fallbacks[part] ?? 0 });
    });
    registerFamily(registry, 'tessera_logins_total', 'Logins, by result.', 'counter', (out) => {
      const s = stats();
      out.push({ labels: { result: 'ok' }, value: s.loginsOk });
      out.push({ labels: { result: 'failed' }, value: s.loginsFailed });
    });
  }
  return {
    observeSave: (seconds, ok) => saveSeconds.observe({ result: ok ? 'ok' : 'failed' }, seconds),
    observeLogin: (result, seconds) => loginSeconds.observe({ result }, seconds),
  };
}
