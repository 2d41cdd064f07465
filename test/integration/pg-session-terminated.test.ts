/**
 * A session's client (a transaction in progress) whose backend is killed
 * between two statements, as a PostgreSQL restart or an administrator's
 * pg_terminate_backend does: the 'error' the client emits must not crash
 * the process (an unhandled 'error' event did, in the 30-minute soak); the
 * session fails, and the next one works on a fresh connection. Real
 * PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { startPostgres, type PgServer } from './services.ts';

describe('a PostgreSQL session whose backend is terminated between statements', () => {
  let pg: PgServer;
  let db: Db;
  beforeAll(async () => {
    pg = await startPostgres();
    db = openPostgres(pg.url);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    pg?.dispose();
  });

  it('fails that session without an unhandled error, and the next session works', async () => {
    const other = openPostgres(pg.url, undefined, 1);
    let killedError: unknown;
    try {
      await db.tx(async (q) => {
        const [{ pid }] = await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Killed from another connection while this one sits idle in its transaction.
        await other.query('SELECT pg_terminate_backend($1)', [pid]);
        // Let the FATAL message arrive and the client emit 'error' before the next statement.
        await new Promise((r) => setTimeout(r, 200));
        await q.query('SELECT 1');
      });
    } catch (err) {
      killedError = err;
    } finally {
      await other.close();
    }
    expect(killedError).toBeInstanceOf(Error);
    const rows = await db.session((q) => q.query<{ one: number }>('SELECT 1 AS one'));
    expect(rows).toEqual([{ one: 1 }]);
  }, 60_000);
});
