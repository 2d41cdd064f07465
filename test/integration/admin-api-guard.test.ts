/**
 * The admin API's door, through real HTTP on a whole world (PGlite,
 * accounts, gate, cells): roles granted from the command line; every route
 * refuses anonymous callers (401) and players (403), moderators on admin
 * routes (403), and hostile input (4xx) without changing a row; the
 * per-account rate limit; the same headers as the account API.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The box is shared: a whole world (cells, PGlite) takes a while to start under load.
vi.setConfig({ testTimeout: 120_000 });
import { adminRows, call, newAccount, startAdminWorld, type AdminWorld } from '../helpers/admin-world.ts';

let w: AdminWorld;
let adminTok: string;
let modTok: string;
let playerTok: string;
let adminName: string;

/** Every route with a body that would be valid, and the role it needs. */
const ROUTES: { method: string; path: string; body?: unknown; needs: 'moderator' | 'admin' }[] = [
  { method: 'GET', path: '/api/admin/me', needs: 'moderator' },
  { method: 'GET', path: '/api/admin/live', needs: 'moderator' },
  { method: 'GET', path: '/api/admin/find?q=abc', needs: 'moderator' },
  { method: 'GET', path: '/api/admin/audit', needs: 'moderator' },
  { method: 'GET', path: '/api/admin/mutes', needs: 'moderator' },
  { method: 'GET', path: '/api/admin/bans', needs: 'moderator' },
  { method: 'POST', path: '/api/admin/kick', body: { conn: 1, reason: 'x' }, needs: 'moderator' },
  { method: 'POST', path: '/api/admin/teleport', body: { conn: 1, x: 5, y: 5, reason: 'x' }, needs: 'moderator' },
  { method: 'POST', path: '/api/admin/announce', body: { message: 'hello' }, needs: 'moderator' },
  { method: 'POST', path: '/api/admin/mutes', body: { characterId: 1, minutes: 5, reason: 'x' }, needs: 'moderator' },
  { method: 'DELETE', path: '/api/admin/mutes/1?reason=x', needs: 'moderator' },
  { method: 'POST', path: '/api/admin/bans', body: { address: '10.9.9.9', minutes: 5, reason: 'x' }, needs: 'admin' },
  { method: 'POST', path: '/api/admin/bans/1/lift', body: { reason: 'x' }, needs: 'admin' },
  { method: 'GET', path: '/api/admin/roles', needs: 'admin' },
  { method: 'POST', path: '/api/admin/roles', body: { username: 'nobody', role: 'moderator', reason: 'x' }, needs: 'admin' },
  { method: 'POST', path: '/api/admin/zones/meadow/restart', body: { reason: 'x' }, needs: 'admin' },
  { method: 'GET', path: '/api/admin/items', needs: 'moderator' },
  { method: 'GET', path: '/api/admin/characters/1/items', needs: 'moderator' },
  { method: 'POST', path: '/api/admin/characters/1/items', body: { item: 'item.bread', count: 1, reason: 'x' }, needs: 'admin' },
  { method: 'POST', path: '/api/admin/characters/1/items/remove', body: { item: 'item.bread', count: 1, reason: 'x' }, needs: 'admin' },
];

beforeAll(async () => {
  w = await startAdminWorld({}, { perAddressPer10s: 100_000, perAccountPer10s: 60 });
  const a = await newAccount(w.base, 'root');
  const m = await newAccount(w.base, 'mod');
  const p = await newAccount(w.base, 'plain');
  adminName = a.username;
  expect(await w.roles('grant', a.username, 'admin')).toEqual({ code: 0, out: `${a.username} is now admin` });
  expect((await w.roles('grant', m.username, 'moderator')).code).toBe(0);
  adminTok = a.token;
  modTok = m.token;
  playerTok = p.token;
}, 240_000);

afterAll(async () => {
  await w?.close();
}, 60_000);

describe('roles from the command line', () => {
  it('grants, lists and revokes; refuses unknown accounts and roles; records each change as done by cli', async () => {
    const x = await newAccount(w.base, 'temp');
    expect(await w.roles('grant', x.username, 'moderator')).toEqual({ code: 0, out: `${x.username} is now moderator` });
    expect((await w.roles('list')).out).toContain(`${x.username}\tmoderator`);
    expect((await w.roles('list')).out).toContain(`${adminName}\tadmin`);
    expect(await w.roles('revoke', x.username)).toEqual({ code: 0, out: `${x.username} is now player` });
    expect((await w.roles('list')).out).not.toContain(x.username);
    const before = await adminRows(w.db);
    expect((await w.roles('grant', 'nosuchaccount', 'admin')).code).toBe(1);
    expect((await w.roles('grant', x.username, 'god')).code).toBe(2);
    expect((await w.roles('grant', x.username)).code).toBe(2);
    expect((await w.roles('frobnicate')).code).toBe(2);
    expect(await adminRows(w.db)).toEqual(before);
    const audit = await call(w.base, 'GET', '/api/admin/audit', { token: adminTok });
    expect(audit.json.entries.filter((e: any) => e.actor === 'cli' && e.target === `account:${x.username}`).map((e: any) => e.action)).toEqual(['role.revoke', 'role.grant']);
  });
});

describe('who may call what', () => {
  it('refuses every route without a token (401) and with a bad one (401), changing nothing', async () => {
    const before = await adminRows(w.db);
    for (const r of ROUTES) {
      const anon = await call(w.base, r.method, r.path, { body: r.body });
      expect(anon.status, `${r.method} ${r.path}`).toBe(401);
      expect(anon.headers['www-authenticate']).toBe('Bearer');
      const bad = await call(w.base, r.method, r.path, { body: r.body, token: 'A'.repeat(43) });
      expect(bad.status, `${r.method} ${r.path}`).toBe(401);
      const garbled = await call(w.base, r.method, r.path, { body: r.body, headers: { authorization: 'Basic cm9vdDpyb290' } });
      expect(garbled.status).toBe(401);
    }
    expect(await adminRows(w.db)).toEqual(before);
  });

  it('refuses players on every route (403) and moderators on admin routes (403), changing nothing', async () => {
    const before = await adminRows(w.db);
    for (const r of ROUTES) {
      const p = await call(w.base, r.method, r.path, { body: r.body, token: playerTok });
      expect(p.status, `${r.method} ${r.path}`).toBe(403);
      expect(p.json.error.code).toBe('forbidden');
      if (r.needs === 'admin') {
        const m = await call(w.base, r.method, r.path, { body: r.body, token: modTok });
        expect(m.status, `${r.method} ${r.path}`).toBe(403);
      }
    }
    expect(await adminRows(w.db)).toEqual(before);
  });

  it('answers unknown routes 404 and wrong methods 405 with Allow, with the account API headers', async () => {
    const r = await call(w.base, 'GET', '/api/admin/nothing', { token: adminTok });
    expect(r.status).toBe(404);
    const m = await call(w.base, 'PUT', '/api/admin/kick', { token: adminTok });
    expect(m.status).toBe(405);
    expect(m.headers.allow).toBe('POST');
    const me = await call(w.base, 'GET', '/api/admin/me', { token: adminTok });
    expect(me.json).toMatchObject({ username: adminName, role: 'admin' });
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.headers['x-content-type-options']).toBe('nosniff');
    expect(me.headers['x-frame-options']).toBe('DENY');
    expect(me.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves the console page with the account page security headers', async () => {
    for (const path of ['/admin', '/admin/', '/admin/app.js', '/admin/style.css']) {
      const r = await call(w.base, 'GET', path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-security-policy']).toBe("default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await call(w.base, 'GET', '/admin/../../package.json')).status).toBe(404);
    expect((await call(w.base, 'GET', '/admin/%2e%2e%2fpackage.json')).status).toBe(404);
    expect((await call(w.base, 'POST', '/admin/')).status).toBe(405);
  });
});

describe('hostile input', () => {
  const long = 'x'.repeat(201);
  const CASES: { method: string; path: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; status: number }[] = [
    { method: 'POST', path: '/api/admin/kick', raw: '{"conn":1,', headers: { 'content-type': 'application/json' }, status: 400 },
    { method: 'POST', path: '/api/admin/kick', raw: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'content-type': 'application/json' }, status: 400 },
    { method: 'POST', path: '/api/admin/kick', raw: '{"conn":1,"reason":"x"}', headers: { 'content-type': 'text/plain' }, status: 415 },
    { method: 'POST', path: '/api/admin/announce', raw: JSON.stringify({ message: 'y'.repeat(20_000) }), headers: { 'content-type': 'application/json' }, status: 413 },
    { method: 'POST', path: '/api/admin/kick', body: [1, 2], status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 1 }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 1, reason: '' }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 1, reason: long }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 1, reason: 'bad\u0000reason' }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 1, reason: 'right\u202eleft' }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: -1, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 1.5, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: '1', reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 1, characterId: 1, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/kick', body: { conn: 4_000_000_000, reason: 'x' }, status: 409 },
    { method: 'POST', path: '/api/admin/teleport', body: { conn: 1, x: 'NaN', y: 1, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/teleport', raw: '{"conn":1,"x":1e999,"y":1,"reason":"x"}', headers: { 'content-type': 'application/json' }, status: 422 },
    { method: 'POST', path: '/api/admin/teleport', body: { conn: 1, x: null, y: 1, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/announce', body: { message: '' }, status: 422 },
    { method: 'POST', path: '/api/admin/announce', body: { message: 'é'.repeat(150) }, status: 422 },
    { method: 'POST', path: '/api/admin/announce', body: { message: 'hi', zone: '../etc' }, status: 422 },
    // Private use: printable to the console, refused by chat, which says announcements too.
    { method: 'POST', path: '/api/admin/announce', body: { message: 'hi \ue000' }, status: 422 },
    { method: 'POST', path: '/api/admin/announce', body: { message: 'hi', zone: 'atlantis' }, status: 422 },
    { method: 'POST', path: '/api/admin/mutes', body: { characterId: 1, minutes: 0, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/mutes', body: { characterId: 1, minutes: 1e12, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/mutes', body: { characterId: 999_999, minutes: 5, reason: 'x' }, status: 404 },
    { method: 'DELETE', path: '/api/admin/mutes/abc?reason=x', status: 404 },
    { method: 'DELETE', path: '/api/admin/mutes/1', status: 422 },
    { method: 'POST', path: '/api/admin/bans', body: { address: 'not-an-ip', minutes: 5, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/bans', body: { address: '10.0.0.1', reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/bans', body: { address: '10.0.0.1', minutes: 5, forGood: true, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/bans', body: { address: '10.0.0.1', forGood: 'yes', reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/bans', body: { username: "x' OR 1=1 --", minutes: 5, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/bans', body: { username: 'nosuchaccount', minutes: 5, reason: 'x' }, status: 404 },
    { method: 'POST', path: '/api/admin/bans', body: { minutes: 5, reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/bans/99999/lift', body: { reason: 'x' }, status: 404 },
    { method: 'POST', path: '/api/admin/bans/%E0%A4%A/lift', body: { reason: 'x' }, status: 404 },
    { method: 'POST', path: '/api/admin/roles', body: { username: 'nosuchaccount', role: 'admin', reason: 'x' }, status: 404 },
    { method: 'POST', path: '/api/admin/roles', body: { username: 'nosuchaccount', role: 'root', reason: 'x' }, status: 422 },
    { method: 'POST', path: '/api/admin/zones/atlantis/restart', body: { reason: 'x' }, status: 404 },
    { method: 'POST', path: '/api/admin/zones/MEADOW;drop/restart', body: { reason: 'x' }, status: 422 },
    { method: 'GET', path: '/api/admin/live?limit=0', status: 422 },
    { method: 'GET', path: '/api/admin/live?limit=100000', status: 422 },
    { method: 'GET', path: '/api/admin/live?zone=%00', status: 422 },
    { method: 'GET', path: '/api/admin/find', status: 422 },
    { method: 'GET', path: `/api/admin/find?q=${'a'.repeat(40)}`, status: 422 },
    { method: 'GET', path: '/api/admin/audit?before=-3', status: 422 },
  ];

  it('answers each with a 4xx naming the problem and changes no row', async () => {
    const before = await adminRows(w.db);
    for (const c of CASES) {
      const r = await call(w.base, c.method, c.path, { body: c.body, raw: c.raw, headers: c.headers, token: adminTok });
      expect(r.status, `${c.method} ${c.path} ${JSON.stringify(c.body ?? c.raw?.toString())}`).toBe(c.status);
      expect(r.json.error.message.length).toBeGreaterThan(0);
    }
    expect(await adminRows(w.db)).toEqual(before);
    // An admin cannot demote or ban itself (the last admin would lock the console out).
    expect((await call(w.base, 'POST', '/api/admin/roles', { body: { username: adminName, role: 'player', reason: 'x' }, token: adminTok })).status).toBe(422);
    expect((await call(w.base, 'POST', '/api/admin/bans', { body: { username: adminName, minutes: 5, reason: 'x' }, token: adminTok })).status).toBe(422);
    expect(await adminRows(w.db)).toEqual(before);
  });
});

describe('item routes without items', () => {
  it('answer 503 unavailable saying why on a world without content and database, changing nothing', async () => {
    const before = await adminRows(w.db);
    const grant = await call(w.base, 'POST', '/api/admin/characters/1/items', { body: { item: 'item.bread', count: 1, reason: 'x' }, token: adminTok });
    expect(grant.status).toBe(503);
    expect(grant.json.error.message).toContain('keeps no items');
    expect((await call(w.base, 'GET', '/api/admin/items', { token: adminTok })).status).toBe(503);
    expect(await adminRows(w.db)).toEqual(before);
  });
});

describe('a banned operator', () => {
  it('keeps no power: its live session is refused with 403 banned until the ban is lifted', async () => {
    const m = await newAccount(w.base, 'rogue');
    await w.roles('grant', m.username, 'moderator');
    expect((await call(w.base, 'GET', '/api/admin/me', { token: m.token })).status).toBe(200);
    const ban = await call(w.base, 'POST', '/api/admin/bans', { body: { username: m.username, minutes: 60, reason: 'abused the console' }, token: adminTok });
    expect(ban.status).toBe(201);
    const refused = await call(w.base, 'POST', '/api/admin/kick', { body: { conn: 1, reason: 'x' }, token: m.token });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('banned');
    expect((await call(w.base, 'POST', `/api/admin/bans/${ban.json.ban.id}/lift`, { body: { reason: 'second chance' }, token: adminTok })).status).toBe(200);
    expect((await call(w.base, 'GET', '/api/admin/me', { token: m.token })).status).toBe(200);
  });
});

describe('rate limit', () => {
  it('refuses an account past its requests per 10 s with 429 and Retry-After', async () => {
    const m = await newAccount(w.base, 'busy');
    await w.roles('grant', m.username, 'moderator');
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) statuses.push((await call(w.base, 'GET', '/api/admin/me', { token: m.token })).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const last = await call(w.base, 'GET', '/api/admin/me', { token: m.token });
    expect(last.status).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    // Another account is not held back.
    expect((await call(w.base, 'GET', '/api/admin/me', { token: modTok })).status).toBe(200);
  });
});
