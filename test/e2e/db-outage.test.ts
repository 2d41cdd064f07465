import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHello } from '../../src/protocol/encode.ts';
import { CloseCode } from '../../src/protocol/errors.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { TestClient } from '../helpers/client.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from '../integration/services.ts';
import { api, newPlayer, walkTo } from './account-play.suite.ts';

/**
 * PostgreSQL goes away for 10 s under a running server: players keep
 * playing and log out, a login over the gate gets "try again" at once, and
 * once the database is back every save lands.
 */
describe('a database outage under a running server', () => {
  let pg: PgServer;
  let redis: RedisServer;
  let server: ServerProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-outage-'));
  beforeAll(async () => {
    pg = await startPostgres();
    redis = await startRedis();
    server = await startServerProcess({
      // A generated meadow (not the default world): the test walks to fixed spots.
      ZONE_NAME: 'meadow',
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      SAVE_INTERVAL_MS: '500',
      PG_CONNECT_TIMEOUT_MS: '1000',
    });
  }, 120_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await redis?.dispose();
    pg?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('queues saves while PostgreSQL is down and lands them when it returns; gate logins get try-again', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const players = await Promise.all(['ana', 'ben', 'cid'].map((n) => newPlayer(base, n)));
    const clients = await Promise.all(players.map((p) => TestClient.connect(server.url, p.token, AuthKind.TOKEN, p.characterId)));
    const spots: [number, number][] = [[110, 120], [120, 110], [135, 140]];

    pg.stop();
    const downAt = Date.now();
    // Players keep moving and log out while the database is gone.
    await Promise.all(clients.map((c, i) => walkTo(c, spots[i][0], spots[i][1])));
    for (const c of clients) c.close();
    await Promise.all(clients.map((c) => c.waitClosed()));

    // Entering the world needs the database: a clear "try again", not a hang.
    const fresh = await newSessionDuringOutage(base, players[0]);
    const t0 = Date.now();
    const probe = new TestClient(server.url);
    await probe.opened();
    probe.ws.send(encodeHello(fresh ?? players[0].token, players[0].characterId, AuthKind.TOKEN));
    expect(await probe.waitClosed(8000)).toBe(CloseCode.TRY_AGAIN_LATER);
    expect(Date.now() - t0).toBeLessThan(6000);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(Number(/tessera_save_queue_depth (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);

    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - downAt))));
    pg.start();

    // Every save lands: each character logs in where it logged out.
    for (let i = 0; i < players.length; i++) {
      let token: string | undefined;
      for (let tries = 0; tries < 50 && !token; tries++) {
        const r = await api(base, 'POST', '/api/sessions', { username: players[i].username, password: players[i].password });
        if (r.status === 201) token = r.json.token;
        else await new Promise((res) => setTimeout(res, 200));
      }
      expect(token, 'login after the outage').toBeDefined();
      const c = await TestClient.connect(server.url, token!, AuthKind.TOKEN, players[i].characterId);
      await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'snapshot');
      const at = c.positionOf(c.me)!;
      expect(Math.abs(at.x - spots[i][0])).toBeLessThan(0.1);
      expect(Math.abs(at.y - spots[i][1])).toBeLessThan(0.1);
      c.close();
    }
    await waitFor(async () => Number(/tessera_save_queue_depth (\d+)/.exec(await (await fetch(`${base}/metrics`)).text())?.[1]) === 0);
  }, 90_000);
});

/** A session made during the outage, if the session store (Redis) still takes one; the API's own answer otherwise. */
async function newSessionDuringOutage(base: string, p: { username: string; password: string }): Promise<string | undefined> {
  const r = await api(base, 'POST', '/api/sessions', p);
  expect([201, 503]).toContain(r.status);
  return r.status === 201 ? r.json.token : undefined;
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
