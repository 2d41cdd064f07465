/**
 * Accounts for the coordinator, wired on top of storage: the account API
 * (/api/*) and page, sessions, login and registration limits, password
 * hashing, and entering the world with a session token. Storage (the
 * database, Redis, saves) is persistence/'s; main.ts opens it and hands it
 * here.
 *
 * ```ts
 * const storage = await openStorage({ databaseUrl, redisUrl, dataDir });
 * const accounts = openAccounts({ storage, onCharacterDeleted });
 * http handler: accounts.handleHttp(req, res)          // false for paths it does not serve
 * const ch = await accounts.enterWorld(token, characterId); // AuthError, UnavailableError
 * await accounts.close(); await storage.close();
 * ```
 *
 * With storage on Redis, sessions and limits live there (shared by every
 * server on that Redis); without, in process (lost on restart).
 */
import { NO_CONTENT_CLASSES, type AccountClass } from './classes.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EnteredCharacter } from '../gate/world.ts';
import { log } from '../log.ts';
import { UnavailableError } from '../persistence/errors.ts';
import type { Storage } from '../persistence/storage.ts';
import { withSpan } from '../tracing.ts';
import { readTuning, type Tuning } from '../tuning.ts';
import { accountsApi, type AccountTimings, type BanCheck } from './api.ts';
import { PasswordHasher } from './hash.ts';
import { memoryLimiter, resilientLimiter, type RateLimiter } from './rate-limit.ts';
import { resilientSessions } from './resilient-sessions.ts';
import { memorySessions, type SessionStore } from './sessions.ts';
import { staticAccountPage } from './static.ts';

/** Bad or expired session token, or a character that is not the account's. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface AccountsOptions {
  /** Where accounts and characters are stored, and the Redis connection if any. */
  storage: Storage;
  /** Overrides of the environment's tuning (tests, benchmarks). */
  tuning?: Partial<Tuning>;
  /** Told the duration of each login (the metrics' histogram). */
  timings?: AccountTimings;
  /** Told when a character is deleted, so the gate can close its connection. */
  onCharacterDeleted?: (characterId: number) => void;
  /** Told when every session of an account was revoked, with its characters, so the gate can close their connections. */
  onSessionsRevoked?: (accountId: number, characterIds: number[]) => void;
  /** Largest request body the API reads (HTTP_MAX_BODY_BYTES); 16 KiB otherwise. */
  maxBodyBytes?: number;
  /** The content's classes (accountClassesOf); NO_CONTENT_CLASSES without content. */
  classes?: readonly AccountClass[];
  /** Bans checked at login (moderation/bans.ts); none when left out. */
  bans?: BanCheck;
}

export interface AccountsStats {
  loginsOk: number;
  loginsFailed: number;
}

export interface Accounts {
  /** Serves /api/* and the account page (/, /account/*); false for other paths. */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * Validates the session and that the character is the account's, and
   * returns it at its newest known state. Throws AuthError or
   * UnavailableError (database or Redis down: try again).
   */
  enterWorld(token: string, characterId: number): Promise<EnteredCharacter>;
  stats(): AccountsStats;
  /** The session and limit stores, shared with the admin API (same tokens, same limits' backend). */
  readonly sessions: SessionStore;
  readonly limiter: RateLimiter;
  /** Stops the hashing threads and the session and limit stores (not storage: its owner closes it). */
  close(): Promise<void>;
}

const alog = log.child({ mod: 'accounts' });

/** Builds the accounts part on `o.storage`. */
export function openAccounts(o: AccountsOptions): Accounts {
  const { storage } = o;
  const tuning: Tuning = { ...readTuning(), ...o.tuning };
  // With Redis, both fall back to this process while it is down and write back when it returns.
  const health = storage.redisHealth;
  const sessions: SessionStore = storage.redis && health ? resilientSessions(storage.redis, storage.redisPrefix, health) : memorySessions();
  const limiter: RateLimiter = storage.redis && health ? resilientLimiter(storage.redis, storage.redisPrefix, health) : memoryLimiter();
  const hasher = new PasswordHasher({ threads: tuning.hashThreads, minThreads: tuning.hashMinThreads, log2n: tuning.scryptLog2N, maxQueue: tuning.hashMaxQueue });
  const counters: AccountsStats = { loginsOk: 0, loginsFailed: 0 };
  const api = accountsApi({
    db: storage.db,
    sessions,
    limiter,
    hasher,
    tuning,
    counters,
    timings: o.timings,
    maxBodyBytes: o.maxBodyBytes,
    classes: o.classes ?? NO_CONTENT_CLASSES,
    bans: o.bans,
    onCharacterDeleted: (id) => {
      o.onCharacterDeleted?.(id);
      storage.forgetCharacter(id);
    },
    onSessionsRevoked: o.onSessionsRevoked,
  });
  const page = staticAccountPage(tuning.webDir);
  alog.info({ sessions: sessions.kind === 'redis' ? 'redis' : 'in process (lost on restart)', hashThreads: tuning.hashThreads }, 'accounts ready');

  async function enterWorld(token: string, characterId: number): Promise<EnteredCharacter> {
    const accountId = await sessions.lookup(token).catch((err: unknown) => {
      throw new UnavailableError('session store unavailable', { cause: err });
    });
    if (accountId === undefined) throw new AuthError('session token is invalid or expired');
    if (!Number.isInteger(characterId) || characterId <= 0 || characterId > 0x7fffffff) throw new AuthError('no such character');
    const loaded = await storage.loadCharacter(characterId);
    if (!loaded || loaded.accountId !== accountId) throw new AuthError('not your character');
    const { from, ...character } = loaded;
    alog.info({ accountId, characterId, from }, 'character entering world');
    return character;
  }

  return {
    async handleHttp(req, res) {
      const path = (req.url ?? '/').split('?', 1)[0]!;
      if (await api(req, res, path)) return true;
      return page(req, res, path);
    },
    enterWorld(token, characterId) {
      return withSpan('tessera.character.load', { 'tessera.character_id': characterId }, () => enterWorld(token, characterId));
    },
    stats() {
      return { ...counters };
    },
    sessions,
    limiter,
    async close() {
      await Promise.allSettled([hasher.close(), sessions.close(), limiter.close()]);
    },
  };
}
