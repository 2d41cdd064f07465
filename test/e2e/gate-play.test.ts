import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';
import { testZone } from '../helpers/zone.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('playing through the gate', () => {
  let server: Server | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
  });

  it('two players on either side of a cell border see each other move', async () => {
    // 2x1 cells over 128 units: the border is x = 64.
    server = await startTestServer({ SPAWN_SPREAD: '0' }, { zones: [testZone({ width: 128, height: 128, cellCols: 2, cellRows: 1 }, { playerSpeed: 20 }, 0)] });
    const a = await TestClient.connect(server.url, 'west');
    const b = await TestClient.connect(server.url, 'east');
    clients.push(a, b);
    a.moveTo(58, 64);
    b.moveTo(70, 64);
    await a.until(() => near(a.positionOf(a.me), 58, 64) && near(a.positionOf(b.me), 70, 64), 5000, 'both in place, seen by west');
    await b.until(() => near(b.positionOf(a.me), 58, 64), 5000, 'west seen by east');
    expect(server.gate.connections.get(1)?.cell).toBe(0);
    expect(server.gate.connections.get(2)?.cell).toBe(1);
    // West walks north: east watches it move across its own view.
    a.moveTo(58, 50);
    await b.until(() => near(b.positionOf(a.me), 58, 50), 5000, 'east sees west move');
    b.moveTo(70, 78);
    await a.until(() => near(a.positionOf(b.me), 70, 78), 5000, 'west sees east move');
  });

  it('a player walking across every cell of a 2x2 zone gets a snapshot every tick, without gaps or duplicates', async () => {
    server = await startTestServer({ SPAWN_SPREAD: '0' }, {
      zones: [testZone({ width: 128, height: 128, cellCols: 2, cellRows: 2 }, { playerSpeed: 40, wanderers: 60 }, 0)],
    });
    const walker = await TestClient.connect(server.url, 'walker');
    clients.push(walker);
    const cellsVisited = new Set<number>();
    const route: [number, number][] = [[20, 20], [108, 20], [108, 108], [20, 108], [64, 64]];
    for (const [x, y] of route) {
      walker.moveTo(x, y);
      await walker.until(() => {
        cellsVisited.add(server!.gate.connections.get(1)!.cell);
        return near(walker.positionOf(walker.me), x, y);
      }, 10_000, `arrive at ${x},${y}`);
    }
    expect([...cellsVisited].sort()).toEqual([0, 1, 2, 3]);
    const snaps = walker.snapshots;
    expect(snaps.length).toBeGreaterThan(40);
    for (let i = 1; i < snaps.length; i++) {
      expect(snaps[i].tick, `tick after ${snaps[i - 1].tick}`).toBe(snaps[i - 1].tick + 1);
    }
    for (const s of snaps) {
      expect(new Set(s.ids).size, `duplicate entity at tick ${s.tick}`).toBe(s.ids.length);
      expect(s.ids).toContain(walker.me);
    }
    // Deltas, not full snapshots, carried the walk (handoffs included).
    const deltas = snaps.filter((s) => s.baseTick !== 0).length;
    expect(deltas / snaps.length).toBeGreaterThan(0.9);
  });

  it('runs several zones from ZONES, each with its own cells, guests entering the first', async () => {
    server = await startTestServer({ ZONES: 'meadow:128x128:2x1:10,crypt:64x64:1x1:5' });
    expect(server.supervisor.zones.map((z) => [z.spec.name, z.workers.length, z.views.store.liveCount])).toEqual([
      ['meadow', 2, 10],
      ['crypt', 1, 5],
    ]);
    expect(server.supervisor.isReady()).toBe(true);
    const c = await TestClient.connect(server.url, 'visitor');
    clients.push(c);
    expect(c.welcome!.zoneId).toBe(1);
    expect(c.welcome!.mapWidth).toBe(128);
  });

  it('answers ping with the client time and the server time', async () => {
    server = await startTestServer();
    const c = await TestClient.connect(server.url, 'pinger');
    clients.push(c);
    const pongs: { clientTime: number; serverTime: number }[] = [];
    const { decodeServerMessage } = await import('../../src/protocol/decode.ts');
    c.ws.on('message', (d: Buffer) => {
      const m = d[0] === 66 ? decodeServerMessage(d) : null;
      if (m?.op === 'pong') pongs.push(m);
    });
    const sent = c.ping();
    await c.until(() => pongs.length === 1, 3000, 'pong');
    expect(pongs[0].clientTime).toBe(sent);
    expect(Math.abs(pongs[0].serverTime - Date.now())).toBeLessThan(5000);
  });
});

function near(p: { x: number; y: number } | undefined, x: number, y: number): boolean {
  return p !== undefined && Math.abs(p.x - x) < 0.5 && Math.abs(p.y - y) < 0.5;
}
