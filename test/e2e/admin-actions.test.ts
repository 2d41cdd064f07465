/**
 * Each admin action has its effect on real WebSocket clients of a whole
 * world (PGlite, accounts, gate, two cells): a kick closes with KICKED and
 * the reason; a teleport is seen at the new place by the client itself
 * (across the cell border, and to another player); an announcement arrives
 * as a NOTICE; a mute is persisted; an account ban closes the player and is
 * refused at login and at the gate, an address ban too, and lifting it lets
 * them back; a zone restart keeps its players.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MuteList } from '../../src/main/moderation/mute-list.ts';
import { CloseCode, ErrorCode } from '../../src/protocol/errors.ts';
import { encodeHello } from '../../src/protocol/encode.ts';
import { NoticeCode } from '../../src/protocol/notices.ts';
import { ChatChannel } from '../../src/protocol/chat-codes.ts';
import { AuthKind, PROTOCOL_VERSION } from '../../src/protocol/opcodes.ts';
import { call, newAccount, startAdminWorld, type AdminWorld } from '../helpers/admin-world.ts';
import { TestClient } from '../helpers/client.ts';

vi.setConfig({ testTimeout: 120_000 });

let w: AdminWorld;
let tok: string;
const clients: TestClient[] = [];

function letters(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + Math.floor(Math.random() * 26));
  return s;
}

async function guest(name: string, localAddress?: string): Promise<TestClient> {
  if (!localAddress) {
    const c = await TestClient.connect(w.url, name);
    clients.push(c);
    return c;
  }
  const c = new TestClient(w.url, localAddress);
  clients.push(c);
  await c.opened();
  c.ws.send(encodeHello(name, 0, AuthKind.GUEST, PROTOCOL_VERSION, ''));
  await c.until(() => c.welcome !== undefined || c.closeCode !== undefined, 20_000, 'welcome or close');
  return c;
}

async function player(prefix: string): Promise<{ c: TestClient; username: string; password: string; characterId: number; name: string; token: string }> {
  const name = `${prefix}${letters(6)}`;
  const a = await newAccount(w.base, prefix.toLowerCase(), name);
  const c = await TestClient.connect(w.url, a.token, AuthKind.TOKEN, a.characterId);
  clients.push(c);
  return { c, ...a, name };
}

/** The live connection id of a player, found by name through the API as the console does. */
async function connOf(name: string): Promise<number> {
  let conn = 0;
  await expect
    .poll(async () => {
      const r = await call(w.base, 'GET', `/api/admin/live?name=${encodeURIComponent(name)}`, { token: tok });
      const p = r.json.players.find((x: any) => x.name === name && x.x !== null);
      conn = p?.conn ?? 0;
      return conn;
    }, { timeout: 20_000 })
    .toBeGreaterThan(0);
  return conn;
}

async function audit(): Promise<any[]> {
  return (await call(w.base, 'GET', '/api/admin/audit', { token: tok })).json.entries;
}

beforeAll(async () => {
  // Two zones: meadow (two cells) and a small crypt, for teleports across zones.
  w = await startAdminWorld({ HEARTBEAT_MS: '1000', ZONES: 'meadow:256x256:2x1:0,crypt:64x64:1x1:0' }, { perAddressPer10s: 100_000, perAccountPer10s: 100_000 });
  const a = await newAccount(w.base, 'boss');
  await w.roles('grant', a.username, 'admin');
  tok = a.token;
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await w?.close();
}, 60_000);

describe('admin actions on live players', () => {
  it('lists a guest with its position, cell and connection figures, and finds it by name', async () => {
    const g = await guest('Wanderer');
    const conn = await connOf('Wanderer');
    const live = await call(w.base, 'GET', '/api/admin/live?zone=meadow', { token: tok });
    expect(live.json.online).toBeGreaterThanOrEqual(1);
    const p = live.json.players.find((x: any) => x.conn === conn);
    const mine = g.positionOf(g.me)!;
    expect(Math.abs(p.x - mine.x)).toBeLessThan(2);
    expect(p).toMatchObject({ zone: 'meadow', characterId: 0, phase: 'playing' });
    expect(p.bytesOut).toBeGreaterThan(0);
    expect(p.bytesIn).toBeGreaterThan(0);
    // The gate's heartbeat (1 s here) measures the round trip.
    await expect.poll(async () => (await call(w.base, 'GET', '/api/admin/live?name=Wanderer', { token: tok })).json.players[0]?.rttMs, { timeout: 10_000 }).toBeGreaterThanOrEqual(0);
    expect(live.json.zones.map((z: any) => z.name)).toEqual(['meadow', 'crypt']);
    const z = live.json.zones[0];
    expect(z).toMatchObject({ name: 'meadow', restarts: 0, lost: false });
    expect(z.cells).toHaveLength(2);
    expect(z.cells.every((c: any) => c.health === 'running')).toBe(true);
    expect(z.entities.player).toBeGreaterThanOrEqual(1);
    expect(z.tickP99Ms).toBeGreaterThan(0);
    const found = await call(w.base, 'GET', '/api/admin/find?q=wander', { token: tok });
    expect(found.json.online.map((x: any) => x.conn)).toContain(conn);
  });

  it('kicks a player: closed with KICKED and the reason, and the kick is in the audit log', async () => {
    const g = await guest('Griefer');
    const conn = await connOf('Griefer');
    const r = await call(w.base, 'POST', '/api/admin/kick', { body: { conn, reason: 'spamming the square' }, token: tok });
    expect(r.status).toBe(200);
    expect(await g.waitClosed(10_000)).toBe(CloseCode.KICKED);
    expect(g.closeReason).toBe('spamming the square');
    expect((await audit())[0]).toMatchObject({ action: 'kick', target: `guest:${conn}:Griefer`, reason: 'spamming the square' });
    expect(w.admin.actionCounts().get('kick')).toBe(1);
    // Gone: a second kick finds nobody (and nothing is counted).
    expect((await call(w.base, 'POST', '/api/admin/kick', { body: { conn, reason: 'again' }, token: tok })).status).toBe(409);
    expect(w.admin.actionCounts().get('kick')).toBe(1);
  });

  it('teleports a character across the cell border, seen there by its own client and saved there', async () => {
    const p = await player('Lost');
    await p.c.until(() => p.c.positionOf(p.c.me) !== undefined, 10_000, 'own position');
    const r = await call(w.base, 'POST', '/api/admin/teleport', { body: { characterId: p.characterId, x: 200.5, y: 60.5, reason: 'stuck in a wall' }, token: tok });
    expect(r.status).toBe(200);
    await p.c.until(() => {
      const at = p.c.positionOf(p.c.me);
      return at !== undefined && Math.hypot(at.x - 200.5, at.y - 60.5) < 3;
    }, 15_000, 'the client sees itself at the new place');
    // The gate follows it into the other cell (MOVED), and the live view shows it there.
    await expect
      .poll(async () => (await call(w.base, 'GET', `/api/admin/live?name=${p.name}`, { token: tok })).json.players[0]?.cell, { timeout: 10_000 })
      .toBe(1);
    expect((await audit())[0]).toMatchObject({ action: 'teleport', reason: 'stuck in a wall', detail: { zone: 'meadow', x: 200.5, y: 60.5 } });
    // Nothing bypasses the saves: once it logs out, its row is where it was put.
    p.c.close();
    await expect
      .poll(async () => {
        const [row] = await w.db.query<{ x: number; y: number }>('SELECT x, y FROM characters WHERE id = $1', [p.characterId]);
        return Math.hypot(row!.x - 200.5, row!.y - 60.5) < 3;
      }, { timeout: 15_000 })
      .toBe(true);
  });

  it('teleports one player to another', async () => {
    const a = await player('Seeker');
    const b = await guest('Beacon');
    const bConn = await connOf('Beacon');
    const aConn = await connOf(a.name);
    const there = b.positionOf(b.me)!;
    const r = await call(w.base, 'POST', '/api/admin/teleport', { body: { conn: aConn, toConn: bConn, reason: 'join the event' }, token: tok });
    expect(r.status).toBe(200);
    await a.c.until(() => {
      const at = a.c.positionOf(a.c.me);
      return at !== undefined && Math.hypot(at.x - there.x, at.y - there.y) < 3;
    }, 15_000, 'next to the other player');
    // And the other client sees it arrive next to itself.
    await b.until(() => b.positionOf(a.c.me) !== undefined, 15_000, 'the other sees it');
  });

  it('teleports a character to a point of another zone: a ZONE_CHANGE, seen there, listed there; and to a player there', async () => {
    const p = await player('Traveller');
    await p.c.until(() => p.c.positionOf(p.c.me) !== undefined, 10_000, 'own position');
    const r = await call(w.base, 'POST', '/api/admin/teleport', { body: { characterId: p.characterId, zone: 'crypt', x: 30.5, y: 20.5, reason: 'escort to the crypt' }, token: tok });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ zone: 'crypt', x: 30.5, y: 20.5 });
    await p.c.until(() => p.c.zoneChanges.length === 1, 15_000, 'zone change');
    expect(p.c.zoneChanges[0]).toMatchObject({ zoneName: 'crypt', mapWidth: 64 });
    await p.c.until(() => {
      const at = p.c.positionOf(p.c.me);
      return at !== undefined && Math.hypot(at.x - 30.5, at.y - 20.5) < 3;
    }, 15_000, 'seen at the point in the crypt');
    await expect
      .poll(async () => (await call(w.base, 'GET', `/api/admin/live?zone=crypt&name=${p.name}`, { token: tok })).json.players[0]?.zone, { timeout: 10_000 })
      .toBe('crypt');
    // A player in the meadow sent to the traveller: across zones too.
    const q = await player('Follower');
    await q.c.until(() => q.c.positionOf(q.c.me) !== undefined, 10_000, 'own position');
    const to = await call(w.base, 'POST', '/api/admin/teleport', { body: { characterId: q.characterId, toCharacterId: p.characterId, reason: 'join the escort' }, token: tok });
    expect(to.status).toBe(200);
    await q.c.until(() => q.c.zoneChanges.length === 1 && q.c.positionOf(p.c.me) !== undefined, 15_000, 'next to the traveller in the crypt');
    // Off the target zone's map: refused before anything is written.
    const audits = (await audit()).length;
    const off = await call(w.base, 'POST', '/api/admin/teleport', { body: { characterId: p.characterId, zone: 'meadow', x: 300, y: 5, reason: 'x' }, token: tok });
    expect(off.status).toBe(422);
    expect((await audit()).length).toBe(audits);
  });

  it('announces to everyone and to one zone: a NOTICE ANNOUNCEMENT (the banner) and a line on the chat SYSTEM channel', async () => {
    const a = await guest('Listener');
    const all = await call(w.base, 'POST', '/api/admin/announce', { body: { message: 'Restart in 5 minutes ✨' }, token: tok });
    expect(all.status).toBe(200);
    expect(all.json.told).toBeGreaterThanOrEqual(1);
    await a.until(() => a.notices.some((n) => n.code === NoticeCode.ANNOUNCEMENT && n.message === 'Restart in 5 minutes ✨'), 10_000, 'announcement');
    await a.until(() => a.heard(ChatChannel.SYSTEM).some((l) => l.text === 'Restart in 5 minutes ✨'), 10_000, 'announcement as a system chat line');
    expect(a.heard(ChatChannel.SYSTEM).find((l) => l.text === 'Restart in 5 minutes ✨')).toMatchObject({ channel: ChatChannel.SYSTEM, name: '' });
    // A player in the crypt hears the zone's announcement neither as a notice nor on chat; the meadow's players do.
    const far = await player('Hermit');
    await far.c.until(() => far.c.positionOf(far.c.me) !== undefined, 10_000, 'own position');
    expect((await call(w.base, 'POST', '/api/admin/teleport', { body: { characterId: far.characterId, zone: 'crypt', x: 30.5, y: 20.5, reason: 'away' }, token: tok })).status).toBe(200);
    await far.c.until(() => far.c.zoneChanges.length === 1, 15_000, 'in the crypt');
    const zone = await call(w.base, 'POST', '/api/admin/announce', { body: { message: 'meadow only', zone: 'meadow' }, token: tok });
    expect(zone.status).toBe(200);
    await a.until(() => a.notices.some((n) => n.message === 'meadow only'), 10_000, 'zone announcement');
    await a.until(() => a.heard(ChatChannel.SYSTEM).some((l) => l.text === 'meadow only'), 10_000, 'zone announcement on chat');
    expect((await audit())[0]).toMatchObject({ action: 'announce', target: 'zone:meadow', reason: 'meadow only' });
    // The crypt's announcement reaches the hermit; once it has, the meadow's would have too had it been sent there.
    expect((await call(w.base, 'POST', '/api/admin/announce', { body: { message: 'crypt only', zone: 'crypt' }, token: tok })).status).toBe(200);
    await far.c.until(() => far.c.heard(ChatChannel.SYSTEM).some((l) => l.text === 'crypt only'), 10_000, 'crypt announcement on chat');
    expect(far.c.heard(ChatChannel.SYSTEM).map((l) => l.text)).not.toContain('meadow only');
    expect(far.c.notices.map((n) => n.message)).not.toContain('meadow only');
  });

  it('mutes a character for a time, persisted, and lifts it', async () => {
    const p = await player('Shouter');
    const r = await call(w.base, 'POST', '/api/admin/mutes', { body: { characterId: p.characterId, minutes: 30, reason: 'caps lock' }, token: tok });
    expect(r.status).toBe(201);
    const until = w.admin.mutes.mutedUntil(p.characterId);
    expect(until).toBeGreaterThan(Date.now() + 29 * 60_000);
    // Persisted: a list loaded afresh from the database (as after a restart) has it.
    expect((await MuteList.load(w.db)).mutedUntil(p.characterId)).toBe(until);
    expect((await call(w.base, 'GET', '/api/admin/mutes', { token: tok })).json.mutes.map((m: any) => m.characterId)).toContain(p.characterId);
    expect((await call(w.base, 'DELETE', `/api/admin/mutes/${p.characterId}?reason=served`, { token: tok })).status).toBe(204);
    expect(w.admin.mutes.mutedUntil(p.characterId)).toBe(0);
    expect((await MuteList.load(w.db)).mutedUntil(p.characterId)).toBe(0);
  });

  it('bans an account: the player is closed, refused at login and at the gate; lifted, both work again', async () => {
    const p = await player('Cheater');
    const r = await call(w.base, 'POST', '/api/admin/bans', { body: { username: p.username, minutes: 60, reason: 'speed hack' }, token: tok });
    expect(r.status).toBe(201);
    expect(r.json.closed).toBe(1);
    expect(await p.c.waitClosed(10_000)).toBe(CloseCode.BANNED);
    expect(p.c.closeReason).toMatch(/^banned until .*: speed hack$/);
    const login = await call(w.base, 'POST', '/api/sessions', { body: { username: p.username, password: p.password } });
    expect(login.status).toBe(403);
    expect(login.json.error).toMatchObject({ code: 'banned', message: expect.stringContaining('speed hack') });
    // The token it had before the ban is refused at the handshake.
    const again = new TestClient(w.url);
    clients.push(again);
    await again.opened();
    again.ws.send(encodeHello(p.token, p.characterId, AuthKind.TOKEN, PROTOCOL_VERSION, ''));
    expect(await again.waitClosed(10_000)).toBe(CloseCode.BANNED);
    expect(again.errors[0]).toMatchObject({ code: ErrorCode.AUTH_FAILED });
    const bans = (await call(w.base, 'GET', '/api/admin/bans', { token: tok })).json.bans;
    const ban = bans.find((b: any) => b.username === p.username);
    expect(ban).toMatchObject({ reason: 'speed hack', address: null });
    expect((await call(w.base, 'POST', `/api/admin/bans/${ban.id}/lift`, { body: { reason: 'appeal accepted' }, token: tok })).status).toBe(200);
    expect((await call(w.base, 'POST', '/api/sessions', { body: { username: p.username, password: p.password } })).status).toBe(201);
    const back = await TestClient.connect(w.url, p.token, AuthKind.TOKEN, p.characterId);
    clients.push(back);
    expect(back.welcome).toBeDefined();
    expect((await audit()).slice(0, 2).map((e) => e.action)).toEqual(['ban.lift', 'ban']);
  });

  it('bans an address for good: its guests are closed and refused, its logins refused; other addresses are not', async () => {
    const before = await guest('FromThree', '127.0.0.3');
    expect(before.welcome).toBeDefined();
    const r = await call(w.base, 'POST', '/api/admin/bans', { body: { address: '127.0.0.3', forGood: true, reason: 'bot farm' }, token: tok });
    expect(r.status).toBe(201);
    expect(r.json.ban).toMatchObject({ address: '127.0.0.3', untilMs: null });
    expect(await before.waitClosed(10_000)).toBe(CloseCode.BANNED);
    const refused = await guest('FromThreeAgain', '127.0.0.3');
    expect(refused.closeCode).toBe(CloseCode.BANNED);
    expect(refused.closeReason).toBe('banned for good: bot farm');
    const acct = await newAccount(w.base, 'innocent');
    const login = await call(w.base, 'POST', '/api/sessions', { body: { username: acct.username, password: acct.password }, localAddress: '127.0.0.3' });
    expect(login.status).toBe(403);
    expect((await call(w.base, 'POST', '/api/sessions', { body: { username: acct.username, password: acct.password }, localAddress: '127.0.0.4' })).status).toBe(201);
    const other = await guest('FromFour', '127.0.0.4');
    expect(other.welcome).toBeDefined();
  });

  it('restarts a zone on purpose: its players stay connected and it counts the restart', async () => {
    const g = await guest('Survivor');
    await connOf('Survivor');
    const r = await call(w.base, 'POST', '/api/admin/zones/meadow/restart', { body: { reason: 'memory creeping up' }, token: tok });
    expect(r.status).toBe(202);
    await expect
      .poll(async () => {
        const z = (await call(w.base, 'GET', '/api/admin/live', { token: tok })).json.zones[0];
        return z.restarts === 1 && z.cells.every((c: any) => c.health === 'running');
      }, { timeout: 30_000 })
      .toBe(true);
    const seen = g.snapshots.length;
    await g.until(() => g.snapshots.length > seen + 5, 15_000, 'snapshots after the restart');
    expect(g.closeCode).toBeUndefined();
    expect((await audit())[0]).toMatchObject({ action: 'zone.restart', target: 'zone:meadow', reason: 'memory creeping up' });
  });
});
