import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import { openAccountsAndStorage } from '../helpers/accounts-storage.ts';
import { accountsApiSuite } from './accounts-api.suite.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from './services.ts';

// Real PostgreSQL and Redis, started here on loopback. Missing binaries make
// beforeAll throw, so the suite fails with what to install.
let pgs: PgServer | undefined;
let rds: RedisServer | undefined;
const dirs: string[] = [];
let n = 0;

beforeAll(async () => {
  pgs = await startPostgres();
  rds = await startRedis();
});
afterAll(async () => {
  pgs?.dispose();
  await rds?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

accountsApiSuite('real PostgreSQL + Redis', () => ({
  async open(tuning) {
    if (!pgs || !rds) throw new Error('PostgreSQL/Redis did not start (see beforeAll)');
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-real-'));
    dirs.push(dataDir);
    const db = openPostgres(pgs.url);
    // Each instance its own key prefix, so limits and sessions of one test do not leak into another.
    const p = await openAccountsAndStorage(
      { databaseUrl: pgs.url, redisUrl: rds.url, dataDir, saveIntervalMs: 500, tuning: { ...tuning, redisPrefix: `t${n++}:` } },
      db,
    );
    return { p, db };
  },
}));
