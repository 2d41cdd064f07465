/**
 * No secret reaches the log (issue 13): a whole server process on real
 * PostgreSQL and Redis, logging at `debug`, through a full run of what
 * touches secrets: registering, logging in (and a wrong password), entering
 * the world with the session token, dropping the connection and resuming
 * with the resume token, a refused resume and a refused token, changing the
 * password, logging in with the new one, logging out. Then every line the
 * process printed is searched for each password, session token, resume
 * token and stored password hash (whole, and their distinctive parts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from '../../src/bots/soak/services.ts';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import { encodeResume } from '../../src/protocol/encode.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { TestClient } from '../helpers/client.ts';
import { api } from './account-play.suite.ts';

describe('the log of a full run', () => {
  let pg: PgServer | undefined;
  let redis: RedisServer | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    pg?.dispose();
    await redis?.dispose();
  });

  it('holds no password, token, resume token or password hash', async () => {
    pg = await startPostgres();
    redis = await startRedis();
    const lines: string[] = [];
    server = await startServer(
      { DATABASE_URL: pg.url, REDIS_URL: redis.url, ALLOW_GUESTS: '0', LOG_LEVEL: 'debug', SCRYPT_LOG2N: '12', ZONES: 'meadow:64x64:1x1:10', SPAWN: 'meadow:32:32' },
      { timeoutMs: 240_000, onLine: (l) => lines.push(l) },
    );
    const base = server.url;
    const play = `ws://127.0.0.1:${server.port}/play`;
    const secrets: string[] = [];
    const username = `secretive${Date.now() % 1e6}`;
    const password = 'Tr0ub4dor&3-first-password';
    const newPassword = 'correct horse battery staple, second';
    const wrong = 'not-the-password-at-all-123';
    secrets.push(password, newPassword, wrong);

    expect((await api(base, 'POST', '/api/accounts', { username, password })).status).toBe(201);
    expect((await api(base, 'POST', '/api/sessions', { username, password: wrong })).status).toBe(401);
    const s1 = await api(base, 'POST', '/api/sessions', { username, password });
    expect(s1.status).toBe(201);
    const token1: string = s1.json.token;
    secrets.push(token1);
    const made = await api(base, 'POST', '/api/characters', { name: 'Hushhush', classId: 1 }, token1);
    expect(made.status).toBe(201);
    const characterId: number = made.json.character.id;

    // In the world with the session token; the connection drops; resumed with the resume token.
    const first = await TestClient.connect(play, token1, AuthKind.TOKEN, characterId);
    await first.until(() => first.resumeToken !== undefined && first.snapshots.length > 2, 10_000, 'a resume token');
    const resume1 = first.resumeToken!;
    secrets.push(resume1);
    first.ws.terminate();
    const resumed = await TestClient.resume(play, resume1);
    await resumed.until(() => resumed.resumeToken !== undefined && resumed.resumeToken !== resume1, 10_000, 'a new resume token');
    secrets.push(resumed.resumeToken!);
    // A resume token used twice and a made-up session token are refused (and logged as refusals).
    const again = new TestClient(play);
    await again.opened();
    again.ws.send(encodeResume(resume1));
    await again.waitClosed(10_000);
    const forged = `${token1.slice(0, -4)}AAAA`;
    secrets.push(forged);
    await expect(TestClient.connect(play, forged, AuthKind.TOKEN, characterId)).rejects.toThrow('handshake refused');

    // A password change revokes the sessions (the player is closed) and hands out a new token.
    const changed = await api(base, 'PUT', '/api/account/password', { currentPassword: password, newPassword }, token1);
    expect(changed.status).toBe(200);
    secrets.push(changed.json.token);
    await resumed.waitClosed(10_000);
    const s2 = await api(base, 'POST', '/api/sessions', { username, password: newPassword });
    expect(s2.status).toBe(201);
    secrets.push(s2.json.token);
    const second = await TestClient.connect(play, s2.json.token, AuthKind.TOKEN, characterId);
    await second.until(() => second.snapshots.length > 2, 10_000, 'snapshots');
    second.close();
    await second.waitClosed(10_000);
    expect((await api(base, 'DELETE', '/api/sessions', undefined, s2.json.token)).status).toBeLessThan(300);

    const db = openPostgres(pg.url);
    const hashes = (await db.query<{ h: string }>('SELECT password_hash AS h FROM accounts')).map((r) => r.h);
    await db.close();
    expect(hashes.length).toBeGreaterThan(0);
    secrets.push(...hashes);
    // The distinctive parts of each hash too (salt, digest), in case a line carries a piece.
    for (const h of hashes) secrets.push(...h.split(/[$:.]/).filter((part) => part.length >= 16));

    expect(await server.stop()).toBe(0);
    const log = lines.join('\n');
    // The run did log what happened (so an empty log cannot pass).
    expect(log).toContain('player entered');
    expect(lines.length).toBeGreaterThan(20);
    const leaked = secrets.filter((s) => log.includes(s));
    expect(leaked.map((s) => `${s.slice(0, 6)}… (${s.length} chars)`)).toEqual([]);
  }, 300_000);
});
