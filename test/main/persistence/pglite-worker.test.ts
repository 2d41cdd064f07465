/**
 * PGlite on its worker thread, through the Db interface the rest of
 * persistence uses: statements with parameters, transactions that commit or
 * roll back, errors with their SQLSTATE, one connection's order (a
 * statement sent while a transaction runs waits for it), and reopening the
 * same folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/main/persistence/db.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../../src/main/persistence/errors.ts';
import { openPgliteWorker } from '../../../src/main/persistence/pglite-worker.ts';

describe('PGlite on a worker thread', () => {
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pglite-worker-'));
    db = await openPgliteWorker(join(dir, 'pg'));
    await db.exec('CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL, at timestamptz DEFAULT now())');
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs statements with parameters and returns typed rows', async () => {
    await db.query('INSERT INTO t (id, name) VALUES ($1, $2), ($3, $4)', [1, 'ann', 2, 'bo']);
    const rows = await db.query<{ id: number; name: string; at: Date }>('SELECT id, name, at FROM t ORDER BY id');
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      [1, 'ann'],
      [2, 'bo'],
    ]);
    expect(rows[0].at).toBeInstanceOf(Date);
  });

  it('commits a transaction, rolls one back when it throws, and keeps the SQLSTATE of an error', async () => {
    await db.tx(async (q) => {
      await q.query('INSERT INTO t (id, name) VALUES (10, $1)', ['committed']);
    });
    const err = await db
      .tx(async (q) => {
        await q.query('INSERT INTO t (id, name) VALUES (11, $1)', ['rolled back']);
        await q.query('INSERT INTO t (id, name) VALUES (10, $1)', ['duplicate']);
      })
      .catch((e: unknown) => e);
    expect(sqlState(err)).toBe(UNIQUE_VIOLATION);
    expect((err as Error).message).toMatch(/duplicate key/);
    const ids = (await db.query<{ id: number }>('SELECT id FROM t WHERE id >= 10 ORDER BY id')).map((r) => r.id);
    expect(ids).toEqual([10]);
  });

  it('is one connection: a statement sent during a transaction runs after it, seeing its work', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const tx = db.tx(async (q) => {
      await q.query('INSERT INTO t (id, name) VALUES (20, $1)', ['inside']);
      order.push('tx wrote');
      await held;
      order.push('tx done');
    });
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = 20').then((r) => {
      order.push('outside read');
      return r[0].n;
    });
    // The outside statement cannot run while the transaction holds the connection.
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['tx wrote']);
    release();
    await tx;
    expect(await outside).toBe(1);
    expect(order).toEqual(['tx wrote', 'tx done', 'outside read']);
  });

  it('reopens the folder with its data', async () => {
    await db.close();
    db = await openPgliteWorker(join(dir, 'pg'));
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0].n).toBeGreaterThanOrEqual(3);
  });

  it('fails to open where no folder can be made, saying why', async () => {
    await expect(openPgliteWorker('/dev/null/pg')).rejects.toThrow(/ENOTDIR|dev\/null/);
  });
});
