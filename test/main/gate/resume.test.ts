/**
 * Reconnect and resume end to end: a whole server in this process, real
 * WebSocket clients whose sockets are cut abruptly (terminate: no close
 * frame, as when the network goes). The resume grace runs on a clock the
 * test drives, so "within the grace" and "after it" are decided by the test,
 * never by timing; every other wait is a bounded poll on what the server or
 * the clients see.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gateWorld } from '../../../src/main/accounts/gate-world.ts';
import { PromGateMetrics } from '../../../src/main/metrics/gate.ts';
import { openPglite } from '../../../src/main/persistence/pglite-local.ts';
import type { Db } from '../../../src/main/persistence/db.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';
import type { ZoneLaunch } from '../../../src/main/zones/supervisor.ts';
import { encodeHello, encodeResume } from '../../../src/protocol/encode.ts';
import { CloseCode } from '../../../src/protocol/errors.ts';
import { AuthKind } from '../../../src/protocol/opcodes.ts';
import type { ZoneSpec } from '../../../src/shared/zone-memory.ts';
import { openAccountsAndStorage, type AccountsAndStorage } from '../../helpers/accounts-storage.ts';
import { TestClient } from '../../helpers/client.ts';
import { startTestServer } from '../../helpers/server.ts';
import { ManualClock } from '../../helpers/gate-harness.ts';
import { fieldPack, portal } from '../../helpers/zone-maps.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const ENTRY = { name: 'entry', x: 11, y: 21 };

function spec(over: Partial<ZoneSpec> & Pick<ZoneSpec, 'id' | 'name' | 'width' | 'height'>): ZoneSpec {
  return { aoiTile: 16, cellCols: 1, cellRows: 1, capacity: 256, tickHz: 20, ...over };
}

/** meadow (64 × 64, two cells) with a portal into crypt (48 × 48). */
function zones(): ZoneLaunch[] {
  return [
    {
      spec: spec({ id: 1, name: 'meadow', width: 64, height: 64, cellCols: 2 }),
      map: fieldPack('meadow', { width: 64, height: 64, portals: [portal('to-crypt', 50, 30, 2, 2, 'crypt', 'entry')] }),
      cell: { playerSpeed: 20 },
    },
    {
      spec: spec({ id: 2, name: 'crypt', width: 48, height: 48 }),
      map: fieldPack('crypt', { width: 48, height: 48, points: [ENTRY] }),
      cell: { playerSpeed: 20, wanderers: 0 },
    },
  ];
}

function near(p: { x: number; y: number } | undefined, x: number, y: number, within = 0.5): boolean {
  return p !== undefined && Math.abs(p.x - x) < within && Math.abs(p.y - y) < within;
}

/** Cuts the client's socket with no close frame, and waits until the gate holds its character for a resume. */
async function drop(server: Server, c: TestClient, detached = server.gate.resumes.detached + 1): Promise<void> {
  c.ws.terminate();
  await c.until(() => server.gate.resumes.detached === detached, 5000, 'the gate to see the drop');
}

/** Sends RESUME with `token` on a new socket and returns the close code it is refused with. */
async function refusedResume(url: string, token: string): Promise<number> {
  const c = new TestClient(url);
  await c.opened();
  c.ws.send(encodeResume(token));
  return c.waitClosed();
}

describe('reconnect and resume', () => {
  let server: Server | undefined;
  let store: AccountsAndStorage | undefined;
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
    await store?.close();
    store = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}, o: { world?: AccountsAndStorage } = {}) {
    const clock = new ManualClock();
    const metrics = new PromGateMetrics();
    const w = o.world;
    server = await startTestServer(
      { SPAWN_SPREAD: '0', ...env },
      { zones: zones(), resumeClock: clock, gateMetrics: metrics, ...(w ? { world: gateWorld(w.accounts, w.storage), handlers: [(req, res) => w.handleHttp(req, res)] } : {}) },
    );
    return { server, clock, metrics };
  }

  async function connect(name: string): Promise<TestClient> {
    const c = await TestClient.connect(server!.url, name);
    clients.push(c);
    return c;
  }

  /** Accounts and storage on embedded PGlite (as main.ts composes them), for start({ world }). */
  async function withAccount(): Promise<{ db: Db }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-resume-'));
    dirs.push(dataDir);
    await seedPglite(join(dataDir, 'pglite')); // initdb-only template (helpers/pglite-template.ts)
    const db = await openPglite(join(dataDir, 'pglite'));
    store = await openAccountsAndStorage(
      {
        dataDir,
        saveIntervalMs: 60_000,
        tuning: { scryptLog2N: 10, hashThreads: 1, spawn: { zone: 'meadow', x: 20, y: 20, hp: 100 } },
        // As main.ts wires it.
        onSessionsRevoked: (_account, ids) => {
          for (const id of ids) server?.gate.closeCharacter(id, CloseCode.SESSION_REVOKED, 'logged out everywhere');
        },
      },
      db,
    );
    return { db };
  }

  /** One account with one character, through the API: its session token and the character's id. */
  async function account(db: Db) {
    const base = `http://127.0.0.1:${server!.port}/api`;
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    expect((await post('/accounts', { username: 'roamer', password: 'password123' })).status).toBe(201);
    const token: string = (await post('/sessions', { username: 'roamer', password: 'password123' })).json.token;
    const made = await post('/characters', { name: 'Roamer', classId: 1 }, token);
    expect(made.status).toBe(201);
    const id: number = made.json.character.id;
    return { db, token, id, post };
  }

  it('a dropped guest resumes within the grace: same entity, same place and health, a full snapshot, a new token; the old one is spent', async () => {
    const { server, clock, metrics } = await start();
    const watcher = await connect('watcher');
    const walker = await connect('walker');
    expect(walker.resumeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(walker.graceMs).toBe(30_000);
    walker.moveTo(40, 40);
    await walker.until(() => near(walker.positionOf(walker.me), 40, 40, 0.1), 5000, 'walker at 40, 40');
    const entity = walker.me;
    const hp = walker.hpOf(entity);
    const token = walker.resumeToken!;

    await drop(server, walker);
    expect(clock.pending).toBe(1);
    // The character stays in the world: the watcher goes on seeing it where it stood.
    const seen = watcher.snapshots.length;
    await watcher.until(() => watcher.snapshots.length >= seen + 10, 5000, 'half a second of snapshots');
    expect(near(watcher.positionOf(entity), 40, 40, 0.1)).toBe(true);
    expect(server.gate.playerCount).toBe(2);

    const back = await TestClient.resume(server.url, token);
    clients.push(back);
    expect(back.me).toBe(entity);
    expect(back.welcome!.zoneId).toBe(1);
    expect(back.resumeToken).toBeDefined();
    expect(back.resumeToken).not.toBe(token);
    await back.until(() => back.snapshots.length > 0, 5000, 'a snapshot');
    expect(back.snapshots[0].baseTick).toBe(0);
    expect(back.snapshots[0].ids).toContain(entity);
    expect(near(back.positionOf(entity), 40, 40, 0.1)).toBe(true);
    expect(back.hpOf(entity)).toBe(hp);
    expect(server.gate.resumes.detached).toBe(0);
    expect(clock.pending).toBe(0);
    expect(metrics.resumes.get('dropped')).toBe(1);
    expect(metrics.resumes.get('resumed')).toBe(1);

    // It plays on: its inputs count again though their seqs start afresh.
    back.moveTo(30, 30);
    await back.until(() => near(back.positionOf(entity), 30, 30), 5000, 'walked on after the resume');
    await watcher.until(() => near(watcher.positionOf(entity), 30, 30), 5000, 'the watcher sees it walk');

    // The spent token, and one that never was, are refused with 4030.
    expect(await refusedResume(server.url, token)).toBe(CloseCode.RESUME_REFUSED);
    expect(await refusedResume(server.url, 'x'.repeat(43))).toBe(CloseCode.RESUME_REFUSED);
    expect(metrics.resumes.get('refused')).toBe(2);
    expect(metrics.handshakes.get('resume_refused')).toBe(2);
    expect(back.closeCode).toBeUndefined();
  });

  it('after the grace the character leaves (saved) and its token is refused; the account logs in afresh from the saved state', { timeout: 180_000 }, async () => {
    const { db } = await withAccount();
    const { server, clock, metrics } = await start({ ALLOW_GUESTS: '0' }, { world: store });
    const { token, id } = await account(db);
    const c = await TestClient.connect(server.url, token, AuthKind.TOKEN, id);
    clients.push(c);
    c.moveTo(33, 25);
    await c.until(() => near(c.positionOf(c.me), 33, 25, 0.1), 5000, 'at 33, 25');
    const resumeToken = c.resumeToken!;
    await drop(server, c);

    clock.elapse();
    await c.until(() => server.gate.connections.size === 0, 5000, 'the character to leave the world');
    expect(metrics.resumes.get('expired')).toBe(1);
    expect(server.gate.resumes.detached).toBe(0);
    // Saved where it stood.
    const rows = await db.query<{ zone: string; x: number; y: number }>('SELECT zone, x, y FROM characters WHERE id = $1', [id]);
    expect(rows[0].zone).toBe('meadow');
    expect(near(rows[0], 33, 25, 0.1)).toBe(true);
    expect(await refusedResume(server.url, resumeToken)).toBe(CloseCode.RESUME_REFUSED);

    // A fresh login: a new entity, from the saved state.
    const again = await TestClient.connect(server.url, token, AuthKind.TOKEN, id);
    clients.push(again);
    await again.until(() => again.positionOf(again.me) !== undefined, 5000, 'first snapshot');
    expect(near(again.positionOf(again.me), 33, 25, 0.1)).toBe(true);
    expect(again.snapshots[0].baseTick).toBe(0);
  });

  it("an account's session token resumes its dropped character within the grace, keeping the entity", { timeout: 180_000 }, async () => {
    const { db } = await withAccount();
    const { server, clock } = await start({ ALLOW_GUESTS: '0' }, { world: store });
    const { token, id } = await account(db);
    const c = await TestClient.connect(server.url, token, AuthKind.TOKEN, id);
    clients.push(c);
    c.moveTo(26, 22);
    await c.until(() => near(c.positionOf(c.me), 26, 22, 0.1), 5000, 'at 26, 22');
    const entity = c.me;
    await drop(server, c);
    const back = await TestClient.connect(server.url, token, AuthKind.TOKEN, id);
    clients.push(back);
    expect(back.me).toBe(entity);
    await back.until(() => back.snapshots.length > 0, 5000, 'a snapshot');
    expect(back.snapshots[0].baseTick).toBe(0);
    expect(near(back.positionOf(entity), 26, 22, 0.1)).toBe(true);
    expect(clock.pending).toBe(0);
    expect(server.gate.playerCount).toBe(1);
  });

  it('logging out everywhere closes the playing character (4031, no resume) and ends a dropped one at once; its tokens are refused', { timeout: 180_000 }, async () => {
    const { db } = await withAccount();
    const { server, clock } = await start({ ALLOW_GUESTS: '0' }, { world: store });
    const { token, id } = await account(db);
    const c = await TestClient.connect(server.url, token, AuthKind.TOKEN, id);
    clients.push(c);
    const resumeToken = c.resumeToken!;
    const res = await fetch(`http://127.0.0.1:${server.port}/api/sessions/all`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(204);
    expect(await c.waitClosed()).toBe(CloseCode.SESSION_REVOKED);
    await c.until(() => server.gate.connections.size === 0, 5000, 'the character to leave');
    expect(clock.pending).toBe(0);
    expect(await refusedResume(server.url, resumeToken)).toBe(CloseCode.RESUME_REFUSED);
    const stale = new TestClient(server.url);
    await stale.opened();
    stale.ws.send(encodeHello(token, id, AuthKind.TOKEN));
    expect(await stale.waitClosed()).toBe(CloseCode.AUTH_FAILED);

    // A password change does the same to a character waiting for its resume: it leaves at once.
    const login = await fetch(`http://127.0.0.1:${server.port}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'roamer', password: 'password123' }) });
    const fresh: string = ((await login.json()) as { token: string }).token;
    const again = await TestClient.connect(server.url, fresh, AuthKind.TOKEN, id);
    const dropped = again.resumeToken!;
    await drop(server, again);
    const changed = await fetch(`http://127.0.0.1:${server.port}/api/account/password`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh}` },
      body: JSON.stringify({ currentPassword: 'password123', newPassword: 'another password' }),
    });
    expect(changed.status).toBe(200);
    await again.until(() => server.gate.connections.size === 0, 5000, 'the dropped character to leave');
    expect(server.gate.resumes.detached).toBe(0);
    expect(await refusedResume(server.url, dropped)).toBe(CloseCode.RESUME_REFUSED);
  });

  it('a second connection resuming a character still connected takes it over: the first is closed 4008, the entity goes on', async () => {
    const { server } = await start();
    const first = await connect('twin');
    first.moveTo(36, 36);
    await first.until(() => near(first.positionOf(first.me), 36, 36, 0.1), 5000, 'at 36, 36');
    const second = await TestClient.resume(server.url, first.resumeToken!);
    clients.push(second);
    expect(await first.waitClosed()).toBe(CloseCode.TAKEN_OVER);
    expect(second.me).toBe(first.me);
    await second.until(() => near(second.positionOf(second.me), 36, 36, 0.1), 5000, 'a full snapshot at 36, 36');
    expect(second.snapshots[0].baseTick).toBe(0);
    // The old socket's close did not end the session.
    const n = second.snapshots.length;
    await second.until(() => second.snapshots.length >= n + 10, 5000, 'snapshots go on');
    expect(server.gate.playerCount).toBe(1);
    expect(server.gate.resumes.detached).toBe(0);
    expect(second.closeCode).toBeUndefined();
  });

  it('a clean logout (1000) leaves at once and its token is refused', async () => {
    const { server, clock } = await start();
    const c = await connect('leaver');
    const token = c.resumeToken!;
    c.close();
    await c.waitClosed();
    await c.until(() => server.gate.connections.size === 0, 5000, 'the character to leave');
    expect(clock.pending).toBe(0);
    expect(await refusedResume(server.url, token)).toBe(CloseCode.RESUME_REFUSED);
  });

  it('RESUME_GRACE_MS=0: no token is given and a drop leaves at once', async () => {
    const { server, clock } = await start({ RESUME_GRACE_MS: '0' });
    const c = await connect('plain');
    const n = c.snapshots.length;
    await c.until(() => c.snapshots.length > n, 5000, 'a snapshot');
    expect(c.resumeToken).toBeUndefined();
    c.ws.terminate();
    await c.until(() => server.gate.connections.size === 0, 5000, 'the character to leave');
    expect(clock.pending).toBe(0);
  });

  it('a player whose socket drops on its way into a portal resumes in the zone it ended up in', async () => {
    const { server } = await start();
    const c = await connect('traveller');
    const token = c.resumeToken!;
    // Walking to a destination inside the portal: the walk goes on with the socket down.
    c.moveTo(51, 31);
    await drop(server, c);
    const conn = [...server.gate.connections.values()][0];
    await c.until(() => conn.zone === 1 && conn.phase === 'playing', 10_000, 'the zone change, with the socket down');
    const back = await TestClient.resume(server.url, token);
    clients.push(back);
    expect(back.welcome!.zoneId).toBe(2);
    expect(back.me).toBe(conn.handle);
    await back.until(() => near(back.positionOf(back.me), ENTRY.x, ENTRY.y), 5000, 'at the crypt entry');
    expect(back.snapshots[0].baseTick).toBe(0);
    expect(back.zoneChanges).toEqual([]);
  });
});
