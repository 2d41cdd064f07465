/**
 * `npm run migrate`: applies migrations/ to DATABASE_URL, or to the embedded
 * PGlite database in DATA_DIR (default ./.data) when DATABASE_URL is unset.
 * Exits 1 with the failing file's name when a migration fails.
 */
import { join } from 'node:path';
import { EnvReader } from '../env.ts';
import { openPglite } from './pglite-local.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { log } from '../log.ts';

let db: Db | undefined;
try {
  // The same reader and rules as `npm start` (config.ts).
  const env = new EnvReader(process.env);
  const url = env.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = env.str('DATA_DIR', './.data');
  env.throwIfProblems();
  db = url ? openPostgres(url) : await openPglite(join(dataDir, 'pglite'));
  const applied = await migrate(db);
  log.info({ db: db.kind, applied: applied.length }, applied.length ? 'migrations applied' : 'database is up to date');
} catch (err) {
  log.error({ err: err instanceof Error ? err.message : String(err) }, 'migrate failed');
  process.exitCode = 1;
} finally {
  await db?.close();
}
