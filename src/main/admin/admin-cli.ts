/**
 * `npm run admin -- grant NAME ROLE | revoke NAME | list`: operator roles
 * from the command line, against DATABASE_URL, or the embedded PGlite
 * database in DATA_DIR (default ./.data) when it is unset, as `npm start`
 * picks. Migrations are applied first. With the embedded database, run it
 * while the server is stopped: PGlite is one process's database.
 */
import { join } from 'node:path';
import { EnvReader } from '../env.ts';
import { log } from '../log.ts';
import { openPglite } from '../persistence/pglite-local.ts';
import { openPostgres } from '../persistence/postgres.ts';
import type { Db } from '../persistence/db.ts';
import { migrate } from '../persistence/migrate.ts';
import { runRolesCommand } from './roles-command.ts';

let db: Db | undefined;
try {
  const env = new EnvReader(process.env);
  const url = env.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = env.str('DATA_DIR', './.data');
  env.throwIfProblems();
  db = url ? openPostgres(url) : await openPglite(join(dataDir, 'pglite'));
  await migrate(db);
  const r = await runRolesCommand(db, process.argv.slice(2));
  (r.code === 0 ? process.stdout : process.stderr).write(`${r.out}\n`);
  process.exitCode = r.code;
} catch (err) {
  log.error({ err: err instanceof Error ? err.message : String(err) }, 'admin command failed');
  process.exitCode = 1;
} finally {
  await db?.close();
}
