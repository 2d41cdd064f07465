/**
 * Bans, mutes and the admin store's SQL, run on every backend: the embedded
 * PGlite (test/main/moderation/bans.test.ts) and real PostgreSQL
 * (test/integration/moderation-real.test.ts). `open` returns a fresh,
 * migrated database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as store from '../../../src/main/admin/admin-store.ts';
import { BanList, describeBan, keyOf } from '../../../src/main/moderation/bans.ts';
import { MuteList } from '../../../src/main/moderation/mute-list.ts';
import type { Db } from '../../../src/main/persistence/db.ts';

export function moderationSuite(label: string, open: () => Promise<{ db: Db; dispose(): Promise<void> | void }>): void {
  describe(`bans, mutes and the audit log (${label})`, () => {
    let db: Db;
    let dispose: () => Promise<void> | void = () => {};
    let account = 0;
    let character = 0;

    beforeAll(async () => {
      ({ db, dispose } = await open());
      [{ id: account }] = await db.query<{ id: number }>("INSERT INTO accounts (username, password_hash) VALUES ('victim', 'x') RETURNING id");
      await db.query("INSERT INTO accounts (username, password_hash) VALUES ('judge', 'x')");
      await db.query("INSERT INTO accounts (username, password_hash) VALUES ('under_score', 'x'), ('underxscore', 'x')");
      [{ id: character }] = await db.query<{ id: number }>(
        "INSERT INTO characters (account_id, name, name_key, class_id, zone, x, y, hp) VALUES ($1, 'Vic', 'vic', 1, 'meadow', 1, 1, 10) RETURNING id",
        [account],
      );
    }, 120_000);

    afterAll(async () => {
      await db?.close();
      await dispose();
    });

    describe('BanList', () => {
      it('refuses a banned account until the ban ends, and survives a reload', async () => {
        const bans = await BanList.load(db);
        expect(bans.refusal(account, '10.0.0.1')).toBeUndefined();
        const now = Date.now();
        const ban = await bans.ban({ accountId: account }, 'botting', now + 60_000, account + 1);
        expect(ban).toMatchObject({ accountId: account, username: 'victim', address: null, createdBy: 'judge' });
        expect(bans.refusal(account, '10.0.0.1')).toMatch(/^banned until .* UTC: botting$/);
        expect(bans.refusal(account, '10.0.0.1', now + 61_000)).toBeUndefined();
        expect((await BanList.load(db)).refusal(account, '10.0.0.1')).toBeDefined();
        expect(bans.refusal(0, '10.0.0.1')).toBeUndefined();
        await bans.lift(ban.id, account + 1);
        expect(bans.refusal(account, '10.0.0.1')).toBeUndefined();
        expect((await BanList.load(db)).refusal(account, '10.0.0.1')).toBeUndefined();
        // Lifting twice finds nothing.
        expect(await bans.lift(ban.id, account + 1)).toBeUndefined();
      });

      it('bans an IPv6 address with its /64, and an IPv4-mapped address as IPv4', async () => {
        const bans = await BanList.load(db);
        const v6 = await bans.ban({ address: '2001:db8:1:2::99' }, 'flood', null, account + 1);
        expect(v6.address).toBe('2001:db8:1:2::/64');
        expect(bans.refusal(0, '2001:db8:1:2:ffff::1')).toBe('banned for good: flood');
        expect(bans.refusal(0, '2001:db8:1:3::1')).toBeUndefined();
        const v4 = await bans.ban({ address: '::ffff:192.0.2.7' }, 'flood', null, account + 1);
        expect(v4.address).toBe('192.0.2.7');
        expect(bans.refusal(0, '192.0.2.7')).toBeDefined();
        expect(keyOf('192.0.2.7')).toBe('192.0.2.7');
        // With two bans on one target, lifting one keeps the other in force.
        const a = await bans.ban({ address: '198.51.100.1' }, 'one', Date.now() + 60_000, account + 1);
        await bans.ban({ address: '198.51.100.1' }, 'two', null, account + 1);
        await bans.lift(a.id, account + 1);
        expect(bans.refusal(0, '198.51.100.1')).toBe('banned for good: two');
      });

      it('says what a ban is in at most 120 bytes (a close reason)', () => {
        expect(describeBan({ reason: 'x'.repeat(300), untilMs: null }).length).toBe(120);
      });
    });

    describe('MuteList', () => {
      it('mutes until a time, persisted; unknown characters are refused; unmute clears it', async () => {
        const mutes = await MuteList.load(db);
        expect(mutes.mutedUntil(character)).toBe(0);
        const until = Date.now() + 60_000;
        expect(await mutes.mute(character, until, 'shouting', account)).toBe(true);
        expect(mutes.mutedUntil(character)).toBe(until);
        expect((await MuteList.load(db)).mutedUntil(character)).toBe(until);
        expect((await mutes.list()).map((m) => m.name)).toEqual(['Vic']);
        expect(await mutes.mute(999_999, until, 'nobody', account)).toBe(false);
        expect(await mutes.unmute(character)).toBe(true);
        expect(mutes.mutedUntil(character)).toBe(0);
        expect(await mutes.unmute(character)).toBe(false);
      });

      it('forgets a mute once its time has passed', async () => {
        const mutes = await MuteList.load(db);
        await mutes.mute(character, Date.now() - 1, 'already over', account);
        expect(mutes.mutedUntil(character)).toBe(0);
        expect((await MuteList.load(db)).mutedUntil(character)).toBe(0);
      });
    });

    describe('admin store', () => {
      it('finds by name prefix with LIKE wildcards taken literally, and pages the audit log newest first', async () => {
        expect((await store.findAccounts(db, 'VIC', 10)).map((a) => a.username)).toEqual(['victim']);
        expect((await store.findAccounts(db, '%', 10))).toEqual([]);
        // "_" is a letter here, not LIKE's any-character.
        expect((await store.findAccounts(db, 'under_', 10)).map((a) => a.username)).toEqual(['under_score']);
        expect((await store.findAccounts(db, 'under', 10)).map((a) => a.username)).toEqual(['under_score', 'underxscore']);
        expect((await store.findAccounts(db, 'under\\', 10))).toEqual([]);
        expect((await store.findCharacters(db, 'v', 10)).map((c) => [c.name, c.username])).toEqual([['Vic', 'victim']]);
        expect(await store.setRole(db, 'JUDGE', 'moderator')).toMatchObject({ username: 'judge', role: 'moderator' });
        expect(await store.setRole(db, 'nobody', 'admin')).toBeUndefined();
        await expect(db.query("UPDATE accounts SET role = 'root' WHERE username = 'judge'")).rejects.toThrow();
        for (let i = 0; i < 5; i++) await store.writeAudit(db, { actorId: account, actor: 'victim', action: 'kick', target: `guest:${i}:x`, reason: `r${i}`, detail: { i } });
        const page = await store.listAudit(db, 3);
        expect(page.map((e) => e.reason)).toEqual(['r4', 'r3', 'r2']);
        expect(page[0]!.detail).toEqual({ i: 4 });
        expect((await store.listAudit(db, 3, page[2]!.id)).map((e) => e.reason)).toEqual(['r1', 'r0']);
      });
    });
  });
}
