/**
 * Redis stopped and restarted under load (real redis-server, killed: it has
 * no persistence, so it comes back empty; real PostgreSQL). While it is down
 * sessions, login limits and checkpoints run in process (checkpoints in a
 * file): players logged in before go on entering the world, new logins
 * work, a logout holds, and every state the characters reported is kept.
 * When Redis returns they are written back (sessions, revocations,
 * checkpoints) and Redis is used again; nothing acknowledged is lost.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/main/accounts/accounts.ts';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import { openAccountsAndStorage } from '../helpers/accounts-storage.ts';
import { TEST_TUNING, letters, uniqueName, until } from './accounts-api.suite.ts';
import { serve } from './http-client.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from './services.ts';

let pgs: PgServer | undefined;
let rds: RedisServer | undefined;
let dataDir = '';

beforeAll(async () => {
  pgs = await startPostgres();
  rds = await startRedis();
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-redis-outage-'));
});
afterAll(async () => {
  pgs?.dispose();
  await rds?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const PREFIX = 'rout:';
const sessionKey = (token: string): string => `${PREFIX}sess:${createHash('sha256').update(token).digest('base64url')}`;

describe('Redis stopped and restarted under load (real Redis + PostgreSQL)', () => {
  it('degrades sessions, limits and checkpoints to in-process, then writes them back; nothing acknowledged is lost', { timeout: 180_000 }, async () => {
    if (!pgs || !rds) throw new Error('PostgreSQL/Redis did not start');
    const db = openPostgres(pgs.url);
    const p = await openAccountsAndStorage(
      { databaseUrl: pgs.url, redisUrl: rds.url, dataDir, saveIntervalMs: 60_000, checkpointIntervalMs: 100, tuning: { ...TEST_TUNING, redisPrefix: PREFIX } },
      db,
    );
    const c = await serve(p);
    const look = new Redis(rds.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    look.on('error', () => {});
    let playing = true;
    let load: Promise<void> | undefined;
    try {
      const username = uniqueName();
      const password = 'password123';
      await c.call('POST', '/api/accounts', { username, password });
      const before: string = (await c.call('POST', '/api/sessions', { username, password })).json.token;
      const doomed: string = (await c.call('POST', '/api/sessions', { username, password })).json.token;
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push((await c.call('POST', '/api/characters', { name: letters(), classId: 1 }, before)).json.character.id);
      for (const id of ids) await p.enterWorld(before, id);

      // The load: every character reports its state every 20 ms, as the gate does for players (each report acknowledged to its client).
      const last = new Map<number, { zone: string; x: number; y: number; hp: number }>();
      let step = 0;
      load = (async () => {
        while (playing) {
          step++;
          for (const id of ids) {
            const s = { zone: 'meadow', x: 10 + (step % 500) / 10, y: 20 + id / 10, hp: 100 - (step % 60) };
            p.updateState(id, s);
            last.set(id, s);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await until(() => step > 10);

      await rds.stop();
      // The first failing Redis calls put each part in process.
      await c.call('GET', '/api/characters', undefined, before);
      await until(() => p.stats().redis?.degraded.checkpoints === 1 && p.stats().redis?.degraded.sessions === 1, 20_000);

      // During the outage: the session from before still enters the world and reads the API; a new login works; a logout holds.
      expect((await p.enterWorld(before, ids[0]!)).characterId).toBe(ids[0]);
      expect((await c.call('GET', '/api/characters', undefined, before)).status).toBe(200);
      const during = await c.call('POST', '/api/sessions', { username, password });
      expect(during.status).toBe(201);
      const fresh: string = during.json.token;
      expect((await c.call('GET', '/api/characters', undefined, fresh)).status).toBe(200);
      expect((await c.call('DELETE', '/api/sessions', undefined, doomed)).status).toBe(204);
      expect((await c.call('GET', '/api/characters', undefined, doomed)).status).toBe(401);
      expect(p.stats().redis?.degraded.limits).toBe(1);
      // Checkpoints go on (to the fallback file): a character loads at its newest state, not the row's.
      const stepAtLoad = step;
      await until(() => step > stepAtLoad + 10);
      const loaded = await p.enterWorld(fresh, ids[1]!);
      expect(loaded.x).toBeGreaterThan(10);

      // Redis comes back, empty.
      await rds.start();
      await until(() => {
        const r = p.stats().redis!;
        return r.degraded.sessions + r.degraded.checkpoints + r.degraded.limits === 0;
      }, 30_000);
      expect(p.stats().redis!.fallbacks).toMatchObject({ sessions: 1, checkpoints: 1, limits: 1 });
      await look.connect();
      // Sessions written back: the one from before and the one made during the outage; the logout stayed a logout.
      expect(await look.get(sessionKey(before))).not.toBeNull();
      expect(await look.get(sessionKey(fresh))).not.toBeNull();
      expect(await look.get(sessionKey(doomed))).toBeNull();
      expect((await c.call('GET', '/api/characters', undefined, before)).status).toBe(200);
      expect((await c.call('GET', '/api/characters', undefined, fresh)).status).toBe(200);
      await expect(p.enterWorld(doomed, ids[0]!)).rejects.toBeInstanceOf(AuthError);
      // Checkpoints are in Redis again, newest first.
      await until(async () => (await look.exists(...ids.map((id) => `${PREFIX}ckpt:${id}`))) === ids.length, 10_000);

      // Everyone logs out: every last acknowledged state lands in the database.
      playing = false;
      await load;
      for (const id of ids) p.leaveWorld(id, last.get(id)!);
      await until(() => p.stats().saveQueueDepth === 0, 20_000);
      const rows = await db.query<{ id: number; zone: string; x: number; y: number; hp: number }>('SELECT id, zone, x, y, hp FROM characters WHERE id = ANY($1::int[]) ORDER BY id', [ids]);
      expect(rows).toEqual(ids.map((id) => ({ id, ...last.get(id)! })));
      // A login goes through Redis again.
      expect((await c.call('POST', '/api/sessions', { username, password })).status).toBe(201);
    } finally {
      playing = false;
      await load;
      look.disconnect();
      await c.close();
      await p.close();
    }
  });
});
