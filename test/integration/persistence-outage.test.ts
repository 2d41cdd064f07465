/**
 * Database outage: PostgreSQL is stopped for 10 s while players move and log
 * out. Saves queue and retry; logins and world entries during the outage get
 * a quick "try again" (503 / UnavailableError), not a hang; when PostgreSQL
 * returns every save lands.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { UnavailableError } from '../../src/main/persistence/errors.ts';
import { openAccountsAndStorage, type AccountsAndStorage } from '../helpers/accounts-storage.ts';
import { TEST_TUNING, letters, uniqueName, until } from './accounts-api.suite.ts';
import { serve, type Client } from './http-client.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from './services.ts';

let pgs: PgServer | undefined;
let rds: RedisServer | undefined;
let dataDir = '';

beforeAll(async () => {
  pgs = await startPostgres();
  rds = await startRedis();
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-outage-'));
});
afterAll(async () => {
  pgs?.dispose();
  await rds?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('persistence during a PostgreSQL outage (real PostgreSQL + Redis)', () => {
  it('queues saves while PostgreSQL is down, lands them all after, and refuses logins quickly', { timeout: 120_000 }, async () => {
    if (!pgs || !rds) throw new Error('PostgreSQL/Redis did not start');
    const db: Db = openPostgres(pgs.url, { connectMs: 1000, statementMs: 3000 });
    const p: AccountsAndStorage = await openAccountsAndStorage(
      { databaseUrl: pgs.url, redisUrl: rds.url, dataDir, saveIntervalMs: 300, checkpointIntervalMs: 500, tuning: { ...TEST_TUNING, redisPrefix: 'outage:' } },
      db,
    );
    const c: Client = await serve(p);
    try {
      const username = uniqueName();
      await c.call('POST', '/api/accounts', { username, password: 'password123' });
      const token = (await c.call('POST', '/api/sessions', { username, password: 'password123' })).json.token;
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) ids.push((await c.call('POST', '/api/characters', { name: letters(), classId: 1 }, token)).json.character.id);
      for (const id of ids) await p.enterWorld(token, id);

      const last = new Map<number, { zone: string; x: number; y: number; hp: number }>();
      const move = (id: number, step: number): { zone: string; x: number; y: number; hp: number } => {
        const s = { zone: 'meadow', x: 100 + step + id / 10, y: 50 + step / 2, hp: 100 - (step % 50) };
        last.set(id, s);
        return s;
      };

      pgs.stop();
      const t0 = Date.now();
      const loginReplies: { status: number; code: string; ms: number; retryAfter: unknown }[] = [];
      const entryErrors: { err: unknown; ms: number }[] = [];
      let step = 0;
      // Bounded: 10 s of play at 4 updates a second.
      while (Date.now() - t0 < 10_000) {
        step++;
        for (const [i, id] of ids.entries()) {
          // The first half log out mid-outage; the rest keep moving.
          if (i < 3 && step > 20) continue;
          if (i < 3 && step === 20) p.leaveWorld(id, move(id, step));
          else p.updateState(id, move(id, step));
        }
        if (step === 8 || step === 28) {
          const r = await c.call('POST', '/api/sessions', { username, password: 'password123' });
          loginReplies.push({ status: r.status, code: r.json?.error?.code, ms: r.ms, retryAfter: r.headers['retry-after'] });
          const t = Date.now();
          const err = await p.enterWorld(token, ids[0]!).then(() => undefined, (e: unknown) => e);
          entryErrors.push({ err, ms: Date.now() - t });
        }
        await sleep(250);
      }
      for (const id of ids.slice(3)) p.leaveWorld(id, move(id, step + 1));
      const during = p.stats();
      expect(during.saveFailures).toBeGreaterThan(0);
      expect(during.saveQueueDepth).toBe(6);

      expect(loginReplies).toHaveLength(2);
      for (const r of loginReplies) {
        expect(r.status).toBe(503);
        expect(r.code).toBe('unavailable');
        expect(r.retryAfter).toBeDefined();
        expect(r.ms).toBeLessThan(3000);
      }
      for (const e of entryErrors) {
        expect(e.err).toBeInstanceOf(UnavailableError);
        expect(e.ms).toBeLessThan(3000);
      }

      pgs.start();
      await until(() => p.stats().saveQueueDepth === 0, 30_000);
      const rows = await db.query<{ id: number; zone: string; x: number; y: number; hp: number }>(
        'SELECT id, zone, x, y, hp FROM characters WHERE id = ANY($1::int[]) ORDER BY id',
        [ids],
      );
      expect(rows).toEqual(ids.map((id) => ({ id, ...last.get(id)! })));
      expect(p.stats().savesTotal).toBeGreaterThanOrEqual(6);

      // Service is back: logins work again.
      expect((await c.call('POST', '/api/sessions', { username, password: 'password123' })).status).toBe(201);
    } finally {
      await c.close();
      await p.close();
    }
  });
});
