/**
 * A fresh PGlite data folder without paying initdb each time. PGlite's first
 * start on an empty folder runs initdb inside the wasm Postgres: about 3 s
 * of CPU on CI, more on a loaded box, and many tests open a fresh database.
 * The folder it leaves (initdb only: none of our migrations, no rows) is
 * made once per PGlite version on this machine, closed cleanly, and copied
 * into each test's folder; opening the copy is what a restart of the
 * embedded server does. Tests about the very first start (initdb itself)
 * keep an empty folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openPglite } from '../../src/main/persistence/pglite-local.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const TEMPLATE = join(tmpdir(), `tessera-pglite-template-${VERSION}`);

let made: Promise<void> | undefined;

/** Makes the template once; concurrent test files race harmlessly (the first rename wins, the loser's copy is dropped). */
function template(): Promise<void> {
  made ??= (async () => {
    if (existsSync(TEMPLATE)) return;
    const work = mkdtempSync(`${TEMPLATE}.tmp-`);
    try {
      const db = await openPglite(join(work, 'pglite'));
      await db.close();
      try {
        renameSync(join(work, 'pglite'), TEMPLATE);
      } catch (err) {
        // Another test file made it first: use theirs.
        if (!existsSync(TEMPLATE)) throw err;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  })();
  return made;
}

/**
 * Fills `dir` (a PGlite data folder that does not exist yet, e.g.
 * `${DATA_DIR}/pglite`) with a copy of the initdb-only template.
 */
export async function seedPglite(dir: string): Promise<void> {
  if (existsSync(dir)) throw new Error(`seedPglite: ${dir} exists already`);
  await template();
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(TEMPLATE, dir, { recursive: true });
}
