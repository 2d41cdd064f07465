import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/main/persistence/db.ts';
import { openPgliteWorker } from '../../src/main/persistence/pglite-worker.ts';
import { migrate } from '../../src/main/persistence/migrate.ts';
import { seedPglite } from '../helpers/pglite-template.ts';
import { itemStoreSuite } from './items-store.suite.ts';

// The embedded default: PGlite in a data folder, one for the whole file.
let dir = '';
let db: Db | undefined;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-items-'));
  // From the initdb-only template (helpers/pglite-template.ts): no initdb per file.
  await seedPglite(join(dir, 'pglite'));
  db = await openPgliteWorker(join(dir, 'pglite'));
  await migrate(db);
}, 180_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

itemStoreSuite('PGlite', async () => ({ db: db! }));
