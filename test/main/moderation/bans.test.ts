import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '../../../src/main/persistence/pglite-local.ts';
import { migrate } from '../../../src/main/persistence/migrate.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';
import { moderationSuite } from './moderation.suite.ts';

moderationSuite('embedded PGlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bans-'));
  // From the initdb-only template (helpers/pglite-template.ts): no initdb per file.
  await seedPglite(join(dir, 'pglite'));
  const db = await openPglite(join(dir, 'pglite'));
  await migrate(db);
  return { db, dispose: () => rmSync(dir, { recursive: true, force: true }) };
});
