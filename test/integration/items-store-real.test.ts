import { afterAll, beforeAll } from 'vitest';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { migrate } from '../../src/main/persistence/migrate.ts';
import { itemStoreSuite } from './items-store.suite.ts';
import { startPostgres, type PgServer } from './services.ts';

// Real PostgreSQL on loopback; missing binaries make beforeAll throw with what to install.
let pgs: PgServer | undefined;
let db: Db | undefined;
beforeAll(async () => {
  pgs = await startPostgres();
  db = openPostgres(pgs.url);
  await migrate(db);
}, 120_000);
afterAll(async () => {
  await db?.close();
  pgs?.dispose();
});

itemStoreSuite('real PostgreSQL', async () => ({ db: db! }));
