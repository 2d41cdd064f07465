/**
 * Admin item grants and removals through the item ledger, on a whole world
 * with the default content (PGlite, accounts, the console, items, quests,
 * world events): a grant to a character in the world arrives in its client's
 * INVENTORY at once, a removal takes it away again; a grant to one offline
 * is stored and seen at its next login; each writes its ledger rows (the
 * reason naming the admin and why) and its audit row in one transaction, so
 * a refusal (unknown item, bad count, bag full, more than it carries) or a
 * player's or moderator's attempt changes no row; the item audit balances
 * throughout, and `npm run audit:items` passes on the database afterwards.
 * A world event's announcement arrives on the chat's SYSTEM channel.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditItems } from '../../src/main/items/audit.ts';
import { ItemCatalogue } from '../../src/main/items/catalogue.ts';
import { ChatChannel } from '../../src/protocol/chat-codes.ts';
import { Container, ItemOp } from '../../src/protocol/item-codes.ts';
import { NoticeCode } from '../../src/protocol/notices.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { call, newAccount, startAdminWorld, type AdminWorld } from '../helpers/admin-world.ts';
import { TestClient } from '../helpers/client.ts';

vi.setConfig({ testTimeout: 120_000 });

const ROOT = new URL('../../', import.meta.url).pathname;

let w: AdminWorld | undefined;
let tok: string;
let modTok: string;
let catalogue: ItemCatalogue;
const clients: TestClient[] = [];

const world = (): AdminWorld => w!;
const itemsPath = (id: number | string) => `/api/admin/characters/${id}/items`;
const number = (item: string) => catalogue.get(item)!.number;

/** Every row the ledger and the console write: equal before and after means nothing changed. */
async function rows(): Promise<Record<string, number>> {
  const [r] = await world().db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM item_instances) AS items, (SELECT COALESCE(sum(count), 0)::int FROM item_instances) AS units,
            (SELECT count(*)::int FROM item_ledger) AS ledger, (SELECT count(*)::int FROM gold_ledger) AS gold, (SELECT count(*)::int FROM admin_audit) AS audit`,
  );
  return r!;
}

async function balanced(): Promise<string[]> {
  return (await world().db.tx((q) => auditItems(q, catalogue))).problems;
}

/** The units of `item` a client's INVENTORY frames add up to. */
function held(c: TestClient, item: string): number {
  let n = 0;
  for (const it of c.itemsNow().values()) if (it.template === number(item) && it.container !== Container.GROUND) n += it.count;
  return n;
}

async function playing(prefix: string, name: string): Promise<{ c: TestClient; characterId: number; token: string }> {
  const a = await newAccount(world().base, prefix, name);
  const c = await TestClient.connect(world().url, a.token, AuthKind.TOKEN, a.characterId, world().tessera.contentHash ?? '');
  clients.push(c);
  await c.until(() => c.inventories.some((i) => i.full), 10_000, 'the first INVENTORY');
  return { c, characterId: a.characterId, token: a.token };
}

beforeAll(async () => {
  w = await startAdminWorld({}, { perAddressPer10s: 100_000, perAccountPer10s: 100_000, content: true });
  catalogue = new ItemCatalogue(w.content!.catalogue.items);
  const a = await newAccount(w.base, 'quartermaster');
  await w.roles('grant', a.username, 'admin');
  tok = a.token;
  const m = await newAccount(w.base, 'steward');
  await w.roles('grant', m.username, 'moderator');
  modTok = m.token;
}, 300_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await w?.close();
}, 60_000);

describe('admin item grants and removals', () => {
  it('grants to a character in the world: its INVENTORY shows them at once; the ledger and the audit log say who and why', async () => {
    const p = await playing('holder', 'Holder');
    const r = await call(world().base, 'POST', itemsPath(p.characterId), { body: { item: 'item.health_potion', count: 3, reason: 'lost in the outage' }, token: tok });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ characterId: p.characterId, name: 'Holder', item: 'item.health_potion', count: 3, online: true });
    await p.c.until(() => held(p.c, 'item.health_potion') === 3, 10_000, 'the potions in the client');
    const ledger = await world().db.query<{ reason: string; kind: string; count: number }>('SELECT reason, kind, count FROM item_ledger WHERE to_owner = $1', [p.characterId]);
    expect(ledger).toEqual([{ reason: expect.stringMatching(/^admin:quartermaster.*: lost in the outage$/), kind: 'created', count: 3 }]);
    const audit = (await call(world().base, 'GET', '/api/admin/audit', { token: tok })).json.entries[0];
    expect(audit).toMatchObject({ action: 'item.grant', target: `character:${p.characterId}:Holder`, reason: 'lost in the outage', detail: { item: 'item.health_potion', count: 3, online: true } });
    expect(world().admin.actionCounts().get('item.grant')).toBe(1);
    // The console's view of its items agrees.
    const inv = await call(world().base, 'GET', itemsPath(p.characterId), { token: modTok });
    expect(inv.json).toMatchObject({ characterId: p.characterId, online: true, items: [{ item: 'item.health_potion', count: 3, container: 'bag' }] });
    expect(await balanced()).toEqual([]);
  });

  it('removes from a character in the world through the ledger: its INVENTORY loses them; more than it carries changes nothing', async () => {
    const p = await playing('loser', 'Loser');
    expect((await call(world().base, 'POST', itemsPath(p.characterId), { body: { item: 'item.wolf_pelt', count: 25, reason: 'duplicated by a bug' }, token: tok })).status).toBe(201);
    await p.c.until(() => held(p.c, 'item.wolf_pelt') === 25, 10_000, 'the pelts in the client');
    const r = await call(world().base, 'POST', `${itemsPath(p.characterId)}/remove`, { body: { item: 'item.wolf_pelt', count: 22, reason: 'taking back the duplicates' }, token: tok });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ item: 'item.wolf_pelt', count: 22, online: true });
    await p.c.until(() => held(p.c, 'item.wolf_pelt') === 3, 10_000, 'the client sees 3 left');
    const taken = await world().db.query<{ n: number }>("SELECT COALESCE(sum(count), 0)::int AS n FROM item_ledger WHERE from_owner = $1 AND kind = 'destroyed' AND reason LIKE '%: taking back the duplicates'", [p.characterId]);
    expect(taken[0]!.n).toBe(22);
    const before = await rows();
    const tooMany = await call(world().base, 'POST', `${itemsPath(p.characterId)}/remove`, { body: { item: 'item.wolf_pelt', count: 4, reason: 'again' }, token: tok });
    expect(tooMany.status).toBe(409);
    expect(tooMany.json.error).toMatchObject({ code: 'not_enough_items', message: expect.stringContaining('carries 3') });
    const none = await call(world().base, 'POST', `${itemsPath(p.characterId)}/remove`, { body: { item: 'item.bear_meat', count: 1, reason: 'again' }, token: tok });
    expect(none.status).toBe(409);
    expect(await rows()).toEqual(before);
    expect(held(p.c, 'item.wolf_pelt')).toBe(3);
    expect((await call(world().base, 'GET', '/api/admin/audit', { token: tok })).json.entries[0]).toMatchObject({ action: 'item.remove', reason: 'taking back the duplicates' });
    expect(await balanced()).toEqual([]);
  });

  it('removes a worn item: gone from the client, and its cell stops counting its armor', async () => {
    const p = await playing('wearer', 'Wearer');
    expect((await call(world().base, 'POST', itemsPath(p.characterId), { body: { item: 'item.leather_jerkin', count: 1, reason: 'gift' }, token: tok })).status).toBe(201);
    await p.c.until(() => held(p.c, 'item.leather_jerkin') === 1, 10_000, 'the jerkin in the bag');
    await p.c.until(() => p.c.view.self != null, 10_000, 'the self record');
    const armor = p.c.view.self!.stat('armor');
    const jerkin = [...p.c.itemsNow().values()].find((it) => it.template === number('item.leather_jerkin'))!;
    const eq = p.c.item(ItemOp.EQUIP, jerkin.id, jerkin.version);
    await p.c.until(() => p.c.itemResult(eq) !== undefined, 10_000, 'the equip answered');
    expect(p.c.itemResult(eq)).toBe(0);
    await p.c.until(() => p.c.view.self!.stat('armor') === armor + 12, 10_000, 'armor with the jerkin');
    const r = await call(world().base, 'POST', `${itemsPath(p.characterId)}/remove`, { body: { item: 'item.leather_jerkin', count: 1, reason: 'granted by mistake' }, token: tok });
    expect(r.status).toBe(200);
    expect(r.json.removed).toEqual([jerkin.id]);
    await p.c.until(() => !p.c.itemsNow().has(jerkin.id), 10_000, 'the jerkin gone from the client');
    await p.c.until(() => p.c.view.self!.stat('armor') === armor, 10_000, 'armor without the jerkin');
    expect(await balanced()).toEqual([]);
  });

  it('grants to a character offline: stored, and its client sees it at the next login', async () => {
    const a = await newAccount(world().base, 'absent', 'Absent');
    const r = await call(world().base, 'POST', itemsPath(a.characterId), { body: { item: 'item.signet_ring', count: 1, reason: 'event prize' }, token: tok });
    expect(r.status).toBe(201);
    expect(r.json.online).toBe(false);
    const gone = await call(world().base, 'POST', itemsPath(a.characterId), { body: { item: 'item.bread', count: 5, reason: 'event prize' }, token: tok });
    expect(gone.status).toBe(201);
    expect((await call(world().base, 'POST', `${itemsPath(a.characterId)}/remove`, { body: { item: 'item.bread', count: 2, reason: 'too generous' }, token: tok })).status).toBe(200);
    const c = await TestClient.connect(world().url, a.token, AuthKind.TOKEN, a.characterId, world().tessera.contentHash ?? '');
    clients.push(c);
    await c.until(() => c.inventories.some((i) => i.full), 10_000, 'the first INVENTORY');
    expect(held(c, 'item.signet_ring')).toBe(1);
    expect(held(c, 'item.bread')).toBe(3);
    expect(await balanced()).toEqual([]);
  });

  it('refuses hostile input, a full bag, and players and moderators, with a clear 4xx and no row changed', async () => {
    const p = await playing('target', 'Target');
    const me = p.characterId;
    // Fill the bag with one-per-slot swords: 24 fit, a 25th does not.
    const full = await call(world().base, 'POST', itemsPath(me), { body: { item: 'item.rusty_sword', count: 25, reason: 'fill' }, token: tok });
    expect(full.status).toBe(409);
    expect(full.json.error.code).toBe('bag_full');
    expect((await call(world().base, 'POST', itemsPath(me), { body: { item: 'item.rusty_sword', count: 24, reason: 'fill' }, token: tok })).status).toBe(201);
    await p.c.until(() => held(p.c, 'item.rusty_sword') === 24, 10_000, 'a full bag in the client');
    const before = await rows();
    const long = 'x'.repeat(201);
    const cases: { path?: string; body?: unknown; raw?: string; token?: string; status: number; code?: string }[] = [
      { body: { item: 'item.health_potion', count: 1, reason: 'no room' }, status: 409, code: 'bag_full' },
      { body: { item: 'item.no_such_thing', count: 1, reason: 'x' }, status: 422, code: 'invalid_field' },
      { body: { item: "item.x'; DROP TABLE item_ledger; --", count: 1, reason: 'x' }, status: 422 },
      { body: { item: 42, count: 1, reason: 'x' }, status: 422 },
      { body: { item: 'i'.repeat(5000), count: 1, reason: 'x' }, status: 422 },
      { body: { count: 1, reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: 0, reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: -5, reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: 1.5, reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: '3', reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: 1001, reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: 2 ** 53, reason: 'x' }, status: 422 },
      { raw: '{"item":"item.bread","count":1e999,"reason":"x"}', status: 422 },
      { body: { item: 'item.bread', count: null, reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: 1 }, status: 422 },
      { body: { item: 'item.bread', count: 1, reason: long }, status: 422 },
      { body: { item: 'item.bread', count: 1, reason: 'bad\u0000' }, status: 422 },
      { body: ['item.bread', 1], status: 422 },
      { raw: '{"item":', status: 400 },
      { path: itemsPath(999_999), body: { item: 'item.bread', count: 1, reason: 'x' }, status: 404 },
      { path: itemsPath('abc'), body: { item: 'item.bread', count: 1, reason: 'x' }, status: 404 },
      { path: itemsPath('-1'), body: { item: 'item.bread', count: 1, reason: 'x' }, status: 404 },
      { path: itemsPath('99999999999'), body: { item: 'item.bread', count: 1, reason: 'x' }, status: 404 },
      { path: `${itemsPath(me)}/remove`, body: { item: 'item.rusty_sword', count: 0, reason: 'x' }, status: 422 },
      { path: `${itemsPath(me)}/remove`, body: { item: 'item.rusty_sword', count: 25, reason: 'x' }, status: 409, code: 'not_enough_items' },
      { path: `${itemsPath(me)}/remove`, body: { item: 'item.nope', count: 1, reason: 'x' }, status: 422 },
      { body: { item: 'item.bread', count: 1, reason: 'x' }, token: modTok, status: 403, code: 'forbidden' },
      { path: `${itemsPath(me)}/remove`, body: { item: 'item.rusty_sword', count: 1, reason: 'x' }, token: modTok, status: 403 },
      { body: { item: 'item.bread', count: 1, reason: 'x' }, token: p.token, status: 403 },
      { body: { item: 'item.bread', count: 1, reason: 'x' }, token: 'A'.repeat(43), status: 401 },
    ];
    for (const c of cases) {
      const r = await call(world().base, 'POST', c.path ?? itemsPath(me), {
        body: c.body,
        raw: c.raw,
        headers: c.raw ? { 'content-type': 'application/json' } : undefined,
        token: c.token ?? tok,
      });
      expect(r.status, `${c.path ?? ''} ${JSON.stringify(c.body ?? c.raw)}`).toBe(c.status);
      expect(r.json.error.message.length).toBeGreaterThan(0);
      if (c.code) expect(r.json.error.code).toBe(c.code);
    }
    expect((await call(world().base, 'GET', itemsPath(me), { token: p.token })).status).toBe(403);
    expect((await call(world().base, 'GET', itemsPath(999_999), { token: tok })).status).toBe(404);
    expect(await rows()).toEqual(before);
    expect(held(p.c, 'item.rusty_sword')).toBe(24);
    expect(await balanced()).toEqual([]);
  });

  it('lists the content items for the console', async () => {
    const r = await call(world().base, 'GET', '/api/admin/items', { token: modTok });
    expect(r.status).toBe(200);
    expect(r.json.items).toContainEqual({ id: 'item.health_potion', kind: 'consumable', stackSize: 20 });
    expect(r.json.items).toHaveLength(world().content!.catalogue.items.length);
  });
});

describe('world event announcements', () => {
  it('arrive on the chat SYSTEM channel of the event zone (and as the WORLD_EVENT banner)', async () => {
    const p = await playing('watcher', 'Watcher');
    const event = world().content!.catalogue.events[0]!;
    // To the event's zone (the default world starts in town).
    expect((await call(world().base, 'POST', '/api/admin/teleport', { body: { characterId: p.characterId, zone: event.map, x: 20.5, y: 20.5, reason: 'to watch the event' }, token: tok })).status).toBe(200);
    await p.c.until(() => p.c.zoneChanges.length === 1, 15_000, 'in the event zone');
    // A made-up clock past the event's start: its announcements up to the start are due.
    world().tessera.gate.parts.events!.tick(Date.now() + 2 * 3600_000);
    const first = event.announcements[0]!.text;
    await p.c.until(() => p.c.heard(ChatChannel.SYSTEM).some((l) => l.text === first), 10_000, 'the announcement on chat');
    expect(p.c.heard(ChatChannel.SYSTEM).find((l) => l.text === first)).toMatchObject({ channel: ChatChannel.SYSTEM, name: '' });
    await p.c.until(() => p.c.notices.some((n) => n.code === NoticeCode.WORLD_EVENT && n.message === first), 10_000, 'the banner');
  });
});

describe('npm run audit:items', () => {
  it('passes on the database after the grants and removals', async () => {
    const dir = world().dataDir;
    // The embedded database opens in one process at a time: the world closes first, keeping its files.
    await w!.close({ keepData: true });
    w = undefined;
    try {
      // The script's own command, on this Node (npm's shell would find the system's older one).
      const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['audit:items']!;
      expect(script).toBe('node src/main/items/audit-cli.ts');
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, CONTENT_BUILD_DIR: join(dir, 'build') };
      delete env.DATABASE_URL;
      const run = await promisify(execFile)(process.execPath, script.split(' ').slice(1), { cwd: ROOT, env });
      expect(run.stdout).toMatch(/^audit:items OK: \d+ items, \d+ ledger rows, \d+ characters/);
      expect(Number(/OK: (\d+) items/.exec(run.stdout)![1])).toBeGreaterThan(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
