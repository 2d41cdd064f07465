import { openPostgres } from '../../src/main/persistence/postgres.ts';
import { migrate } from '../../src/main/persistence/migrate.ts';
import { moderationSuite } from '../main/moderation/moderation.suite.ts';
import { startPostgres } from './services.ts';

// Real PostgreSQL, started here on loopback; missing binaries fail the suite with what to install.
moderationSuite('real PostgreSQL', async () => {
  const pgs = await startPostgres();
  const db = openPostgres(pgs.url);
  await migrate(db);
  return { db, dispose: () => pgs.dispose() };
});
