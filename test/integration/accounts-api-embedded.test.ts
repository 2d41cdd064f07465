import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openPglite } from '../../src/main/persistence/pglite-local.ts';
import { openAccountsAndStorage } from '../helpers/accounts-storage.ts';
import { seedPglite } from '../helpers/pglite-template.ts';
import { accountsApiSuite } from './accounts-api.suite.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// The embedded default: PGlite in a data folder, sessions in process,
// checkpoints in a file. Each database starts from a copy of an initdb-only
// folder (helpers/pglite-template.ts): the suite opens many.
accountsApiSuite('embedded: PGlite, in-process sessions', () => ({
  async open(tuning) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-embedded-'));
    dirs.push(dataDir);
    await seedPglite(join(dataDir, 'pglite'));
    const db = await openPglite(join(dataDir, 'pglite'));
    const p = await openAccountsAndStorage({ dataDir, saveIntervalMs: 500, tuning }, db);
    return { p, db };
  },
}));
