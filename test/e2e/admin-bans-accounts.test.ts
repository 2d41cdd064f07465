/**
 * Bans reach the account API, through real HTTP on a whole world (PGlite,
 * accounts, the console, gate, cells): a banned address cannot register
 * (nothing written, nothing counted), and the sessions a banned account
 * made before its ban are refused on every authenticated account route
 * (and its character at the gate) until the ban is lifted.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloseCode } from '../../src/protocol/errors.ts';
import { encodeHello } from '../../src/protocol/encode.ts';
import { AuthKind, PROTOCOL_VERSION } from '../../src/protocol/opcodes.ts';
import { call, newAccount, startAdminWorld, type AdminWorld } from '../helpers/admin-world.ts';
import { TestClient } from '../helpers/client.ts';

vi.setConfig({ testTimeout: 120_000 });

let w: AdminWorld;
let tok: string;
const clients: TestClient[] = [];

async function rows(): Promise<{ accounts: number; characters: number }> {
  const [r] = await w.db.query<{ accounts: number; characters: number }>('SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM characters) AS characters');
  return r!;
}

async function ban(body: Record<string, unknown>): Promise<number> {
  const r = await call(w.base, 'POST', '/api/admin/bans', { body: { minutes: 60, reason: 'testing bans', ...body }, token: tok });
  expect(r.status).toBe(201);
  return r.json.ban.id;
}

async function lift(id: number): Promise<void> {
  expect((await call(w.base, 'POST', `/api/admin/bans/${id}/lift`, { body: { reason: 'done' }, token: tok })).status).toBe(200);
}

beforeAll(async () => {
  w = await startAdminWorld({}, { perAddressPer10s: 100_000, perAccountPer10s: 100_000 });
  const a = await newAccount(w.base, 'warden');
  await w.roles('grant', a.username, 'admin');
  tok = a.token;
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await w?.close();
}, 60_000);

describe('registration from a banned address', () => {
  it('is refused with 403 banned and writes nothing; other addresses register; lifted, the address registers again', async () => {
    const id = await ban({ address: '127.0.0.7' });
    const before = await rows();
    const body = { username: `fresh${Date.now() % 1e6}`, password: 'correct horse battery' };
    const r = await call(w.base, 'POST', '/api/accounts', { body, localAddress: '127.0.0.7' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('banned');
    expect(r.json.error.message).toMatch(/^banned until .* UTC: testing bans$/);
    // Hostile bodies from a banned address: still a clear 4xx, still nothing written.
    expect((await call(w.base, 'POST', '/api/accounts', { raw: '{"username":', headers: { 'content-type': 'application/json' }, localAddress: '127.0.0.7' })).status).toBe(400);
    expect((await call(w.base, 'POST', '/api/accounts', { body: { username: 'x', password: 'y' }, localAddress: '127.0.0.7' })).status).toBe(422);
    expect((await call(w.base, 'POST', '/api/accounts', { body: { ...body, username: `${body.username}b` }, localAddress: '127.0.0.7' })).status).toBe(403);
    expect(await rows()).toEqual(before);
    // Another address is not covered.
    expect((await call(w.base, 'POST', '/api/accounts', { body, localAddress: '127.0.0.8' })).status).toBe(201);
    await lift(id);
    expect((await call(w.base, 'POST', '/api/accounts', { body: { ...body, username: `${body.username}c` }, localAddress: '127.0.0.7' })).status).toBe(201);
  });

  it('refuses a login from a banned address even with the right password', async () => {
    const a = await newAccount(w.base, 'roamer');
    const id = await ban({ address: '127.0.0.9' });
    const r = await call(w.base, 'POST', '/api/sessions', { body: { username: a.username, password: a.password }, localAddress: '127.0.0.9' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('banned');
    await lift(id);
    expect((await call(w.base, 'POST', '/api/sessions', { body: { username: a.username, password: a.password }, localAddress: '127.0.0.9' })).status).toBe(201);
  });
});

describe('the sessions of a banned account', () => {
  it('are refused on every authenticated route, change nothing, and work again once the ban is lifted', async () => {
    const p = await newAccount(w.base, 'banned', `Ban${String.fromCharCode(97 + (Date.now() % 26))}dit`);
    const other = await newAccount(w.base, 'bystander');
    expect((await call(w.base, 'GET', '/api/characters', { token: p.token })).status).toBe(200);
    const id = await ban({ username: p.username });
    const before = await rows();
    const refused: [string, string, unknown?][] = [
      ['GET', '/api/characters'],
      ['POST', '/api/characters', { name: 'Sneaky', classId: 1 }],
      ['DELETE', `/api/characters/${p.characterId}`],
      ['PUT', '/api/account/password', { currentPassword: p.password, newPassword: 'another long password' }],
      ['DELETE', '/api/sessions/all'],
    ];
    for (const [method, path, body] of refused) {
      const r = await call(w.base, method, path, { body, token: p.token });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.error).toMatchObject({ code: 'banned', message: expect.stringContaining('testing bans') });
    }
    expect(await rows()).toEqual(before);
    // The password did not change and the session was not revoked: logging in still says banned (not a wrong password).
    expect((await call(w.base, 'POST', '/api/sessions', { body: { username: p.username, password: p.password } })).json.error.code).toBe('banned');
    // Other accounts are untouched.
    expect((await call(w.base, 'GET', '/api/characters', { token: other.token })).status).toBe(200);
    // At the gate too.
    const c = new TestClient(w.url);
    clients.push(c);
    await c.opened();
    c.ws.send(encodeHello(p.token, p.characterId, AuthKind.TOKEN, PROTOCOL_VERSION, ''));
    expect(await c.waitClosed(10_000)).toBe(CloseCode.BANNED);
    // Lifted: the same token works again (it was blocked, not revoked).
    await lift(id);
    const listed = await call(w.base, 'GET', '/api/characters', { token: p.token });
    expect(listed.status).toBe(200);
    expect(listed.json.characters.map((x: { id: number }) => x.id)).toEqual([p.characterId]);
  });

  it('a session used from a banned address is refused too; a bad token is still 401, not 403', async () => {
    const p = await newAccount(w.base, 'travel');
    const id = await ban({ address: '127.0.0.10' });
    expect((await call(w.base, 'GET', '/api/characters', { token: p.token, localAddress: '127.0.0.10' })).status).toBe(403);
    expect((await call(w.base, 'GET', '/api/characters', { token: p.token, localAddress: '127.0.0.11' })).status).toBe(200);
    // An unknown token says nothing about bans.
    expect((await call(w.base, 'GET', '/api/characters', { token: 'A'.repeat(43), localAddress: '127.0.0.10' })).status).toBe(401);
    await lift(id);
    expect((await call(w.base, 'GET', '/api/characters', { token: p.token, localAddress: '127.0.0.10' })).status).toBe(200);
  });
});
