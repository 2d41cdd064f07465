/**
 * The account API and persistence suite, run against every backend: the
 * embedded default (PGlite, in-process sessions, file checkpoints) and real
 * PostgreSQL + Redis. Each backend file supplies `open`, which returns a
 * fresh AccountsAndStorage and the Db it runs on (to count rows).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { AuthError } from '../../src/main/accounts/accounts.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import type { Tuning } from '../../src/main/tuning.ts';
import type { AccountsAndStorage } from '../helpers/accounts-storage.ts';
import { serve, type Client } from './http-client.ts';

export interface Backend {
  open(tuning?: Partial<Tuning>): Promise<{ p: AccountsAndStorage; db: Db }>;
}

/** Fast hashing for tests; the cost is a parameter of the stored hash. */
export const TEST_TUNING: Partial<Tuning> = { scryptLog2N: 10, hashThreads: 1, loginLimitPerIp: 1000, loginLimitPerAccount: 1000, registerLimitPerIp: 1000 };

let seq = 0;
export function uniqueName(prefix = 'user'): string {
  return `${prefix}${process.pid % 10000}x${Date.now() % 1e7}x${seq++}`;
}

async function counts(db: Db): Promise<{ accounts: number; characters: number }> {
  const [a] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  const [c] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM characters');
  return { accounts: a!.n, characters: c!.n };
}

export function accountsApiSuite(label: string, backend: () => Backend): void {
  describe(`account API and persistence (${label})`, () => {
    let p: AccountsAndStorage;
    let db: Db;
    let c: Client;

    async function account(): Promise<{ username: string; password: string; token: string }> {
      const username = uniqueName();
      const password = 'correct horse battery';
      expect((await c.call('POST', '/api/accounts', { username, password })).status).toBe(201);
      const s = await c.call('POST', '/api/sessions', { username, password });
      expect(s.status).toBe(201);
      return { username, password, token: s.json.token };
    }

    beforeAll(async () => {
      ({ p, db } = await backend().open(TEST_TUNING));
      c = await serve(p);
    });
    afterAll(async () => {
      await c?.close();
      await p?.close();
    });

    it('registers, logs in, creates, lists and deletes characters, logs out', async () => {
      const username = uniqueName('Mixed');
      const r = await c.call('POST', '/api/accounts', { username, password: 'p4ssword!' });
      expect(r.status).toBe(201);
      expect(r.json.username).toBe(username.toLowerCase());
      expect((await c.call('POST', '/api/accounts', { username: username.toUpperCase(), password: 'p4ssword!' })).json.error).toMatchObject({ code: 'username_taken', field: 'username' });

      const s = await c.call('POST', '/api/sessions', { username, password: 'p4ssword!' });
      expect(s.status).toBe(201);
      expect(s.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(s.json.expiresAt)).toBeGreaterThan(Date.now());
      const token: string = s.json.token;

      const made = await c.call('POST', '/api/characters', { name: letters(), classId: 3, appearance: { hair: 5 } }, token);
      expect(made.status).toBe(201);
      expect(made.json.character).toMatchObject({ classId: 3, appearance: { body: 0, hair: 5, color: 0 }, level: 1 });
      const list = await c.call('GET', '/api/characters', undefined, token);
      expect(list.status).toBe(200);
      expect(list.json.characters.map((x: { id: number }) => x.id)).toEqual([made.json.character.id]);

      const del = await c.call('DELETE', `/api/characters/${made.json.character.id}`, undefined, token);
      expect(del.status).toBe(204);
      expect((await c.call('GET', '/api/characters', undefined, token)).json.characters).toEqual([]);
      expect((await c.call('DELETE', `/api/characters/${made.json.character.id}`, undefined, token)).status).toBe(404);

      expect((await c.call('DELETE', '/api/sessions', undefined, token)).status).toBe(204);
      const after = await c.call('GET', '/api/characters', undefined, token);
      expect(after.status).toBe(401);
      expect(after.json.error.code).toBe('unauthorized');
    });

    it('enters the world at the saved position and comes back where it left', async () => {
      const a = await account();
      const ch = (await c.call('POST', '/api/characters', { name: letters(), classId: 1 }, a.token)).json.character;
      const e = await p.enterWorld(a.token, ch.id);
      expect(e).toMatchObject({ characterId: ch.id, name: ch.name, classId: 1, zone: 'meadow', hp: 100 });
      p.updateState(ch.id, { zone: 'meadow', x: 10.5, y: 20.25, hp: 90 });
      p.leaveWorld(ch.id, { zone: 'meadow', x: 11.5, y: 21.25, hp: 88 });
      await until(() => p.stats().saveQueueDepth === 0);
      const [row] = await db.query<{ x: number; y: number; hp: number }>('SELECT x, y, hp FROM characters WHERE id = $1', [ch.id]);
      expect(row).toEqual({ x: 11.5, y: 21.25, hp: 88 });
      // Log out and in again: same place.
      await c.call('DELETE', '/api/sessions', undefined, a.token);
      const s2 = await c.call('POST', '/api/sessions', { username: a.username, password: a.password });
      expect(await p.enterWorld(s2.json.token, ch.id)).toMatchObject({ x: 11.5, y: 21.25, hp: 88 });
    });

    it('refuses other accounts\' characters, bad and revoked tokens in enterWorld', async () => {
      const a = await account();
      const b = await account();
      const ch = (await c.call('POST', '/api/characters', { name: letters(), classId: 2 }, a.token)).json.character;
      await expect(p.enterWorld(b.token, ch.id)).rejects.toBeInstanceOf(AuthError);
      await expect(p.enterWorld(a.token, 2_000_000_000)).rejects.toBeInstanceOf(AuthError);
      await expect(p.enterWorld(a.token, -1)).rejects.toBeInstanceOf(AuthError);
      await expect(p.enterWorld('nonsense', ch.id)).rejects.toBeInstanceOf(AuthError);
      await expect(p.enterWorld('A'.repeat(43), ch.id)).rejects.toBeInstanceOf(AuthError);
      const n = (await counts(db)).characters;
      expect((await c.call('DELETE', `/api/characters/${ch.id}`, undefined, b.token)).status).toBe(404);
      expect((await counts(db)).characters).toBe(n);
      await c.call('DELETE', '/api/sessions', undefined, a.token);
      await expect(p.enterWorld(a.token, ch.id)).rejects.toBeInstanceOf(AuthError);
    });

    it('answers malformed, oversized and mistyped bodies with 400/413/415 and changes no rows', async () => {
      const before = await counts(db);
      const json = { 'content-type': 'application/json' };
      const cases: [string, Parameters<Client['raw']>[2], number, string][] = [
        ['truncated JSON', { body: '{"username": "abc", ', headers: json }, 400, 'bad_json'],
        ['single quotes', { body: "{'username': 'abc'}", headers: json }, 400, 'bad_json'],
        ['invalid UTF-8', { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: json }, 400, 'bad_json'],
        ['empty body', { body: '', headers: json }, 400, 'bad_json'],
        ['text/plain', { body: '{"username":"abcdef","password":"abcdefgh"}', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
        ['form', { body: 'username=abcdef&password=abcdefgh', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
        ['latin1 charset', { body: '{}', headers: { 'content-type': 'application/json; charset=latin1' } }, 415, 'unsupported_media_type'],
        ['no content type', { body: '{}' }, 415, 'unsupported_media_type'],
        ['17 KiB', { body: JSON.stringify({ username: 'abcdef', password: 'x'.repeat(17 * 1024) }), headers: json }, 413, 'payload_too_large'],
        ['array body', { body: '[1,2]', headers: json }, 422, 'invalid_field'],
        ['null body', { body: 'null', headers: json }, 422, 'invalid_field'],
      ];
      for (const [what, opts, status, code] of cases) {
        const r = await c.raw('POST', '/api/accounts', opts);
        expect([what, r.status, r.json?.error?.code]).toEqual([what, status, code]);
        expect(typeof r.json.error.message).toBe('string');
      }
      // A chunked body with no Content-Length is cut off while streaming.
      const big = await c.raw('POST', '/api/accounts', { body: 'x'.repeat(40_000), headers: { ...json, 'transfer-encoding': 'chunked' } });
      expect(big.status).toBe(413);
      expect(await counts(db)).toEqual(before);
    });

    it('rejects bad usernames and passwords with 422 naming the field', async () => {
      const before = await counts(db);
      const bad: [unknown, unknown, string][] = [
        [undefined, 'password123', 'username'],
        ['', 'password123', 'username'],
        ['ab', 'password123', 'username'],
        ['a'.repeat(33), 'password123', 'username'],
        ["robert'); DROP TABLE accounts;--", 'password123', 'username'],
        ["admin' OR '1'='1", 'password123', 'username'],
        ['zoë', 'password123', 'username'],
        ['user\u200bname', 'password123', 'username'],
        [42, 'password123', 'username'],
        ['gooduser', undefined, 'password'],
        ['gooduser', 'short', 'password'],
        ['gooduser', 'x'.repeat(129), 'password'],
        ['gooduser', 'pass\u0000word123', 'password'],
        ['gooduser', 12345678, 'password'],
      ];
      for (const [username, password, field] of bad) {
        const r = await c.call('POST', '/api/accounts', { username, password });
        expect([username, r.status, r.json.error.code, r.json.error.field]).toEqual([username, 422, 'invalid_field', field]);
      }
      expect(await counts(db)).toEqual(before);
      // SQL in a password is just a password.
      const username = uniqueName();
      const pw = "'; DELETE FROM accounts; --";
      expect((await c.call('POST', '/api/accounts', { username, password: pw })).status).toBe(201);
      expect((await c.call('POST', '/api/sessions', { username, password: pw })).status).toBe(201);
      expect((await counts(db)).accounts).toBe(before.accounts + 1);
    });

    it('offers the content\'s classes at GET /api/classes (no session), and creates characters of those only', async () => {
      const r = await c.call('GET', '/api/classes');
      expect(r.status).toBe(200);
      expect(r.json.classes.map((k: { id: number; key: string }) => [k.id, k.key])).toEqual([
        [1, 'warrior'],
        [2, 'mage'],
        [3, 'rogue'],
      ]);
      const a = await account();
      for (const k of r.json.classes as { id: number }[]) expect((await c.call('POST', '/api/characters', { name: letters(), classId: k.id }, a.token)).status).toBe(201);
      const bad = await c.call('POST', '/api/characters', { name: letters(), classId: 4 }, a.token);
      expect(bad.status).toBe(422);
      expect(bad.json.error.message).toContain('1 (warrior), 2 (mage), 3 (rogue)');
      expect((await c.call('POST', '/api/classes', {})).status).toBe(405);
    });

    it('rejects bad character names, classes and appearances with 422 naming the field, and duplicate names in any form with 409', async () => {
      const a = await account();
      const before = await counts(db);
      const names: unknown[] = [
        undefined, '', 'Ab', 'A'.repeat(17), 42, null,
        "Robert'); DROP TABLE characters;--", "x' OR 1=1 --", 'Bob Smith', 'Bob1', '1Bob',
        'Bo\u0000b', 'Bo\u0007bby', 'Bob\n', '\u202eevil', 'Ev\u202eil', 'Bob\u200b', '\u200dBob', 'Bo\u2066b', 'Bob\ufeff',
        '\u0301Bob', '😀Bob', 'Bob\u2028',
      ];
      for (const name of names) {
        const r = await c.call('POST', '/api/characters', { name, classId: 1 }, a.token);
        expect([name, r.status, r.json.error.code, r.json.error.field]).toEqual([name, 422, 'invalid_field', 'name']);
      }
      const other: [Record<string, unknown>, string][] = [
        [{ classId: 0 }, 'classId'], [{ classId: 4 }, 'classId'], [{ classId: 9 }, 'classId'], [{ classId: '1' }, 'classId'], [{ classId: undefined }, 'classId'], [{ classId: 1.5 }, 'classId'],
        [{ classId: 1, appearance: 'blue' }, 'appearance'], [{ classId: 1, appearance: { hair: 99 } }, 'appearance.hair'],
        [{ classId: 1, appearance: { hair: -1 } }, 'appearance.hair'], [{ classId: 1, appearance: { wings: 1 } }, 'appearance.wings'],
      ];
      for (const [extra, field] of other) {
        const r = await c.call('POST', '/api/characters', { name: letters(), ...extra }, a.token);
        expect([extra, r.status, r.json.error.field]).toEqual([extra, 422, field]);
      }
      expect(await counts(db)).toEqual(before);

      // NFC and NFD spellings, and case, are the same name.
      const base = letters(6);
      const nfc = `${base}é`;
      const made = await c.call('POST', '/api/characters', { name: nfc, classId: 1 }, a.token);
      expect(made.status).toBe(201);
      for (const dup of [`${base}e\u0301`, nfc.toUpperCase(), `${base.toUpperCase()}É`]) {
        const r = await c.call('POST', '/api/characters', { name: dup, classId: 1 }, a.token);
        expect([dup, r.status, r.json.error.code, r.json.error.field]).toEqual([dup, 409, 'name_taken', 'name']);
      }
      // An NFD name is stored composed.
      const nfdName = `${letters(5)}o\u0308`;
      const r = await c.call('POST', '/api/characters', { name: nfdName, classId: 1 }, a.token);
      expect(r.json.character.name).toBe(nfdName.normalize('NFC'));
      // Other alphabets are letters too.
      expect((await c.call('POST', '/api/characters', { name: `Жанна${letters(3).toLowerCase()}`, classId: 3 }, a.token)).status).toBe(201);
      expect((await counts(db)).characters).toBe(before.characters + 3);
    });

    it('answers missing, malformed, unknown and expired tokens with 401', async () => {
      const before = await counts(db);
      const tries: [string, Record<string, string>][] = [
        ['none', {}],
        ['basic', { authorization: 'Basic dXNlcjpwYXNz' }],
        ['empty bearer', { authorization: 'Bearer ' }],
        ['short', { authorization: 'Bearer abc' }],
        ['unknown', { authorization: `Bearer ${'A'.repeat(43)}` }],
        ['sql', { authorization: "Bearer ' OR 1=1 --" }],
      ];
      for (const [what, headers] of tries) {
        for (const [method, body] of [['GET', undefined], ['POST', JSON.stringify({ name: letters(), classId: 1 })]] as const) {
          const r = await c.raw(method, '/api/characters', { headers: { ...headers, 'content-type': 'application/json' }, body });
          expect([what, method, r.status, r.json.error.code]).toEqual([what, method, 401, 'unauthorized']);
          expect(r.headers['www-authenticate']).toBe('Bearer');
        }
      }
      expect((await c.raw('DELETE', '/api/sessions', { headers: { authorization: `Bearer ${'B'.repeat(43)}` } })).status).toBe(401);
      expect(await counts(db)).toEqual(before);

      // Expiry: a separate instance whose sessions last one second.
      const short = await backend().open({ ...TEST_TUNING, sessionTtlMs: 1000 });
      const sc = await serve(short.p);
      try {
        const username = uniqueName();
        await sc.call('POST', '/api/accounts', { username, password: 'password123' });
        const s = await sc.call('POST', '/api/sessions', { username, password: 'password123' });
        expect((await sc.call('GET', '/api/characters', undefined, s.json.token)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1300));
        const r = await sc.call('GET', '/api/characters', undefined, s.json.token);
        expect([r.status, r.json.error.code]).toEqual([401, 'unauthorized']);
        await expect(short.p.enterWorld(s.json.token, 1)).rejects.toBeInstanceOf(AuthError);
      } finally {
        await sc.close();
        await short.p.close();
      }
    });

    it('logs out everywhere: every token of the account refused by the API and enterWorld, other accounts untouched', async () => {
      const own = await backend().open({ ...TEST_TUNING });
      const oc = await serve(own.p);
      try {
        const username = uniqueName();
        const password = 'password123';
        await oc.call('POST', '/api/accounts', { username, password });
        const t1: string = (await oc.call('POST', '/api/sessions', { username, password })).json.token;
        const t2: string = (await oc.call('POST', '/api/sessions', { username, password })).json.token;
        const ch = (await oc.call('POST', '/api/characters', { name: letters(), classId: 1 }, t1)).json.character;
        // Another account's session is untouched.
        const other = uniqueName();
        await oc.call('POST', '/api/accounts', { username: other, password });
        const t3: string = (await oc.call('POST', '/api/sessions', { username: other, password })).json.token;
        expect((await own.p.enterWorld(t2, ch.id)).characterId).toBe(ch.id);

        const out = await oc.call('DELETE', '/api/sessions/all', undefined, t2);
        expect(out.status).toBe(204);
        for (const t of [t1, t2]) {
          const r = await oc.call('GET', '/api/characters', undefined, t);
          expect([r.status, r.json.error.code]).toEqual([401, 'unauthorized']);
          await expect(own.p.enterWorld(t, ch.id)).rejects.toBeInstanceOf(AuthError);
        }
        expect((await oc.call('GET', '/api/characters', undefined, t3)).status).toBe(200);
        // Once revoked, the token cannot do it again; a new login works.
        expect((await oc.call('DELETE', '/api/sessions/all', undefined, t1)).status).toBe(401);
        const t4: string = (await oc.call('POST', '/api/sessions', { username, password })).json.token;
        expect((await oc.call('GET', '/api/characters', undefined, t4)).status).toBe(200);
        expect((await oc.call('DELETE', '/api/sessions', undefined, t4)).status).toBe(204);
        expect((await oc.call('DELETE', '/api/sessions/all', undefined, t4)).status).toBe(401);
      } finally {
        await oc.close();
        await own.p.close();
      }
    });

    it('changes the password: the current one checked, every session revoked, a new one returned; the old password no longer logs in', async () => {
      const a = await account();
      const second: string = (await c.call('POST', '/api/sessions', { username: a.username, password: a.password })).json.token;
      const bad = await c.call('PUT', '/api/account/password', { currentPassword: 'not it at all', newPassword: 'a new password' }, a.token);
      expect([bad.status, bad.json.error.code]).toEqual([401, 'invalid_credentials']);
      const weak = await c.call('PUT', '/api/account/password', { currentPassword: a.password, newPassword: 'short' }, a.token);
      expect([weak.status, weak.json.error.field]).toEqual([422, 'newPassword']);
      expect((await c.call('PUT', '/api/account/password', { newPassword: 'a new password' }, a.token)).json.error.field).toBe('currentPassword');
      expect((await c.call('PUT', '/api/account/password', { currentPassword: a.password, newPassword: 'a new password' })).status).toBe(401);
      // Nothing changed so far: both tokens still work.
      expect((await c.call('GET', '/api/characters', undefined, second)).status).toBe(200);

      const ok = await c.call('PUT', '/api/account/password', { currentPassword: a.password, newPassword: 'a new password' }, a.token);
      expect(ok.status).toBe(200);
      expect(ok.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(ok.json.expiresAt)).toBeGreaterThan(Date.now());
      for (const t of [a.token, second]) expect((await c.call('GET', '/api/characters', undefined, t)).status).toBe(401);
      expect((await c.call('GET', '/api/characters', undefined, ok.json.token)).status).toBe(200);
      expect((await c.call('POST', '/api/sessions', { username: a.username, password: a.password })).status).toBe(401);
      expect((await c.call('POST', '/api/sessions', { username: a.username, password: 'a new password' })).status).toBe(201);
    });

    it('limits wrong current passwords per account (429)', async () => {
      const lim = await backend().open({ ...TEST_TUNING, loginLimitPerAccount: 2, loginWindowMs: 60_000 });
      const lc = await serve(lim.p);
      try {
        const username = uniqueName();
        await lc.call('POST', '/api/accounts', { username, password: 'password123' });
        const token: string = (await lc.call('POST', '/api/sessions', { username, password: 'password123' })).json.token;
        const wrong = () => lc.call('PUT', '/api/account/password', { currentPassword: 'wrong wrong', newPassword: 'a new password' }, token);
        expect((await wrong()).status).toBe(401);
        expect((await wrong()).status).toBe(401);
        const r = await wrong();
        expect([r.status, r.json.error.code]).toEqual([429, 'rate_limited']);
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        // Even the right one waits now.
        expect((await lc.call('PUT', '/api/account/password', { currentPassword: 'password123', newPassword: 'a new password' }, token)).status).toBe(429);
      } finally {
        await lc.close();
        await lim.p.close();
      }
    });

    it('limits logins per address and failed logins per account (429 with Retry-After)', async () => {
      const lim = await backend().open({ ...TEST_TUNING, loginLimitPerIp: 6, loginLimitPerAccount: 3, loginWindowMs: 60_000 });
      const lc = await serve(lim.p);
      try {
        const username = uniqueName();
        await lc.call('POST', '/api/accounts', { username, password: 'password123' });
        // Per account: three failures from one address...
        for (let i = 0; i < 3; i++) expect((await lc.call('POST', '/api/sessions', { username, password: 'wrong-password' })).status).toBe(401);
        // ...lock the account from every address, even with the right password.
        const locked = await lc.call('POST', '/api/sessions', { username, password: 'password123' }, undefined, '127.0.0.2');
        expect([locked.status, locked.json.error.code]).toEqual([429, 'rate_limited']);
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
        // Per address: 127.0.0.1 has used 3 of 6; three more of anyone's, then 429.
        for (let i = 0; i < 3; i++) expect((await lc.call('POST', '/api/sessions', { username: uniqueName(), password: 'whatever1' })).status).toBe(401);
        const flooded = await lc.call('POST', '/api/sessions', { username: uniqueName(), password: 'whatever1' });
        expect([flooded.status, flooded.json.error.code]).toEqual([429, 'rate_limited']);
        // Another address is not affected by 127.0.0.1's count.
        const other = uniqueName();
        await lc.call('POST', '/api/accounts', { username: other, password: 'password123' });
        expect((await lc.call('POST', '/api/sessions', { username: other, password: 'password123' }, undefined, '127.0.0.3')).status).toBe(201);
        expect(lim.p.stats().loginsFailed).toBeGreaterThanOrEqual(8);
        expect(lim.p.stats().loginsOk).toBe(1);
      } finally {
        await lc.close();
        await lim.p.close();
      }
    });

    it('enforces the per-account character limit', async () => {
      const lim = await backend().open({ ...TEST_TUNING, maxCharactersPerAccount: 2 });
      const lc = await serve(lim.p);
      try {
        const username = uniqueName();
        await lc.call('POST', '/api/accounts', { username, password: 'password123' });
        const token = (await lc.call('POST', '/api/sessions', { username, password: 'password123' })).json.token;
        const made = await Promise.all([0, 1, 2, 3].map(() => lc.call('POST', '/api/characters', { name: letters(), classId: 1 }, token)));
        expect(made.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
        expect(made.find((r) => r.status === 409)!.json.error.code).toBe('character_limit');
      } finally {
        await lc.close();
        await lim.p.close();
      }
    });

    it('routes: 404 JSON for unknown /api paths, 405 with Allow, declines other paths, serves the page', async () => {
      const nf = await c.call('GET', '/api/nope');
      expect([nf.status, nf.json.error.code]).toEqual([404, 'not_found']);
      const na = await c.call('PUT', '/api/accounts', {});
      expect([na.status, na.json.error.code, na.headers.allow]).toEqual([405, 'method_not_allowed', 'POST']);
      expect((await c.call('DELETE', '/api/characters/abc', undefined, 'x')).status).toBe(401);
      expect((await c.raw('GET', '/play')).text).toBe('not mine');
      expect((await c.raw('GET', '/metrics')).text).toBe('not mine');
      const page = await c.raw('GET', '/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect((await c.raw('GET', '/account/../../package.json')).status).toBe(404);
      expect((await c.raw('GET', '/account/%2e%2e%2fpackage.json')).status).toBe(404);
    });
  });
}

/** A random letters-only name (valid for characters). */
export function letters(n = 10): string {
  const abc = 'abcdefghijklmnopqrstuvwxyz';
  let s = 'Q';
  for (let i = 1; i < n; i++) s += abc[Math.floor(Math.random() * abc.length)];
  return s;
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
