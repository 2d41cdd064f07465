import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../../src/main/persistence/pglite-local.ts';
import type { Db } from '../../../src/main/persistence/db.ts';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from '../../../src/main/persistence/migrate.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';

const dirs: string[] = [];
const tmp = (p: string): string => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
/** A database as initdb leaves it (helpers/pglite-template.ts): the migrations, not initdb, are this file's. */
async function freshDb(): Promise<Db> {
  const dir = join(tmp('mig-'), 'pg');
  await seedPglite(dir);
  return openPglite(dir);
}

describe('migrate (PGlite)', () => {
  it('applies every migration once, records it, and is a no-op the second time', async () => {
    const db: Db = await freshDb();
    try {
      const files = readMigrations();
      expect(files.map((f) => f.version)).toEqual(files.map((_, i) => i + 1));
      expect(await migrate(db)).toEqual(files.map((f) => f.name));
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
      const tables = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
      expect(tables.map((r) => r.t)).toEqual(expect.arrayContaining(['accounts', 'admin_audit', 'bans', 'mutes', 'characters', 'character_quests', 'quest_objectives', 'gold_ledger', 'inventory_items', 'item_instances', 'item_ledger', 'schema_migrations']));
    } finally {
      await db.close();
    }
  });

  it('stops at a failing migration with its file name and rolls it back', async () => {
    const dir = tmp('migdir-');
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const next = readMigrations().length + 1;
    const broken = `${String(next).padStart(3, '0')}_broken.sql`;
    writeFileSync(join(dir, broken), 'CREATE TABLE half_done (id int);\nALTER TABLE nowhere ADD COLUMN x int;\n');
    const db = await freshDb();
    try {
      const err = await migrate(db, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toContain(`${broken} failed: `);
      expect((err as Error).message).toContain('nowhere');
      const rows = await db.query<{ version: number }>('SELECT max(version) AS version FROM schema_migrations');
      expect(rows[0]!.version).toBe(next - 1);
      expect(await db.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('refuses a migration edited after it was applied, and badly named files', async () => {
    const dir = tmp('migdir-');
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const db = await freshDb();
    try {
      await migrate(db, dir);
      appendFileSync(join(dir, '002_characters.sql'), '\n-- edited\n');
      await expect(migrate(db, dir)).rejects.toThrow(/002_characters\.sql was edited/);
    } finally {
      await db.close();
    }
    writeFileSync(join(dir, '9_bad.sql'), '');
    expect(() => readMigrations(dir)).toThrow(/9_bad\.sql must be named NNN_lower_snake\.sql/);
  });
});
