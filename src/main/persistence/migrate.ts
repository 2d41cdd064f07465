import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Db, Queryable } from './db.ts';
import { log } from '../log.ts';

/** The repository's migrations/ folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/**
 * Session-level advisory lock key (an arbitrary constant owned by Tessera)
 * held while migrating, so two processes starting at once never race: the
 * second waits, then finds nothing left to do.
 */
const LOCK_KEY = '127987454030689';

const FILE_RE = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** A migration failed or the migrations on disk disagree with the database. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** The numbered .sql files of dir, in order; a gap or a duplicate number is an error. */
export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const out: MigrationFile[] = [];
  for (const name of files) {
    const m = FILE_RE.exec(name);
    if (!m) throw new MigrationError(`migration file ${name} must be named NNN_lower_snake.sql`);
    const version = Number(m[1]);
    if (version !== out.length + 1) {
      throw new MigrationError(`migration ${name}: expected number ${String(out.length + 1).padStart(3, '0')} (no gaps or duplicates)`);
    }
    const sql = readFileSync(join(dir, name), 'utf8');
    out.push({ version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

/**
 * Applies every migration not yet recorded in schema_migrations, each in its
 * own transaction, under an advisory lock. Throws MigrationError naming the
 * file when one fails (its transaction is rolled back) or when an applied
 * file was edited afterwards. Returns the names applied now.
 */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = readMigrations(dir);
  return db.session(async (q) => {
    await q.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    try {
      return await applyPending(q, files);
    } finally {
      await q.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
    }
  });
}

async function applyPending(q: Queryable, files: MigrationFile[]): Promise<string[]> {
  await q.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const rows = await q.query<{ version: number; name: string; checksum: string }>(
    'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
  );
  const applied = new Map(rows.map((r) => [r.version, r]));
  for (const f of files) {
    const row = applied.get(f.version);
    if (row && row.checksum !== f.checksum) {
      throw new MigrationError(`migration ${f.name} was edited after it was applied (checksum differs); add a new migration instead`);
    }
  }
  const done: string[] = [];
  for (const f of files) {
    if (applied.has(f.version)) continue;
    await q.exec('BEGIN');
    try {
      await q.exec(f.sql);
      await q.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [f.version, f.name, f.checksum]);
      await q.exec('COMMIT');
    } catch (err) {
      await q.exec('ROLLBACK').catch(() => undefined);
      const why = err instanceof Error ? err.message : String(err);
      throw new MigrationError(`migration ${f.name} failed: ${why}`, { cause: err });
    }
    log.info({ migration: f.name }, 'migration applied');
    done.push(f.name);
  }
  return done;
}
