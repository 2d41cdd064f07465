import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';
import { testZone } from '../helpers/zone.ts';

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
});
