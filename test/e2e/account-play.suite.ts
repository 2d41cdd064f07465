import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { CloseCode } from '../../src/protocol/errors.ts';
import { TestClient } from '../helpers/client.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';

/** Backend a suite runs on: environment for the server process, and cleanup. */
export interface PlayBackend {
  env: Record<string, string>;
  dispose(): Promise<void> | void;
}

export async function api(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

function randomLetters(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + Math.floor(Math.random() * 26));
  return s;
}

/** Registers, logs in and makes a character; returns the token and character id. */
export async function newPlayer(base: string, name: string): Promise<{ token: string; characterId: number; username: string; password: string }> {
  const username = `${name}${Math.floor(Math.random() * 1e6)}`;
  const password = 'correct horse battery staple';
  expect((await api(base, 'POST', '/api/accounts', { username, password })).status).toBe(201);
  const session = await api(base, 'POST', '/api/sessions', { username, password });
  expect(session.status).toBe(201);
  const made = await api(base, 'POST', '/api/characters', { name: `${name}${randomLetters(6)}`, classId: 1 }, session.json.token);
  expect(made.status).toBe(201);
  return { token: session.json.token, characterId: made.json.character.id, username, password };
}

/** Logs in again; returns the new session token. */
export async function login(base: string, p: { username: string; password: string }): Promise<string> {
  const s = await api(base, 'POST', '/api/sessions', p);
  expect(s.status).toBe(201);
  return s.json.token;
}

export async function walkTo(c: TestClient, x: number, y: number): Promise<void> {
  c.moveTo(x, y);
  await c.until(() => {
    const p = c.positionOf(c.me);
    // Arrival snaps to the destination: wait for the exact (quantised) spot.
    return p !== undefined && Math.abs(p.x - x) < 0.07 && Math.abs(p.y - y) < 0.07;
  }, 30_000, `walk to ${x},${y}`); // a few seconds' walk; a loaded CI box can stretch it
}

/**
 * The account-to-world flow against a whole server process: register, log
 * in, create a character, enter over WebSocket, move, log out, log in again
 * and find the character where it was left; one live connection per
 * character; and a SIGKILL of the whole server loses at most about a second.
 */
export function accountPlaySuite(label: string, backend: () => Promise<PlayBackend>): void {
  describe(`account to world (${label})`, () => {
    let b: PlayBackend;
    let server: ServerProcess;
    let base: string;
    // One data folder across restarts: the embedded database lives there.
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-play-'));
    const start = async () => {
      // A generated meadow (not the default world): the suite walks to fixed spots.
      server = await startServerProcess({ ZONE_NAME: 'meadow', ALLOW_GUESTS: '0', DATA_DIR: dataDir, SAVE_INTERVAL_MS: '500', CHECKPOINT_INTERVAL_MS: '250', ...b.env });
      base = `http://127.0.0.1:${server.port}`;
    };
    beforeAll(async () => {
      b = await backend();
      await start();
    }, 120_000);
    afterAll(async () => {
      server?.child.kill('SIGKILL');
      await server?.exited;
      await b?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('a character logs out and comes back where it was left', async () => {
      const p = await newPlayer(base, 'wanderer');
      const c = await TestClient.connect(server.url, p.token, AuthKind.TOKEN, p.characterId);
      await walkTo(c, 120, 131);
      c.close();
      await c.waitClosed();
      expect((await api(base, 'DELETE', '/api/sessions', undefined, p.token)).status).toBe(204);
      // The old token is gone.
      const stale = new TestClient(server.url);
      await stale.opened();
      const { encodeHello } = await import('../../src/protocol/encode.ts');
      stale.ws.send(encodeHello(p.token, p.characterId, AuthKind.TOKEN));
      expect(await stale.waitClosed()).toBe(CloseCode.AUTH_FAILED);

      const token = await login(base, p);
      const again = await TestClient.connect(server.url, token, AuthKind.TOKEN, p.characterId);
      await again.until(() => again.positionOf(again.me) !== undefined, 5000, 'first snapshot');
      const at = again.positionOf(again.me)!;
      expect(Math.abs(at.x - 120)).toBeLessThan(0.2);
      expect(Math.abs(at.y - 131)).toBeLessThan(0.2);
      again.close();
    });

    it('a second login of the same character takes over and the first gets the take-over code', async () => {
      const p = await newPlayer(base, 'twin');
      const first = await TestClient.connect(server.url, p.token, AuthKind.TOKEN, p.characterId);
      await walkTo(first, 125, 125);
      const second = await TestClient.connect(server.url, await login(base, p), AuthKind.TOKEN, p.characterId);
      expect(await first.waitClosed()).toBe(CloseCode.TAKEN_OVER);
      await second.until(() => second.positionOf(second.me) !== undefined, 5000, 'snapshot');
      const at = second.positionOf(second.me)!;
      expect(Math.abs(at.x - 125)).toBeLessThan(0.2);
      expect(Math.abs(at.y - 125)).toBeLessThan(0.2);
      second.close();
    });

    it('closes the connection of a character deleted while it plays, and counts logins in the metrics', async () => {
      const p = await newPlayer(base, 'doomed');
      const c = await TestClient.connect(server.url, p.token, AuthKind.TOKEN, p.characterId);
      expect((await api(base, 'DELETE', `/api/characters/${p.characterId}`, undefined, p.token)).status).toBe(204);
      expect(await c.waitClosed()).toBe(CloseCode.CHARACTER_DELETED);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const count = /tessera_login_duration_seconds_count\{result="ok"\} (\d+)/.exec(metrics);
      expect(Number(count?.[1])).toBeGreaterThanOrEqual(1);
    });

    it('refuses a character of another account', async () => {
      const mine = await newPlayer(base, 'owner');
      const theirs = await newPlayer(base, 'thief');
      const c = new TestClient(server.url);
      await c.opened();
      const { encodeHello } = await import('../../src/protocol/encode.ts');
      c.ws.send(encodeHello(theirs.token, mine.characterId, AuthKind.TOKEN));
      expect(await c.waitClosed()).toBe(CloseCode.AUTH_FAILED);
    });

    it('after a SIGKILL of the whole server every character is restored with at most about a second lost', async () => {
      const players = await Promise.all([0, 1, 2].map((i) => newPlayer(base, `crash${'abc'[i]}`)));
      const clients = await Promise.all(players.map((p) => TestClient.connect(server.url, p.token, AuthKind.TOKEN, p.characterId)));
      // Everyone walks for a while, then keeps walking while the server dies.
      clients.forEach((c, i) => c.moveTo(100 + 10 * i, 100));
      await new Promise((r) => setTimeout(r, 1500));
      clients.forEach((c, i) => c.moveTo(100 + 10 * i, 160));
      await new Promise((r) => setTimeout(r, 1200));
      const lastSeen = clients.map((c) => c.positionOf(c.me)!);
      server.child.kill('SIGKILL');
      await server.exited;
      await start();
      for (let i = 0; i < players.length; i++) {
        const c = await TestClient.connect(server.url, await login(base, players[i]), AuthKind.TOKEN, players[i].characterId);
        await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'snapshot');
        const at = c.positionOf(c.me)!;
        // Speed is 6 units/s: a second of progress is 6 units.
        const lost = Math.hypot(at.x - lastSeen[i].x, at.y - lastSeen[i].y);
        expect(lost, `player ${i} lost ${lost.toFixed(2)} units`).toBeLessThan(9);
        expect(at.y).toBeGreaterThan(101); // progress after the first leg was kept
        c.close();
      }
    });
  });
}
