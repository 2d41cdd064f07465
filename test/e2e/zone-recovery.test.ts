import { afterEach, describe, expect, it } from 'vitest';
import { CellSupervisor, type ZoneHandle } from '../../src/main/zones/supervisor.ts';
import { encodeHello } from '../../src/protocol/encode.ts';
import { CloseCode, ErrorCode } from '../../src/protocol/errors.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { indexOf } from '../../src/shared/entity-store.ts';
import { EntityKind, SlotState } from '../../src/shared/layout.ts';
import { TestClient } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';
import { silentLog, testZone } from '../helpers/zone.ts';

/** Handles of the live PLAYER entities in the zone's store. */
function playerEntities(zone: ZoneHandle): number[] {
  const { store } = zone.views;
  const out: number[] = [];
  for (let i = 0; i < store.capacity; i++) {
    if (Atomics.load(store.f.state, i) === SlotState.ALIVE && store.f.kind[i] === EntityKind.PLAYER) out.push(store.handleAt(i));
  }
  return out;
}

/** The gate's connection of a client, by its guest name. */
function connectionOf(server: Server, name: string) {
  return [...server.gate.connections.values()].find((c) => c.name === name);
}

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('a zone whose cell dies', () => {
  let server: Server | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
  });

  it('is restarted from the shared store while its players stay connected and keep playing', async () => {
    server = await startTestServer({ SPAWN_SPREAD: '0' }, {
      zones: [testZone({ width: 128, height: 128, cellCols: 2, cellRows: 1 }, { playerSpeed: 20, wanderers: 40 }, 0)],
    });
    const zone = server.supervisor.zones[0];
    const west = await TestClient.connect(server.url, 'west');
    const east = await TestClient.connect(server.url, 'east');
    clients.push(west, east);
    west.moveTo(40, 64);
    east.moveTo(90, 64);
    await west.until(() => west.positionOf(west.me)?.x === 40, 5000, 'west in place');
    await east.until(() => east.positionOf(east.me)?.x === 90, 5000, 'east in place');
    const live = zone.views.store.liveCount;

    await zone.workers[0].terminate();
    await west.until(() => !server!.supervisor.isReady(), 5000, 'zone down');
    await west.until(() => server!.supervisor.isReady(), 15_000, 'zone back');
    const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(res.status).toBe(200);

    // Same entities, same players, still connected, and they can still walk.
    expect(zone.views.store.liveCount).toBe(live);
    const lastTick = west.view.lastTick;
    west.moveTo(40, 80);
    east.moveTo(56, 70);
    await west.until(() => west.positionOf(west.me)?.y === 80, 10_000, 'west walks after recovery');
    await east.until(() => east.positionOf(east.me)?.x === 56, 10_000, 'east walks after recovery');
    expect(west.view.lastTick).toBeGreaterThan(lastTick);
    expect(west.positionOf(east.me)).toBeDefined();
    expect(west.closeCode).toBeUndefined();
    expect(east.closeCode).toBeUndefined();
    expect(west.welcome!.entity).toBe(west.me);
  });

  it('releases a connection that closed while its cell was down: no connection and no entity of it remain', async () => {
    server = await startTestServer({ SPAWN_SPREAD: '0' }, {
      zones: [testZone({ width: 128, height: 128, cellCols: 2, cellRows: 1 }, { wanderers: 20 }, 0)],
    });
    const zone = server.supervisor.zones[0];
    const stays = await TestClient.connect(server.url, 'stays');
    const leaves = await TestClient.connect(server.url, 'leaves');
    clients.push(stays, leaves);
    const conn = connectionOf(server, 'leaves')!;
    expect(conn.handle).toBe(leaves.me);
    expect(playerEntities(zone).sort()).toEqual([stays.me, leaves.me].sort());
    const live = zone.views.store.liveCount;

    // Kill the cell that owns the leaving player, and close it while the zone is down.
    await zone.workers[Atomics.load(zone.views.store.f.owner, indexOf(leaves.me))].terminate();
    expect(server.supervisor.isReady()).toBe(false);
    leaves.close();
    await stays.until(() => conn.phase === 'closed', 5000, 'the gate saw the close');
    expect(server.supervisor.isReady()).toBe(false); // it closed while the zone was down
    await stays.until(() => server!.supervisor.isReady(), 15_000, 'zone back');

    await stays.until(() => !server!.gate.connections.has(conn.id), 5000, 'the closed connection released');
    await stays.until(() => !zone.views.store.isValid(leaves.me), 5000, 'its entity gone');
    expect(conn.released).toBe(true);
    expect(playerEntities(zone)).toEqual([stays.me]);
    expect(zone.views.store.liveCount).toBe(live - 1);
    expect([...server.gate.connections.values()].map((c) => c.name)).toEqual(['stays']);
    expect(stays.closeCode).toBeUndefined();
  });

  it('gives a connection admitted while the zone is down, and one admitted while its cells restart, exactly one entity each', async () => {
    server = await startTestServer({ SPAWN_SPREAD: '0' }, {
      zones: [testZone({ width: 128, height: 128, cellCols: 2, cellRows: 1 }, { wanderers: 20 }, 0)],
    });
    const zone = server.supervisor.zones[0];
    const first = await TestClient.connect(server.url, 'first');
    clients.push(first);
    /** Opens a client and sends its hello; resolves once the gate admitted it (its JOIN is written). */
    const admit = async (name: string): Promise<TestClient> => {
      const c = new TestClient(server!.url);
      clients.push(c);
      await c.opened();
      c.ws.send(encodeHello(name, 0, AuthKind.GUEST));
      await c.until(() => connectionOf(server!, name)?.phase === 'joining', 5000, `${name} admitted`);
      return c;
    };

    await zone.workers[0].terminate();
    expect(server.supervisor.isReady()).toBe(false);
    // Admitted while the zone is down: its JOIN goes to a dead cell's ring, dropped by recovery and re-sent.
    const down = await admit('down');
    expect(server.supervisor.isReady()).toBe(false);
    // Admitted while restartZone runs (rings already discarded, new cells starting): its JOIN reaches
    // a new cell, and may be sent once more by recovery before the JOINED is seen.
    await first.until(() => zone.health.includes('starting'), 10_000, 'cells restarting');
    const restarting = await admit('restarting');
    expect(server.supervisor.isReady()).toBe(false);
    for (const c of [down, restarting]) {
      await c.until(() => c.welcome !== undefined || c.closeCode !== undefined, 15_000, 'welcome');
      expect(c.welcome).toBeDefined();
    }
    await first.until(() => server!.supervisor.isReady(), 15_000, 'zone back');
    // Let any JOIN re-sent around the restart be answered before counting.
    const t = Math.max(zone.tickOf(0), zone.tickOf(1));
    await first.until(() => Math.min(zone.tickOf(0), zone.tickOf(1)) >= t + 10, 5000, 'ten more ticks');

    expect(playerEntities(zone).sort()).toEqual([first.me, down.me, restarting.me].sort());
    expect(zone.views.store.liveCount).toBe(20 + 3);
    for (const [c, name] of [[down, 'down'], [restarting, 'restarting']] as const) {
      const conn = connectionOf(server, name)!;
      expect(conn.phase).toBe('playing');
      expect(conn.handle).toBe(c.me);
      // It plays: its own entity shows up in its snapshots.
      await c.until(() => c.positionOf(c.me) !== undefined, 5000, `${name} sees itself`);
      expect(c.closeCode).toBeUndefined();
    }
    expect(first.closeCode).toBeUndefined();
  });

  it('closes the players of a zone that fails past its restart budget with ZONE_DOWN (4011)', async () => {
    const supervisor = new CellSupervisor(silentLog, 2000, 10_000, { maxRestartsPerMinute: 1, restartTimeoutMs: 5000 });
    server = await startTestServer({ SPAWN_SPREAD: '0' }, {
      supervisor,
      // The first cells run; every restarted one dies at its third tick.
      zones: [testZone({ width: 128, height: 128, cellCols: 2, cellRows: 1 }, { wanderers: 20, fault: { kind: 'throw', afterTicks: 3, restartsOnly: true } }, 0)],
    });
    const zone = supervisor.zones[0];
    const a = await TestClient.connect(server.url, 'a');
    const b = await TestClient.connect(server.url, 'b');
    clients.push(a, b);
    let downs = 0;
    supervisor.on('zoneDown', () => downs++);

    await zone.workers[1].terminate();
    // Restart #1 (within the budget) dies again; the second failure is past the budget.
    expect(await a.waitClosed(20_000)).toBe(CloseCode.ZONE_DOWN);
    expect(await b.waitClosed(5000)).toBe(CloseCode.ZONE_DOWN);
    expect(downs).toBe(2);
    expect(zone.lost).toBe(true);
    expect(zone.restartTimes).toHaveLength(1);
    expect(a.errors.map((e) => e.op === 'error' && e.code)).toContain(ErrorCode.ZONE_DOWN);
    await a.until(() => server!.gate.connections.size === 0, 5000, 'no connection left');
    expect(supervisor.isReady()).toBe(false);

    // A newcomer is refused at once, not parked on the dead zone.
    await expect(TestClient.connect(server.url, 'late')).rejects.toThrow(/4011/);
    expect(server.gate.connections.size).toBe(0);
  });
});
