/**
 * Accounts, characters and persistence for the coordinator.
 *
 * The gate wires it like this:
 *
 * ```ts
 * const p = await openPersistence({ databaseUrl, redisUrl, dataDir, allowGuests });
 * http.createServer(async (req, res) => { if (!(await p.handleHttp(req, res))) notFound(res); });
 * // WebSocket handshake carries token + character id:
 * const ch = await p.enterWorld(token, characterId);  // AuthError → auth close code, UnavailableError → "try again"
 * p.updateState(ch.characterId, { zone, x, y, hp });   // ~1/s per online character
 * p.leaveWorld(ch.characterId, { zone, x, y, hp });    // disconnect, logout, zone change
 * await p.close();                                      // SIGTERM: flush saves (bounded), close pools
 * ```
 *
 * Modes, logged at start:
 * - databaseUrl set: PostgreSQL through a pg Pool with connect and statement
 *   timeouts; unset: PGlite stored in `${dataDir}/pglite`.
 * - redisUrl set: sessions, login limits and hot-state checkpoints in Redis;
 *   unset: sessions and limits in process, checkpoints in
 *   `${dataDir}/checkpoints.json` (replaced atomically each interval, so a
 *   kill -9 still leaves the last second's state).
 *
 * Saving: updateState only records the newest state (no I/O on the caller's
 * path). Dirty characters are written every saveIntervalMs, leaveWorld
 * writes at once; batches go in one transaction each and are retried with
 * exponential backoff while the database is down, never dropped. A write
 * only lands if it is newer than the row (state_at_ms), so retries cannot go
 * back in time. enterWorld places a character at the newest of: an unsaved
 * state still queued here, the checkpoint, the database row. At start,
 * checkpoints newer than their rows (left by a crash) are queued as saves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { accountsApi } from '../accounts/api.ts';
import { PasswordHasher } from '../accounts/hash.ts';
import { memoryLimiter, redisLimiter, type RateLimiter } from '../accounts/rate-limit.ts';
import { memorySessions, redisSessions, type SessionStore } from '../accounts/sessions.ts';
import { staticAccountPage } from '../accounts/static.ts';
import { openFileCheckpoints, openRedisCheckpoints, type CharacterState, type Checkpoint, type CheckpointStore } from './checkpoints.ts';
import { openPglite, openPostgres, type Db } from './db.ts';
import { AuthError, UnavailableError } from './errors.ts';
import { migrate } from './migrate.ts';
import { SaveQueue, type SaveEntry } from './save-queue.ts';
import { loadCharacter, saveStates } from './store.ts';
import { withSpan } from '../tracing.ts';
import { readTuning, type Tuning } from '../tuning.ts';
import { log } from '../log.ts';
import type { EnteredCharacter } from '../gate/world.ts';

export { AuthError, UnavailableError } from './errors.ts';
export { MigrationError } from './migrate.ts';
export { TUNING_VARS, type Tuning } from '../tuning.ts';
export { openPglite, openPostgres, type Db } from './db.ts';
export type { CharacterState } from './checkpoints.ts';

export interface PersistenceConfig {
  /** PostgreSQL URL; unset runs PGlite in `${dataDir}/pglite`. */
  databaseUrl?: string;
  /** Redis URL; unset keeps sessions in process and checkpoints in a file. */
  redisUrl?: string;
  /** Folder of the embedded database and the checkpoint file. */
  dataDir: string;
  /** Guests are the gate's business; recorded here only for the start log. */
  allowGuests: boolean;
  /** Write dirty characters this often (default SAVE_INTERVAL_MS or 5000). */
  saveIntervalMs?: number;
  /** Checkpoint online characters this often (default CHECKPOINT_INTERVAL_MS or 1000). */
  checkpointIntervalMs?: number;
  /** Overrides of the environment's tuning (tests, benchmarks). */
  tuning?: Partial<Tuning>;
  /** Told the duration of each save batch and login (the metrics' histograms). */
  timings?: PersistenceTimings;
  /** Told when a character is deleted, so the gate can close its connection. */
  onCharacterDeleted?: (characterId: number) => void;
}

export interface PersistenceTimings {
  /** One save batch written (or failed), in seconds. */
  save(seconds: number, ok: boolean): void;
  /** One login attempt answered, in seconds. */
  login(result: 'ok' | 'failed', seconds: number): void;
}

/** A character entering the world, placed where it was last known to be (the gate's type). */
export type { EnteredCharacter };

export interface PersistenceStats {
  /** Characters waiting to be written (including the batch in flight). */
  saveQueueDepth: number;
  /** Save batches that failed (each is retried). */
  saveFailures: number;
  /** Character saves completed (a save older than the row is a no-op but counts). */
  savesTotal: number;
  loginsOk: number;
  loginsFailed: number;
}

export interface Persistence {
  /** Serves /api/* and the account page (/, /account/*); false for other paths. */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * Validates the session and that the character is the account's, and
   * returns it at its newest known state. Throws AuthError or
   * UnavailableError (database or Redis down: try again).
   */
  enterWorld(token: string, characterId: number): Promise<EnteredCharacter>;
  /** Live state of an online character (~1/s): marks it dirty and feeds the checkpoint. */
  updateState(characterId: number, s: CharacterState): void;
  /** The character left (logout, disconnect, zone change): saved now, retried until it lands. */
  leaveWorld(characterId: number, s: CharacterState): void;
  stats(): PersistenceStats;
  /** Writes every pending save (bounded wait), then closes pools and connections. */
  close(): Promise<void>;
}

const plog = log.child({ mod: 'persistence' });

/** Opens the database (migrating it), the session store and the save machinery. */
export async function openPersistence(cfg: PersistenceConfig): Promise<Persistence> {
  const tuning: Tuning = { ...readTuning(), ...cfg.tuning };
  const db: Db = cfg.databaseUrl
    ? openPostgres(cfg.databaseUrl, { connectMs: tuning.pgConnectTimeoutMs, statementMs: tuning.pgStatementTimeoutMs })
    : await openPglite(join(cfg.dataDir, 'pglite'));
  return openPersistenceOn(cfg, db);
}

/**
 * openPersistence over a database the caller opened (tests use it to look
 * at row counts through the same connection; PGlite allows only one).
 * Persistence owns db from here on and closes it in close().
 */
export async function openPersistenceOn(cfg: PersistenceConfig, db: Db): Promise<Persistence> {
  const tuning: Tuning = { ...readTuning(), ...cfg.tuning };
  const saveIntervalMs = cfg.saveIntervalMs ?? tuning.saveIntervalMs;
  const checkpointIntervalMs = cfg.checkpointIntervalMs ?? tuning.checkpointIntervalMs;
  let redis: Redis | undefined;
  try {
    await migrate(db);
    if (cfg.redisUrl) {
      redis = new Redis(cfg.redisUrl, {
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

  const sessions: SessionStore = redis ? redisSessions(redis, tuning.redisPrefix) : memorySessions();
  const limiter: RateLimiter = redis ? redisLimiter(redis, tuning.redisPrefix) : memoryLimiter();
  const checkpoints: CheckpointStore = redis ? openRedisCheckpoints(redis, tuning.redisPrefix) : openFileCheckpoints(cfg.dataDir);
  const hasher = new PasswordHasher({ threads: tuning.hashThreads, log2n: tuning.scryptLog2N, maxQueue: tuning.hashMaxQueue });
  const counters = { loginsOk: 0, loginsFailed: 0 };

  /** Online characters' newest state, and which of them changed since the last checkpoint. */
  const online = new Map<number, Checkpoint>();
  const changed = new Set<number>();
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
      const done = batch.filter((e) => !online.has(e.characterId) && (leftAt.get(e.characterId) ?? Infinity) <= e.at);
      for (const e of done) leftAt.delete(e.characterId);
      if (done.length) checkpoints.remove(done.map((e) => e.characterId)).catch((err: unknown) => plog.warn({ err: String(err) }, 'checkpoint cleanup failed'));
    },
  });

  let checkpointing = false;
  const checkpointTimer = setInterval(() => {
    if (checkpointing || changed.size === 0) return;
    const batch = new Map<number, Checkpoint>();
    for (const id of changed) {
      const c = online.get(id);
      if (c) batch.set(id, c);
    }
    changed.clear();
    checkpointing = true;
    checkpoints
      .put(batch)
      .catch((err: unknown) => {
        // Keep them for the next round rather than lose the newest state.
        for (const id of batch.keys()) if (online.has(id)) changed.add(id);
        plog.warn({ err: String(err), characters: batch.size }, 'checkpoint failed');
      })
      .finally(() => {
        checkpointing = false;
      });
  }, checkpointIntervalMs);
  checkpointTimer.unref();

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

  const api = accountsApi({
    db,
    sessions,
    limiter,
    hasher,
    tuning,
    counters,
    timings: cfg.timings,
    onCharacterDeleted: (id) => {
      cfg.onCharacterDeleted?.(id);
      deleted.add(id);
      online.delete(id);
      changed.delete(id);
      leftAt.delete(id);
      checkpoints.remove([id]).catch(() => undefined);
    },
  });
  const page = staticAccountPage(tuning.webDir);

  plog.info(
    {
      database: db.kind === 'postgres' ? 'postgresql' : `pglite (${join(cfg.dataDir, 'pglite')})`,
      sessions: sessions.kind === 'redis' ? 'redis' : 'in process (lost on restart)',
      checkpoints: checkpoints.kind === 'redis' ? 'redis' : `file (${join(cfg.dataDir, 'checkpoints.json')})`,
      recovered: left.size,
      saveIntervalMs,
      checkpointIntervalMs,
      hashThreads: tuning.hashThreads,
      allowGuests: cfg.allowGuests,
    },
    'persistence ready',
  );

  let closed = false;
  // Strictly increasing stamps: two states in one millisecond still order.
  let lastAt = 0;
  const record = (characterId: number, s: CharacterState, urgent: boolean): void => {
    if (closed || deleted.has(characterId)) return;
    const at = (lastAt = Math.max(Date.now(), lastAt + 1));
    const c: Checkpoint = { zone: s.zone, x: s.x, y: s.y, hp: s.hp, at };
    queue.mark({ characterId, state: stateOf(c), at }, urgent);
    if (urgent) {
      online.delete(characterId);
      changed.delete(characterId);
      leftAt.set(characterId, at);
      // The last state goes to the checkpoint store too, in case we crash
      // before the save lands.
      checkpoints.put(new Map([[characterId, c]])).catch((err: unknown) => plog.warn({ characterId, err: String(err) }, 'checkpoint at leave failed'));
    } else {
      online.set(characterId, c);
      changed.add(characterId);
    }
  };

  return {
    async handleHttp(req, res) {
      const path = (req.url ?? '/').split('?', 1)[0]!;
      if (await api(req, res, path)) return true;
      return page(req, res, path);
    },

    enterWorld(token, characterId) {
      return withSpan('tessera.character.load', { 'tessera.character_id': characterId }, () => enterWorld(token, characterId));
    },

    updateState(characterId, s) {
      record(characterId, s, false);
    },

    leaveWorld(characterId, s) {
      record(characterId, s, true);
    },

    stats() {
      return { saveQueueDepth: queue.depth, saveFailures: queue.failures, savesTotal: queue.saved, ...counters };
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(checkpointTimer);
      // Everyone still online is saved as they are now.
      const stillOnline = new Map(online);
      online.clear();
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
      await Promise.allSettled([hasher.close(), sessions.close(), limiter.close(), checkpoints.close()]);
      // QUIT lets replies in flight (checkpoint cleanup) arrive first.
      if (redis) await redis.quit().catch(() => redis?.disconnect());
      await db.close().catch(() => undefined);
    },
  };

  async function enterWorld(token: string, characterId: number): Promise<EnteredCharacter> {
    const accountId = await sessions.lookup(token).catch((err: unknown) => {
      throw new UnavailableError('session store unavailable', { cause: err });
    });
    if (accountId === undefined) throw new AuthError('session token is invalid or expired');
    if (!Number.isInteger(characterId) || characterId <= 0 || characterId > 0x7fffffff) throw new AuthError('no such character');
    const [row, ckpt] = await Promise.all([
      loadCharacter(db, characterId).catch((err: unknown) => {
        throw new UnavailableError('database unavailable', { cause: err });
      }),
      checkpoints.get(characterId).catch((err: unknown) => {
        plog.warn({ characterId, err: String(err) }, 'checkpoint read failed; using the database row');
        return undefined;
      }),
    ]);
    if (!row || row.accountId !== accountId) throw new AuthError('not your character');
    deleted.delete(characterId);
    let best: { state: CharacterState; at: number; from: string } = { state: row, at: row.stateAtMs, from: 'database' };
    if (ckpt && ckpt.at > best.at) best = { state: ckpt, at: ckpt.at, from: 'checkpoint' };
    const unsaved: SaveEntry | undefined = queue.unsaved(characterId);
    if (unsaved && unsaved.at > best.at) best = { state: unsaved.state, at: unsaved.at, from: 'save queue' };
    // Stamps of this character's next states must beat the one just loaded,
    // even if the wall clock stepped back since it was written (a save only
    // lands when newer than the row).
    lastAt = Math.max(lastAt, best.at);
    plog.info({ accountId, characterId, from: best.from }, 'character entering world');
    return { accountId, characterId, name: row.name, classId: row.classId, ...stateOf(best.state) };
  }
}

function stateOf(s: CharacterState): CharacterState {
  return { zone: s.zone, x: s.x, y: s.y, hp: s.hp };
}
