import { startPostgres, startRedis } from '../integration/services.ts';
import { accountPlaySuite } from './account-play.suite.ts';

// Real PostgreSQL and Redis servers on loopback with throwaway data.
accountPlaySuite('PostgreSQL + Redis', async () => {
  const pg = await startPostgres();
  const redis = await startRedis();
  return {
    env: { DATABASE_URL: pg.url, REDIS_URL: redis.url },
    async dispose() {
      await redis.dispose();
      pg.dispose();
    },
  };
});
