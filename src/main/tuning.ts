import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { EnvReader, type ConfigVar, type Env } from './env.ts';

/**
 * Knobs of accounts and persistence that operators rarely touch. Read from
 * the environment by readTuning (each bad value is a ConfigError naming the
 * variable); tests and benchmarks pass overrides through the `tuning`
 * option of openStorage and openAccounts instead.
 */
export interface Tuning {
  /** Defaults of PersistenceConfig.saveIntervalMs / checkpointIntervalMs. */
  saveIntervalMs: number;
  checkpointIntervalMs: number;
  sessionTtlMs: number;
  /** Login attempts allowed per client address per window. */
  loginLimitPerIp: number;
  /** Failed logins allowed per username per window (cleared by a success). */
  loginLimitPerAccount: number;
  loginWindowMs: number;
  /** Accounts one address may register per hour. */
  registerLimitPerIp: number;
  hashThreads: number;
  /** Hashing threads kept while no login hashes (HASH_MIN_THREADS); the others start on demand and end after 30 s idle. */
  hashMinThreads: number;
  /** log2 of scrypt's N. */
  scryptLog2N: number;
  /** Hash tasks allowed to wait beyond the running ones; more get 503. */
  hashMaxQueue: number;
  maxCharactersPerAccount: number;
  /** Where new characters start. */
  spawn: { zone: string; x: number; y: number; hp: number };
  /** PostgreSQL connect and statement timeouts (ms). */
  pgConnectTimeoutMs: number;
  pgStatementTimeoutMs: number;
  /** The embedded database's shared_buffers, MB (persistence/pglite-options.ts). */
  pgliteSharedBuffersMb: number;
  /** Prefix of every Redis key (several servers may share one Redis). */
  redisPrefix: string;
  /** Longest close() waits for pending saves. */
  closeTimeoutMs: number;
  /** Serve the account page from this folder. */
  webDir: string;
}

/** The embedded database's default shared_buffers, MB: the default world's database is well under it after thousands of characters (persistence/pglite-options.ts). */
export const DEFAULT_PGLITE_SHARED_BUFFERS_MB = 16;

/** zone:x:y, x and y decimal with an optional fraction (ASCII digits). */
const SPAWN_PATTERN = /^([A-Za-z0-9_-]{1,64}):([0-9]{1,5}(?:\.[0-9]+)?):([0-9]{1,5}(?:\.[0-9]+)?)$/;

/** Rows of the configuration table in README.md (and docs/api.md), after config.ts's. */
export const TUNING_VARS: ConfigVar[] = [
  { name: 'SAVE_INTERVAL_MS', default: '5000', doc: 'Write dirty characters to the database this often (batched, one transaction per batch).' },
  { name: 'CHECKPOINT_INTERVAL_MS', default: '1000', doc: 'Hot-state checkpoint of online characters (Redis, or DATA_DIR/checkpoints.json) this often.' },
  { name: 'SESSION_TTL_S', default: '86400', doc: 'Lifetime of a login session token.' },
  { name: 'LOGIN_LIMIT_PER_IP', default: '30', doc: 'Login attempts per client address per LOGIN_LIMIT_WINDOW_S; more get 429.' },
  { name: 'LOGIN_LIMIT_PER_ACCOUNT', default: '10', doc: 'Failed logins per username per LOGIN_LIMIT_WINDOW_S; more get 429 (a success clears it).' },
  { name: 'LOGIN_LIMIT_WINDOW_S', default: '300', doc: 'Window of the login limits.' },
  { name: 'REGISTER_LIMIT_PER_IP', default: '20', doc: 'Accounts one address may register per hour.' },
  { name: 'HASH_THREADS', default: 'cores - 1 (at least 1)', doc: 'Worker threads hashing passwords (scrypt).' },
  { name: 'HASH_MIN_THREADS', default: '0', doc: 'Hashing threads kept alive while no login hashes, 0..HASH_THREADS. 0: the first login after 30 s without one starts a thread (tens of ms on a quiet box) and an idle server has none (each costs about 20 MB).' },
  { name: 'SCRYPT_LOG2N', default: '15', doc: 'scrypt cost: N = 2^value, r = 8 (2^15 uses 32 MiB per hash); stored with each hash.' },
  { name: 'HASH_MAX_QUEUE', default: '2000', doc: 'Logins waiting for a hashing thread; beyond it they get 503.' },
  { name: 'MAX_CHARACTERS', default: '8', doc: 'Characters per account.' },
  { name: 'SPAWN', default: 'meadow:128:128', doc: 'zone:x:y where new characters start.' },
  { name: 'PG_CONNECT_TIMEOUT_MS', default: '2000', doc: 'Give up connecting to PostgreSQL after this long (logins then get 503).' },
  { name: 'PG_STATEMENT_TIMEOUT_MS', default: '5000', doc: 'statement_timeout of every PostgreSQL session.' },
  { name: 'PGLITE_SHARED_BUFFERS_MB', default: String(DEFAULT_PGLITE_SHARED_BUFFERS_MB), doc: 'shared_buffers of the embedded PGlite (no DATABASE_URL), MB, 1..1024: its page cache inside its WebAssembly memory, which never shrinks. PostgreSQL\'s own 128 MB made an idle server\'s PGlite 150 MB resident (docs/benchmarks.md, "Idle memory").' },
  { name: 'REDIS_PREFIX', default: 'tessera:', doc: 'Prefix of every Redis key: up to 64 letters, digits or :_.{}-.' },
];

/**
 * Tuning from environment variables, with the same reader, syntax and range
 * checks as the configuration (env.ts); throws one ConfigError listing
 * every bad variable.
 */
export function readTuning(env: Env = process.env): Tuning {
  const r = new EnvReader(env);
  const spawnRaw = r.str('SPAWN', 'meadow:128:128', SPAWN_PATTERN, 'zone:x:y (e.g. meadow:128:128)');
  const m = SPAWN_PATTERN.exec(spawnRaw)!;
  const t: Tuning = {
    saveIntervalMs: r.int('SAVE_INTERVAL_MS', 5000, 100, 600_000),
    checkpointIntervalMs: r.int('CHECKPOINT_INTERVAL_MS', 1000, 100, 60_000),
    sessionTtlMs: r.int('SESSION_TTL_S', 86_400, 60, 90 * 86_400) * 1000,
    loginLimitPerIp: r.int('LOGIN_LIMIT_PER_IP', 30, 1, 1_000_000),
    loginLimitPerAccount: r.int('LOGIN_LIMIT_PER_ACCOUNT', 10, 1, 1_000_000),
    loginWindowMs: r.int('LOGIN_LIMIT_WINDOW_S', 300, 1, 86_400) * 1000,
    registerLimitPerIp: r.int('REGISTER_LIMIT_PER_IP', 20, 1, 1_000_000),
    hashThreads: r.int('HASH_THREADS', Math.max(1, availableParallelism() - 1), 1, 256),
    hashMinThreads: r.int('HASH_MIN_THREADS', 0, 0, 256),
    scryptLog2N: r.int('SCRYPT_LOG2N', 15, 10, 20),
    hashMaxQueue: r.int('HASH_MAX_QUEUE', 2000, 0, 1_000_000),
    maxCharactersPerAccount: r.int('MAX_CHARACTERS', 8, 1, 100),
    spawn: { zone: m[1]!, x: Number(m[2]), y: Number(m[3]), hp: 100 },
    pgConnectTimeoutMs: r.int('PG_CONNECT_TIMEOUT_MS', 2000, 100, 60_000),
    pgStatementTimeoutMs: r.int('PG_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    pgliteSharedBuffersMb: r.int('PGLITE_SHARED_BUFFERS_MB', DEFAULT_PGLITE_SHARED_BUFFERS_MB, 1, 1024),
    redisPrefix: r.str('REDIS_PREFIX', 'tessera:', /^[A-Za-z0-9:_.{}-]{1,64}$/, 'up to 64 letters, digits or :_.{}-'),
    closeTimeoutMs: 15_000,
    webDir: fileURLToPath(new URL('../../web/account/', import.meta.url)),
  };
  if (t.hashMinThreads > t.hashThreads) r.problem(`HASH_MIN_THREADS (${t.hashMinThreads}) must be at most HASH_THREADS (${t.hashThreads})`);
  r.throwIfProblems();
  return t;
}
