/**
 * Zones and portals end to end: a whole server in this process with two
 * zones (meadow and crypt, drawn in code as zone packs), real WebSocket
 * clients speaking the real protocol. A player walks through a portal into
 * the other zone and back on one connection; a target that is full or not
 * served sends it back next to the portal; a character's zone is saved on
 * the change (embedded PGlite, as main.ts composes storage and accounts);
 * and the same trip on the compiled fixture world, whose maps are drawn in
 * Tiled (test/content/fixtures/world). Waits are bounded polls on what the
 * clients see, never sleeps. (A whole server in this process: kept beside the
 * gate's other tests so the gate's run covers it.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gateWorld } from '../../../src/main/accounts/gate-world.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import { PromGateMetrics } from '../../../src/main/metrics/gate.ts';
import { openPglite } from '../../../src/main/persistence/pglite-local.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';
import type { ZoneLaunch } from '../../../src/main/zones/supervisor.ts';
import { NoticeCode } from '../../../src/protocol/notices.ts';
import { AuthKind } from '../../../src/protocol/opcodes.ts';
import type { ZoneSpec } from '../../../src/shared/zone-memory.ts';
import { openAccountsAndStorage, type AccountsAndStorage } from '../../helpers/accounts-storage.ts';
import { TestClient } from '../../helpers/client.ts';
import { startTestServer } from '../../helpers/server.ts';
import { silentLog } from '../../helpers/zone.ts';
import { fieldPack, portal } from '../../helpers/zone-maps.ts';
import { copyWorld, type WorldCopy } from '../../content/build/world-fixture.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const TO_CRYPT = portal('to-crypt', 50, 30, 2, 2, 'crypt', 'entry');
const TO_NOWHERE = portal('to-nowhere', 20, 50, 2, 2, 'elsewhere', 'gate');
const TO_MEADOW = portal('to-meadow', 10, 20, 2, 2, 'meadow', 'from-crypt');
/** Where the crypt's arrivals stand: inside its own portal back (they must not bounce). */
const ENTRY = { name: 'entry', x: 11, y: 21 };
const FROM_CRYPT = { name: 'from-crypt', x: 46.5, y: 31 };

function spec(over: Partial<ZoneSpec> & Pick<ZoneSpec, 'id' | 'name' | 'width' | 'height'>): ZoneSpec {
  return { aoiTile: 16, cellCols: 1, cellRows: 1, capacity: 256, tickHz: 20, ...over };
}

/** meadow (64 × 64, two cells) and crypt (48 × 48), with a portal each way; `crypt` overrides the crypt's spec and cells. */
function twoZones(crypt: { capacity?: number; wanderers?: number } = {}): ZoneLaunch[] {
  return [
    {
      spec: spec({ id: 1, name: 'meadow', width: 64, height: 64, cellCols: 2 }),
      map: fieldPack('meadow', { width: 64, height: 64, portals: [TO_CRYPT, TO_NOWHERE], points: [FROM_CRYPT] }),
      cell: { playerSpeed: 20 },
    },
    {
      spec: spec({ id: 2, name: 'crypt', width: 48, height: 48, capacity: crypt.capacity ?? 256 }),
      map: fieldPack('crypt', { width: 48, height: 48, portals: [TO_MEADOW], points: [ENTRY] }),
      cell: { playerSpeed: 20, wanderers: crypt.wanderers ?? 0 },
    },
  ];
}

function near(p: { x: number; y: number } | undefined, x: number, y: number, within = 0.5): boolean {
  return p !== undefined && Math.abs(p.x - x) < within && Math.abs(p.y - y) < within;
}

/** Walks `c` into the meadow's portal to the crypt and waits for the zone change. */
async function throughToCrypt(c: TestClient): Promise<void> {
  const n = c.zoneChanges.length;
  c.moveTo(51, 31);
  await c.until(() => c.zoneChanges.length > n, 10_000, 'a zone change');
}

describe('zones and portals', () => {
  let server: Server | undefined;
  let onContent: Tessera | undefined;
  let world: WorldCopy | undefined;
  let store: AccountsAndStorage | undefined;
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
    await onContent?.close();
    onContent = undefined;
    world?.remove();
    world = undefined;
    await store?.close();
    store = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a player walks into the crypt and back on one connection, keeps its state, and is seen in each zone only while there', async () => {
    const metrics = new PromGateMetrics();
    server = await startTestServer({ SPAWN_SPREAD: '0' }, { zones: twoZones(), gateMetrics: metrics, contentHash: 'c0ffee' });
    // A watcher in the crypt (it goes through first and stands near the entry), one in the meadow at the spawn.
    const watcherB = await TestClient.connect(server.url, 'watcher-b');
    clients.push(watcherB);
    await throughToCrypt(watcherB);
    watcherB.moveTo(15, 25);
    await watcherB.until(() => near(watcherB.positionOf(watcherB.me), 15, 25), 5000, 'watcher b in place');
    const watcherA = await TestClient.connect(server.url, 'watcher-a');
    const walker = await TestClient.connect(server.url, 'walker');
    clients.push(watcherA, walker);
    expect(walker.welcome).toMatchObject({ zoneId: 1, contentHash: 'c0ffee' });
    await watcherA.until(() => watcherA.positionOf(walker.me) !== undefined, 5000, 'walker seen in the meadow');
    const meadowEntity = walker.me;
    expect(watcherB.view.current.count).toBe(1); // alone in the crypt

    // Into the crypt: a ZONE_CHANGE, then a full snapshot of the crypt with the walker at the entry.
    await throughToCrypt(walker);
    const [toCrypt] = walker.zoneChanges;
    expect(toCrypt).toMatchObject({ zoneId: 2, zoneName: 'crypt', mapWidth: 48, mapHeight: 48, tickHz: 20, aoiTile: 16, contentHash: 'c0ffee' });
    await walker.until(() => near(walker.positionOf(walker.me), ENTRY.x, ENTRY.y), 5000, 'walker at the crypt entry');
    const first = walker.snapshots.find((s) => s.zoneChanges === 1)!;
    expect(first.baseTick).toBe(0);
    expect(walker.hpOf(walker.me)).toBe(100);
    await watcherB.until(() => near(watcherB.positionOf(walker.me), ENTRY.x, ENTRY.y), 5000, 'walker seen arriving in the crypt');
    await watcherA.until(() => watcherA.view.current.count === 1, 5000, 'walker gone from the meadow');
    expect(watcherA.positionOf(meadowEntity)).toBeUndefined();

    // It arrived inside the crypt's portal back: it stays there (no bounce) for a second.
    const snapsInCrypt = walker.snapshots.length;
    await walker.until(() => walker.snapshots.length >= snapsInCrypt + 20, 5000, 'a second in the crypt');
    expect(walker.zoneChanges).toHaveLength(1);
    expect(watcherA.view.current.count).toBe(1);

    // Out of the portal and in again: back to the meadow, at the crypt's way out.
    walker.moveTo(15, 21);
    await walker.until(() => near(walker.positionOf(walker.me), 15, 21), 5000, 'out of the portal');
    walker.moveTo(11, 21);
    await walker.until(() => walker.zoneChanges.length === 2, 10_000, 'back to the meadow');
    expect(walker.zoneChanges[1]).toMatchObject({ zoneId: 1, zoneName: 'meadow', mapWidth: 64 });
    await walker.until(() => near(walker.positionOf(walker.me), FROM_CRYPT.x, FROM_CRYPT.y), 5000, 'walker at the meadow point');
    await watcherA.until(() => near(watcherA.positionOf(walker.me), FROM_CRYPT.x, FROM_CRYPT.y), 5000, 'walker seen back in the meadow');
    await watcherB.until(() => watcherB.view.current.count === 1, 5000, 'walker gone from the crypt');

    // Still one connection, never closed; snapshots in order within each zone; it can walk on.
    for (const c of [walker, watcherA, watcherB]) expect(c.closeCode).toBeUndefined();
    expect(walker.errors).toEqual([]);
    for (let i = 1; i < walker.snapshots.length; i++) {
      const [a, b] = [walker.snapshots[i - 1], walker.snapshots[i]];
      if (a.zoneChanges === b.zoneChanges) expect(b.tick).toBeGreaterThan(a.tick);
      else expect(b.baseTick).toBe(0); // each zone's first snapshot is a full one
    }
    walker.moveTo(40, 31);
    await walker.until(() => near(walker.positionOf(walker.me), 40, 31), 5000, 'walker walks on');
    expect(walker.hpOf(walker.me)).toBe(100);
    expect(server.gate.connections.size).toBe(3);
    expect(metrics.zoneChanges).toEqual(new Map([['meadow\0crypt', 2], ['crypt\0meadow', 1]]));
  });

  it('a full target zone, or one this server does not run, sends the player back next to the portal, told why and still connected (and stale content is told, not fatal)', async () => {
    const metrics = new PromGateMetrics();
    // Every entity slot of the crypt is taken by its own wanderers.
    server = await startTestServer({ SPAWN_SPREAD: '0' }, { zones: twoZones({ capacity: 16, wanderers: 16 }), gateMetrics: metrics, contentHash: 'new' });
    // A client with older content is told so after its WELCOME, and plays on.
    const stale = await TestClient.connect(server.url, 'stale', AuthKind.GUEST, 0, 'old');
    const walker = await TestClient.connect(server.url, 'walker', AuthKind.GUEST, 0, 'new');
    clients.push(stale, walker);
    await stale.until(() => stale.notices.length === 1, 5000, 'the stale content notice');
    expect(stale.notices[0].code).toBe(NoticeCode.CONTENT_STALE);
    expect(stale.closeCode).toBeUndefined();
    const before = walker.me;
    await throughToCrypt(walker);
    expect(walker.notices).toEqual([{ op: 'notice', code: NoticeCode.PORTAL_ZONE_FULL, message: 'zone crypt is full' }]);
    // Back in the meadow as a new entity, on its last spot outside the portal.
    expect(walker.zoneChanges[0]).toMatchObject({ zoneId: 1, zoneName: 'meadow' });
    await walker.until(() => walker.positionOf(walker.me) !== undefined, 5000, 'a snapshot back in the meadow');
    const back = walker.positionOf(walker.me)!;
    expect(back.x).toBeGreaterThan(48.5);
    expect(back.x).toBeLessThanOrEqual(50); // just outside (tile 49), within the 1/16 the wire quantises to
    expect(near(back, back.x, 31)).toBe(true);
    expect(walker.me).not.toBe(before);
    expect(metrics.portalRefusals.get('zone_full')).toBe(1);
    expect(metrics.zoneChanges.size).toBe(0);

    // A portal to a zone this process does not run: refused, told, and it stays.
    walker.moveTo(21, 51);
    await walker.until(() => walker.notices.length === 2 && walker.zoneChanges.length === 2, 10_000, 'the second refusal');
    expect(walker.notices[1].code).toBe(NoticeCode.PORTAL_UNAVAILABLE);
    expect(walker.notices[1].message).toMatch(/elsewhere/);
    expect(metrics.portalRefusals.get('zone_not_served')).toBe(1);
    await walker.until(() => walker.positionOf(walker.me) !== undefined, 5000, 'a snapshot after the second refusal');
    walker.moveTo(30, 40);
    await walker.until(() => near(walker.positionOf(walker.me), 30, 40), 5000, 'walker walks on');
    expect(walker.closeCode).toBeUndefined();
    expect(server.supervisor.zones[1].views.store.liveCount).toBe(16);
  });

  it("saves a character's new zone on the change, and it comes back there at its next login, hp and all", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-portal-'));
    dirs.push(dataDir);
    await seedPglite(join(dataDir, 'pglite')); // initdb-only template (helpers/pglite-template.ts)
    const db = await openPglite(join(dataDir, 'pglite'));
    store = await openAccountsAndStorage(
      { dataDir, saveIntervalMs: 60_000, tuning: { scryptLog2N: 10, hashThreads: 1, spawn: { zone: 'meadow', x: 32, y: 32, hp: 100 } } },
      db,
    );
    const p = store;
    server = await startTestServer(
      { SPAWN_SPREAD: '0', ALLOW_GUESTS: '0' },
      { zones: twoZones(), world: gateWorld(p.accounts, p.storage), handlers: [(req, res) => p.handleHttp(req, res)] },
    );
    const base = `http://127.0.0.1:${server.port}/api`;
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    expect((await post('/accounts', { username: 'traveller', password: 'password123' })).status).toBe(201);
    const token: string = (await post('/sessions', { username: 'traveller', password: 'password123' })).json.token;
    const made = await post('/characters', { name: 'Wayfarer', classId: 1 }, token);
    expect(made.status).toBe(201);
    const id: number = made.json.character.id;
    await db.query('UPDATE characters SET hp = 37 WHERE id = $1', [id]);

    const c = await TestClient.connect(server.url, token, AuthKind.TOKEN, id);
    clients.push(c);
    expect(c.welcome!.zoneId).toBe(1);
    // Its health comes with it (regenerating out of combat, from 37 up: never reset to full).
    const carried = (hp: number | undefined) => hp !== undefined && hp >= 37 && hp < 100;
    await c.until(() => carried(c.hpOf(c.me)), 5000, 'hp 37 in the meadow');
    await throughToCrypt(c);
    await c.until(() => near(c.positionOf(c.me), ENTRY.x, ENTRY.y), 5000, 'at the crypt entry');
    expect(carried(c.hpOf(c.me))).toBe(true);
    // Saved at once (the periodic save is a minute away): the row says crypt.
    const row = async () => (await db.query<{ zone: string; x: number; y: number; hp: number }>('SELECT zone, x, y, hp FROM characters WHERE id = $1', [id]))[0];
    const deadline = Date.now() + 5000;
    let saved = await row();
    while (saved.zone !== 'crypt' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      saved = await row();
    }
    expect(saved.zone).toBe('crypt');
    expect(carried(saved.hp)).toBe(true);
    expect(near(saved, ENTRY.x, ENTRY.y)).toBe(true);

    // Log out; the next login enters the crypt.
    c.close();
    await c.waitClosed();
    await c.until(() => server!.gate.connections.size === 0, 5000, 'the character released');
    const again = await TestClient.connect(server.url, token, AuthKind.TOKEN, id);
    clients.push(again);
    expect(again.welcome!.zoneId).toBe(2);
    await again.until(() => near(again.positionOf(again.me), ENTRY.x, ENTRY.y) && carried(again.hpOf(again.me)), 5000, 'back in the crypt');
    // It arrived standing in the crypt's portal back: it is not taken until it steps out and in.
    const n = again.snapshots.length;
    await again.until(() => again.snapshots.length >= n + 10, 5000, 'half a second in the crypt');
    expect(again.zoneChanges).toEqual([]);
  });

  it('on compiled content (maps drawn in Tiled): town to field and back, told the build\'s content hash', async () => {
    world = copyWorld();
    const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_DIR: world.dataDir, CONTENT_BUILD_DIR: world.buildDir });
    onContent = await startTessera(cfg, { log: silentLog, content: prepareWorld(cfg, silentLog) });
    const hash = onContent.contentHash!;
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    const c = await TestClient.connect(`ws://127.0.0.1:${onContent.port}/play`, 'tourist', AuthKind.GUEST, 0, hash);
    clients.push(c);
    expect(c.welcome).toMatchObject({ zoneId: 1, mapWidth: 12, mapHeight: 8, contentHash: hash });
    // town.tmx: portal to-field covers tiles (11, 2..3), to field's spawn "arrival" (2.5, 7.5); water at (8..9, 3..4).
    c.moveTo(7.5, 2.5);
    await c.until(() => near(c.positionOf(c.me), 7.5, 2.5), 5000, 'north of the water');
    c.moveTo(11.5, 2.5);
    await c.until(() => c.zoneChanges.length === 1, 10_000, 'into the field');
    expect(c.zoneChanges[0]).toMatchObject({ zoneName: 'field', mapWidth: 32, mapHeight: 16, contentHash: hash });
    await c.until(() => near(c.positionOf(c.me), 2.5, 7.5), 5000, 'at the field arrival');
    // field.tmx: portal to-town covers tile (2, 1), to town's spawn "start" (2.5, 3.5).
    c.moveTo(2.5, 1.5);
    await c.until(() => c.zoneChanges.length === 2, 10_000, 'back to town');
    expect(c.zoneChanges[1]).toMatchObject({ zoneName: 'town', zoneId: 1 });
    await c.until(() => near(c.positionOf(c.me), 2.5, 3.5), 5000, 'at the town start');
    expect(c.notices).toEqual([]);
  });
});
