/**
 * `npm run audit:items`: audits the items of DATABASE_URL, or of the embedded
 * PGlite database in DATA_DIR (default ./.data; only while no server has it
 * open), against the item templates of the compiled content
 * (CONTENT_BUILD_DIR). Prints the counts; exits 1 naming every problem found
 * (at most 50), 2 when it could not run.
 */
import { join } from 'node:path';
import { loadWorld } from '../../content/load-world.ts';
import { EnvReader } from '../env.ts';
import { openPglite } from '../persistence/pglite-local.ts';
import { openPostgres } from '../persistence/postgres.ts';
import type { Db } from '../persistence/db.ts';
import { auditItems } from './audit.ts';
import { ItemCatalogue } from './catalogue.ts';

let db: Db | undefined;
try {
  const env = new EnvReader(process.env);
  const url = env.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = env.str('DATA_DIR', './.data');
  const buildDir = env.str('CONTENT_BUILD_DIR', './build/content');
  env.throwIfProblems();
  const catalogue = new ItemCatalogue(loadWorld(buildDir).catalogue.items);
  db = url ? openPostgres(url) : await openPglite(join(dataDir, 'pglite'));
  const report = await db.tx((q) => auditItems(q, catalogue));
  const summary = `${report.items} items, ${report.ledgerRows} ledger rows, ${report.characters} characters`;
  if (report.problems.length === 0) {
    process.stdout.write(`audit:items OK: ${summary}\n`);
  } else {
    process.stdout.write(`audit:items FAILED: ${summary}, ${report.problems.length} problem(s):\n${report.problems.map((p) => `  ${p}\n`).join('')}`);
    process.exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`audit:items could not run: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
} finally {
  await db?.close();
}
