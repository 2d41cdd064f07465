/**
 * Two (here three) coordinators starting at once against one PostgreSQL:
 * the advisory lock makes one apply the migrations and the others find
 * nothing to do; no error, no double apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import { migrate, readMigrations } from '../../src/main/persistence/migrate.ts';
import { startPostgres, type PgServer } from './services.ts';

let pgs: PgServer | undefined;
beforeAll(async () => {
  pgs = await startPostgres();
});
afterAll(() => pgs?.dispose());

describe('migrate (real PostgreSQL)', () => {
  it('applies each migration exactly once when three processes race', async () => {
    if (!pgs) throw new Error('PostgreSQL did not start');
    const dbs = [0, 1, 2].map(() => openPostgres(pgs!.url));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      const names = readMigrations().map((f) => f.name);
      expect(applied.flat().sort()).toEqual([...names].sort());
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      const rows = await dbs[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]!.n).toBe(names.length);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
