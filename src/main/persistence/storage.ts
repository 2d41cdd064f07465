/**
 * Storage for the coordinator: the database (migrated at open), the Redis
 * connection, hot-state checkpoints and the write-behind save queue. Storage
 * only: the account API, sessions and login limits are accounts/ (built on
 * top of this by openAccounts), and main.ts composes the two.
 *
 * ```ts
 * const storage = await openStorage({ databaseUrl, redisUrl, dataDir });
 * const ch = await storage.loadCharacter(characterId); // newest known state; UnavailableError when the database is down
 * storage.updateState(characterId, { zone, x, y, hp }); // ~1/s per online character
 * await storage.confirmState(characterId, state);        // experience gained: resolves once a checkpoint holds it
 * storage.leaveWorld(characterId, { zone, x, y, hp });  // disconnect, logout, zone change
 * await storage.close();                                // SIGTERM: flush saves (bounded), close connections
 * ```
 *
 * Modes, logged at start:
 * - databaseUrl set: PostgreSQL through a pg Pool with connect and statement
 *   timeouts; unset: PGlite stored in `${dataDir}/pglite`.
 * - redisUrl set: one Redis connection (sessions and login limits of
 *   accounts/ use it too) and checkpoints in Redis; unset: checkpoints in
 *   `${dataDir}/checkpoints.json` (replaced atomically each interval, so a
 *   kill -9 still leaves the last second's state).
 *
 * Saving: updateState only records the newest state (no I/O on the caller's
 * path); confirmState records it and resolves once a checkpoint round
 * holding it landed, rounds that callers wait for being group-committed
 * (checkpoint-rounds.ts): a player is told experience only after that. Dirty characters are written every saveIntervalMs, leaveWorld
 * writes at once; batches go in one transaction each and are retried with
 * exponential backoff while the database is down, never dropped. A write
 * only lands if it is newer than the row (state_at_ms), so retries cannot go
 * back in time. loadCharacter returns the newest of: an unsaved state still
 * queued here, the checkpoint, the database row. At start, checkpoints newer
 * than their rows (left by a crash) are queued as saves.
 */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { openFileCheckpoints, openResilientCheckpoints, type CharacterState, type Checkpoint, type CheckpointStore } from './checkpoints.ts';
import { CheckpointRounds } from './checkpoint-rounds.ts';
import { RedisHealth, type RedisHealthStats } from './redis-health.ts';
import type { Db } from './db.ts';
import { openPgliteWorker } from './pglite-worker.ts';
import { UnavailableError } from './errors.ts';
import { migrate } from './migrate.ts';
import { SaveQueue, type SaveEntry } from './save-queue.ts';
import { loadCharacter as loadCharacterRow, saveStates } from './store.ts';
import { withSpan } from '../tracing.ts';
import { readTuning, type Tuning } from '../tuning.ts';
import { log } from '../log.ts';
import type { EnteredCharacter } from '../gate/world.ts';

export interface StorageConfig {
  /** PostgreSQL URL; unset runs PGlite in `${dataDir}/pglite`. */
  databaseUrl?: string;
  /** Redis URL; unset keeps checkpoints in a file (and accounts/ its sessions in process). */
  redisUrl?: string;
  /** Folder of the embedded database and the checkpoint file. */
  dataDir: string;
  /** Write dirty characters this often (default SAVE_INTERVAL_MS or 5000). */
  saveIntervalMs?: number;
  /** Checkpoint online characters this often (default CHECKPOINT_INTERVAL_MS or 1000). */
  checkpointIntervalMs?: number;
  /** Overrides of the environment's tuning (tests, benchmarks). */
  tuning?: Partial<Tuning>;
  /** Told the duration of each save batch (the metrics' histogram). */
  timings?: StorageTimings;
}

export interface StorageTimings {
  /** One save batch written (or failed), in seconds. */
  save(seconds: number, ok: boolean): void;
}

/** A stored character at its newest known state, and where that state came from. */
export interface LoadedCharacter extends EnteredCharacter {
  from: 'database' | 'checkpoint' | 'save queue';
}

export interface StorageStats {
  /** Characters waiting to be written (including the batch in flight). */
  saveQueueDepth: number;
  /** Save batches that failed (each is retried). */
  saveFailures: number;
  /** Character saves completed (a save older than the row is a no-op but counts). */
  savesTotal: number;
  /** With Redis: which parts run in process now, and how often they fell back. */
  redis?: RedisHealthStats;
}

export interface Storage {
  /** The database (accounts/ runs its account and character statements on it). */
  readonly db: Db;
  /** The Redis connection when REDIS_URL is set (accounts/ keeps sessions and login limits on it). */
  readonly redis: Redis | undefined;
  /** Prefix of every Redis key. */
  readonly redisPrefix: string;
  /** With Redis: which parts run in process while it is down (accounts/ degrades its sessions and limits through it). */
  readonly redisHealth: RedisHealth | undefined;
  /**
   * The character at its newest known state (save queue, checkpoint or
   * row), or undefined when there is no such character. Whose it is, is the
   * caller's check. Throws UnavailableError when the database is down.
   */
  loadCharacter(characterId: number): Promise<LoadedCharacter | undefined>;
  /** Live state of an online character (~1/s): marks it dirty and feeds the checkpoint. */
  updateState(characterId: number, s: CharacterState): void;
  /**
   * As updateState, for a state the player must not be told before it is
   * durable (experience): resolves once a checkpoint holding it (or a newer
   * state) landed. Never rejects; it waits while the checkpoint store fails.
   */
  confirmState(characterId: number, s: CharacterState): Promise<void>;
  /** The character left (logout, disconnect, zone change): saved now, retried until it lands. */
  leaveWorld(characterId: number, s: CharacterState): void;
  /** The character was deleted: its pending saves, checkpoint and later states are dropped. */
  forgetCharacter(characterId: number): void;
  stats(): StorageStats;
  /** Writes every pending save (bounded wait), then closes the checkpoints, Redis and the database. */
  close(): Promise<void>;
}

const plog = log.child({ mod: 'persistence' });

/** Opens the database (migrating it), Redis, the checkpoints and the save machinery. */
export async function openStorage(cfg: StorageConfig): Promise<Storage> {
  const tuning: Tuning = { ...readTuning(), ...cfg.tuning };
  // pg and ioredis are loaded only when configured: an embedded server holds none of their code.
  const db: Db = cfg.databaseUrl
    ? (await import('./postgres.ts')).openPostgres(cfg.databaseUrl, { connectMs: tuning.pgConnectTimeoutMs, statementMs: tuning.pgStatementTimeoutMs })
    : await openPgliteWorker(join(cfg.dataDir, 'pglite'), { sharedBuffersMb: tuning.pgliteSharedBuffersMb });
  return openStorageOn(cfg, db);
}

/**
 * openStorage over a database the caller opened (tests use it to look at
 * row counts through the same connection; PGlite allows only one). Storage
 * owns db from here on and closes it in close().
 */
export async function openStorageOn(cfg: StorageConfig, db: Db): Promise<Storage> {
  const tuning: Tuning = { ...readTuning(), ...cfg.tuning };
  const saveIntervalMs = cfg.saveIntervalMs ?? tuning.saveIntervalMs;
  const checkpointIntervalMs = cfg.checkpointIntervalMs ?? tuning.checkpointIntervalMs;
  let redis: Redis | undefined;
  try {
    await migrate(db);
    if (cfg.redisUrl) {
      const { Redis: RedisClient } = await import('ioredis');
      redis = new RedisClient(cfg.redisUrl, {
        lazyConnect: true,
        connectTimeout: 2000,
        commandTimeout: 2000,
        maxRetriesPerRequest: 1,
        // Commands issued while disconnected fail at once (503) instead of queueing.
        enableOfflineQueue: false,
        retryStrategy: (n) => Math.min(n * 200, 2000),
      });
      redis.on('error', (err: Error) => plog.warn({ err: err.message }, 'redis error'));
      await redis.connect();
    }
  } catch (err) {
    redis?.disconnect();
    await db.close().catch(() => undefined);
    throw err;
  }

  const redisHealth = redis ? new RedisHealth(redis, plog) : undefined;
  // With Redis, a file beside the embedded one holds checkpoints while Redis is down (redis-health.ts).
  const checkpoints: CheckpointStore =
    redis && redisHealth ? openResilientCheckpoints(redis, tuning.redisPrefix, join(cfg.dataDir, 'redis-fallback'), redisHealth) : openFileCheckpoints(cfg.dataDir);

  /** Online characters' newest states and the checkpoint rounds that write them. */
  const rounds = new CheckpointRounds(checkpoints, { intervalMs: checkpointIntervalMs, log: plog });
  /** The checkpoint put of each character's last state as it left, while it runs (loadCharacter waits for it). */
  const leaving = new Map<number, Promise<void>>();
  /** Offline characters whose checkpoint can go once a save at least this new lands. */
  const leftAt = new Map<number, number>();
  const deleted = new Set<number>();

  const queue = new SaveQueue({
    intervalMs: saveIntervalMs,
    // PGlite runs its WebAssembly on this thread: a 500-row batch measured
    // 15-50 ms of blocked event loop, 100 rows a few ms. A real server does
    // the work in its own process, so batches there can be larger.
    batchSize: db.kind === 'pglite' ? 100 : 500,
    write: async (batch) => {
      const t0 = performance.now();
      try {
        await withSpan('tessera.save', { 'tessera.characters': batch.length }, () => db.tx((q) => saveStates(q, batch)));
        cfg.timings?.save((performance.now() - t0) / 1000, true);
      } catch (err) {
        cfg.timings?.save((performance.now() - t0) / 1000, false);
        throw err;
      }
    },
    onSaved: (batch) => {
      const done = batch.filter((e) => !rounds.has(e.characterId) && (leftAt.get(e.characterId) ?? Infinity) <= e.at);
      for (const e of done) leftAt.delete(e.characterId);
      if (done.length) checkpoints.remove(done.map((e) => e.characterId)).catch((err: unknown) => plog.warn({ err: String(err) }, 'checkpoint cleanup failed'));
    },
  });


  // Crash recovery: checkpoints left behind are newer than their rows unless
  // their save landed; queue them all, the conditional UPDATE sorts it out.
  const left = await checkpoints.all().catch((err: unknown) => {
    plog.warn({ err: String(err) }, 'could not read checkpoints at start');
    return new Map<number, Checkpoint>();
  });
  for (const [id, c] of left) {
    leftAt.set(id, c.at);
    queue.mark({ characterId: id, state: stateOf(c), at: c.at }, true);
  }

  plog.info(
    {
      database: db.kind === 'postgres' ? 'postgresql' : `pglite (${join(cfg.dataDir, 'pglite')})`,
      checkpoints: checkpoints.kind === 'redis' ? 'redis' : `file (${join(cfg.dataDir, 'checkpoints.json')})`,
      recovered: left.size,
      saveIntervalMs,
      checkpointIntervalMs,
    },
    'storage ready',
  );

  let closed = false;
  // Strictly increasing stamps: two states in one millisecond still order.
  let lastAt = 0;
  const record = (characterId: number, s: CharacterState, urgent: boolean): Checkpoint | undefined => {
    if (closed || deleted.has(characterId)) return undefined;
    const at = (lastAt = Math.max(Date.now(), lastAt + 1));
    const c: Checkpoint = { ...stateOf(s), at };
    queue.mark({ characterId, state: stateOf(c), at }, urgent);
    if (urgent) {
      rounds.remove(characterId);
      leftAt.set(characterId, at);
      // The last state goes to the checkpoint store too, in case we crash
      // before the save lands; whoever waits for an older one is answered then.
      const put = checkpoints.put(new Map([[characterId, c]])).then(
        () => rounds.landed(characterId, at),
        (err: unknown) => {
          rounds.forget(characterId);
          plog.warn({ characterId, err: String(err) }, 'checkpoint at leave failed');
        },
      );
      leaving.set(characterId, put);
      void put.finally(() => {
        if (leaving.get(characterId) === put) leaving.delete(characterId);
      });
    } else {
      rounds.set(characterId, c);
    }
    return c;
  };

  return {
    db,
    redis,
    redisPrefix: tuning.redisPrefix,
    redisHealth,
    loadCharacter,

    updateState(characterId, s) {
      record(characterId, s, false);
    },

    confirmState(characterId, s) {
      const c = record(characterId, s, false);
      // A deleted character has nothing to keep; after close nothing is told any more.
      if (!c) return closed ? new Promise<void>(() => {}) : Promise.resolve();
      return rounds.confirm(characterId, c);
    },

    leaveWorld(characterId, s) {
      record(characterId, s, true);
    },

    forgetCharacter(characterId) {
      deleted.add(characterId);
      rounds.remove(characterId);
      rounds.forget(characterId);
      leftAt.delete(characterId);
      checkpoints.remove([characterId]).catch(() => undefined);
    },

    stats() {
      return { saveQueueDepth: queue.depth, saveFailures: queue.failures, savesTotal: queue.saved, ...(redisHealth ? { redis: redisHealth.stats() } : {}) };
    },

    async close() {
      if (closed) return;
      closed = true;
      rounds.stop();
      // Everyone still online is saved as they are now.
      const stillOnline = rounds.takeAll();
      for (const [id, c] of stillOnline) {
        leftAt.set(id, c.at);
        queue.mark({ characterId: id, state: stateOf(c), at: c.at }, true);
      }
      const flushed = await queue.drain(tuning.closeTimeoutMs);
      queue.stop();
      if (!flushed) plog.error({ pending: queue.depth }, 'close: saves still pending after the timeout; checkpoints keep them for the next start');
      else plog.info({ saved: queue.saved }, 'close: all saves written');
      // With saves not landed, the checkpoints must hold the newest state.
      if (!flushed && stillOnline.size) await checkpoints.put(stillOnline).catch(() => undefined);
      await checkpoints.close().catch(() => undefined);
      redisHealth?.close();
      // QUIT lets replies in flight (checkpoint cleanup) arrive first.
      if (redis) await redis.quit().catch(() => redis?.disconnect());
      await db.close().catch(() => undefined);
    },
  };

  async function loadCharacter(characterId: number): Promise<LoadedCharacter | undefined> {
    const [row, ckpt] = await Promise.all([
      loadCharacterRow(db, characterId).catch((err: unknown) => {
        throw new UnavailableError('database unavailable', { cause: err });
      }),
      checkpoints.get(characterId).catch((err: unknown) => {
        plog.warn({ characterId, err: String(err) }, 'checkpoint read failed; using the database row');
        return undefined;
      }),
    ]);
    if (!row) return undefined;
    // A state still only queued here is not durable yet: the checkpoint of
    // its leaving is (its experience may be told from now on, experience.ts).
    const left = leaving.get(characterId);
    if (left && queue.unsaved(characterId)) await left;
    // The row exists, so the character does (ids are never reused).
    deleted.delete(characterId);
    let best: { state: CharacterState; at: number; from: LoadedCharacter['from'] } = { state: row, at: row.stateAtMs, from: 'database' };
    if (ckpt && ckpt.at > best.at) best = { state: ckpt, at: ckpt.at, from: 'checkpoint' };
    const unsaved: SaveEntry | undefined = queue.unsaved(characterId);
    if (unsaved && unsaved.at > best.at) best = { state: unsaved.state, at: unsaved.at, from: 'save queue' };
    // The stored rewards the chosen experience includes are the chosen state's own (taken with it, never
    // mixed with another's): a state with none (from before rewards were numbered) has the row's.
    if (best.state.rewardSeq === undefined) best = { ...best, state: { ...best.state, rewardSeq: row.rewardSeq } };
    // Stamps of this character's next states must beat the one just loaded,
    // even if the wall clock stepped back since it was written (a save only
    // lands when newer than the row).
    lastAt = Math.max(lastAt, best.at);
    return { accountId: row.accountId, characterId, name: row.name, classId: row.classId, ...stateOf(best.state), from: best.from };
  }
}

function stateOf(s: CharacterState): CharacterState {
  const out: CharacterState = { zone: s.zone, x: s.x, y: s.y, hp: s.hp };
  if (s.level !== undefined) out.level = s.level;
  if (s.xp !== undefined) out.xp = s.xp;
  // Always with the experience it describes (world.ts WorldState.rewardSeq).
  if (s.rewardSeq !== undefined) out.rewardSeq = s.rewardSeq;
  return out;
}
