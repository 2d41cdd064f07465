import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Knobs of accounts and persistence that operators rarely touch. Read from
 * the environment by readTuning (each bad value is an error naming the
 * variable); tests and benchmarks pass overrides through
 * PersistenceConfig.tuning instead.
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
  /** Prefix of every Redis key (several servers may share one Redis). */
  redisPrefix: string;
  /** Longest close() waits for pending saves. */
  closeTimeoutMs: number;
  /** Serve the account page from this folder. */
  webDir: string;
}

/** One row of the configuration table in README.md, as src/main/config.ts keeps them. */
export interface TuningVar {
  name: string;
  default: string;
  doc: string;
}

export const TUNING_VARS: TuningVar[] = [
  { name: 'SAVE_INTERVAL_MS', default: '5000', doc: 'Write dirty characters to the database this often (batched, one transaction per batch).' },
  { name: 'CHECKPOINT_INTERVAL_MS', default: '1000', doc: 'Hot-state checkpoint of online characters (Redis, or DATA_DIR/checkpoints.json) this often.' },
  { name: 'SESSION_TTL_S', default: '86400', doc: 'Lifetime of a login session token.' },
  { name: 'LOGIN_LIMIT_PER_IP', default: '30', doc: 'Login attempts per client address per LOGIN_LIMIT_WINDOW_S; more get 429.' },
  { name: 'LOGIN_LIMIT_PER_ACCOUNT', default: '10', doc: 'Failed logins per username per LOGIN_LIMIT_WINDOW_S; more get 429 (a success clears it).' },
  { name: 'LOGIN_LIMIT_WINDOW_S', default: '300', doc: 'Window of the login limits.' },
  { name: 'REGISTER_LIMIT_PER_IP', default: '20', doc: 'Accounts one address may register per hour.' },
  { name: 'HASH_THREADS', default: 'cores - 1 (at least 1)', doc: 'Worker threads hashing passwords (scrypt).' },
  { name: 'SCRYPT_LOG2N', default: '15', doc: 'scrypt cost: N = 2^value, r = 8 (2^15 uses 32 MiB per hash); stored with each hash.' },
  { name: 'HASH_MAX_QUEUE', default: '2000', doc: 'Logins waiting for a hashing thread; beyond it they get 503.' },
  { name: 'MAX_CHARACTERS', default: '8', doc: 'Characters per account.' },
  { name: 'SPAWN', default: 'meadow:128:128', doc: 'zone:x:y where new characters start.' },
  { name: 'PG_CONNECT_TIMEOUT_MS', default: '2000', doc: 'Give up connecting to PostgreSQL after this long (logins then get 503).' },
  { name: 'PG_STATEMENT_TIMEOUT_MS', default: '5000', doc: 'statement_timeout of every PostgreSQL session.' },
  { name: 'REDIS_PREFIX', default: 'tessera:', doc: 'Prefix of every Redis key.' },
];

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, dflt: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer ${min}..${max}, got ${JSON.stringify(raw)}`);
    return dflt;
  }
  return n;
}

/** Tuning from environment variables; throws one Error listing every bad variable. */
export function readTuning(env: Env = process.env): Tuning {
  const p: string[] = [];
  const spawnRaw = env.SPAWN ?? 'meadow:128:128';
  const m = /^([A-Za-z0-9_-]{1,64}):(\d{1,5}(?:\.\d+)?):(\d{1,5}(?:\.\d+)?)$/.exec(spawnRaw);
  if (!m) p.push(`SPAWN must be zone:x:y (e.g. meadow:128:128), got ${JSON.stringify(spawnRaw)}`);
  const t: Tuning = {
    saveIntervalMs: int(env, 'SAVE_INTERVAL_MS', 5000, 100, 600_000, p),
    checkpointIntervalMs: int(env, 'CHECKPOINT_INTERVAL_MS', 1000, 100, 60_000, p),
    sessionTtlMs: int(env, 'SESSION_TTL_S', 86_400, 60, 90 * 86_400, p) * 1000,
    loginLimitPerIp: int(env, 'LOGIN_LIMIT_PER_IP', 30, 1, 1_000_000, p),
    loginLimitPerAccount: int(env, 'LOGIN_LIMIT_PER_ACCOUNT', 10, 1, 1_000_000, p),
    loginWindowMs: int(env, 'LOGIN_LIMIT_WINDOW_S', 300, 1, 86_400, p) * 1000,
    registerLimitPerIp: int(env, 'REGISTER_LIMIT_PER_IP', 20, 1, 1_000_000, p),
    hashThreads: int(env, 'HASH_THREADS', Math.max(1, availableParallelism() - 1), 1, 256, p),
    scryptLog2N: int(env, 'SCRYPT_LOG2N', 15, 10, 20, p),
    hashMaxQueue: int(env, 'HASH_MAX_QUEUE', 2000, 0, 1_000_000, p),
    maxCharactersPerAccount: int(env, 'MAX_CHARACTERS', 8, 1, 100, p),
    spawn: m ? { zone: m[1]!, x: Number(m[2]), y: Number(m[3]), hp: 100 } : { zone: 'meadow', x: 128, y: 128, hp: 100 },
    pgConnectTimeoutMs: int(env, 'PG_CONNECT_TIMEOUT_MS', 2000, 100, 60_000, p),
    pgStatementTimeoutMs: int(env, 'PG_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000, p),
    redisPrefix: env.REDIS_PREFIX ?? 'tessera:',
    closeTimeoutMs: 15_000,
    webDir: fileURLToPath(new URL('../../../web/account/', import.meta.url)),
  };
  if (p.length) throw new Error(`invalid configuration:\n  - ${p.join('\n  - ')}`);
  return t;
}
