/**
 * The default world as `npm start` serves it: data/ compiled (into a
 * temporary build folder), Emberwick and the Ashen Fields running with their
 * NPCs from the content. A guest walks from the town's spawn through the
 * town gate's portal into the field and back through the field's portal,
 * on one WebSocket, finding its way with A* on each zone's own map; its
 * health comes with it, and the field's spawn areas have spawned their NPCs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../src/content/zone-map.ts';
import { gameMapOf } from '../../src/content/zone-map.ts';
import { loadConfig } from '../../src/main/config.ts';
import { startTessera, type Tessera } from '../../src/main/start-tessera.ts';
import { prepareWorld } from '../../src/main/zones/content-world.ts';
import { EntityKind, StatSlot } from '../../src/shared/layout.ts';
import { Pathfinder } from '../../src/workers/pathfinding.ts';
import { TestClient } from '../helpers/client.ts';
import { silentLog } from '../helpers/zone.ts';

/** Corners of an A* path from (x, y) to the middle of `goal` on a zone's map (tile centres). */
function route(zone: ZoneMap, x: number, y: number, gx: number, gy: number): { x: number; y: number }[] {
  let corners: { x: number; y: number }[] | undefined;
  const finder = new Pathfinder(
    gameMapOf(zone),
    (_id, found, path, length) => {
      if (!found) return;
      corners = Array.from(path.subarray(0, length), (t) => ({ x: (t % zone.width) + 0.5, y: Math.floor(t / zone.width) + 0.5 }));
    },
    { maxNodes: 100_000, maxPath: 4096 },
  );
  finder.request(1, Math.floor(x), Math.floor(y), Math.floor(gx), Math.floor(gy));
  finder.step(1_000_000);
  if (!corners) throw new Error(`no path from ${x},${y} to ${gx},${gy} on ${zone.file}`);
  return corners;
}

/** Walks a client along a route, corner by corner (destination inputs), until `done`. */
async function walk(c: TestClient, corners: { x: number; y: number }[], done: () => boolean, what: string): Promise<void> {
  for (const p of corners) {
    if (done()) return;
    c.moveTo(p.x, p.y);
    await c.until(() => done() || near(c.positionOf(c.me), p.x, p.y, 0.3), 5000, `${what}: corner ${p.x},${p.y}`);
  }
  await c.until(done, 5000, what);
}

function near(p: { x: number; y: number } | undefined, x: number, y: number, within = 0.5): boolean {
  return p !== undefined && Math.hypot(p.x - x, p.y - y) <= within;
}

const centre = (r: { x: number; y: number; width: number; height: number }) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

describe('the default world', () => {
  let server: Tessera;
  let build: string;
  const maps = new Map<string, ZoneMap>();

  beforeAll(async () => {
    build = mkdtempSync(join(tmpdir(), 'tessera-build-'));
    const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_BUILD_DIR: build });
    const content = prepareWorld(cfg, silentLog);
    if (!content) throw new Error('data/world.json is missing');
    for (const z of content.zones) maps.set(z.name, decodeZonePack(new Uint8Array(z.pack)));
    server = await startTessera(cfg, { log: silentLog, content });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(build, { recursive: true, force: true });
  });

  it('spawns the NPCs of every spawn area and placement of both zones', async () => {
    const [town, field] = ['town', 'field'].map((n) => server.supervisor.zones.find((z) => z.spec.name === n)!);
    const npcs = (zone: typeof town) => {
      let n = 0;
      for (let c = 0; c < zone.views.geometry.cellCount; c++) n += zone.views.stats(c)[StatSlot.entitiesByKind + EntityKind.NPC];
      return n;
    };
    const expected = (name: string) => {
      const m = maps.get(name)!;
      return m.spawnAreas.reduce((a, s) => a + s.count, 0) + m.npcs.length;
    };
    const deadline = Date.now() + 10_000;
    while ((npcs(town) < expected('town') || npcs(field) < expected('field')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(npcs(town)).toBe(expected('town'));
    expect(npcs(field)).toBe(expected('field'));
    expect(expected('field')).toBeGreaterThan(20);
  });

  it('takes a guest from the town through the gate into the field and back on one connection, keeping its health', async () => {
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, 'wayfarer', undefined, 0, server.contentHash ?? '');
    try {
      const town = maps.get('town')!;
      const field = maps.get('field')!;
      expect(c.welcome).toMatchObject({ mapWidth: town.width, mapHeight: town.height });
      await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'first snapshot');
      const hp = c.hpOf(c.me);
      const start = c.positionOf(c.me)!;

      const toField = town.portals.find((p) => p.zone === 'field')!;
      const gate = centre(toField);
      await walk(c, route(town, start.x, start.y, gate.x, gate.y), () => c.zoneChanges.length === 1, 'to the town gate');
      expect(c.zoneChanges[0]).toMatchObject({ zoneName: 'field', mapWidth: field.width, mapHeight: field.height });
      const arrival = field.points.find((p) => p.name === toField.target) ?? field.spawnPoints.find((p) => p.name === toField.target)!;
      await c.until(() => near(c.positionOf(c.me), arrival.x, arrival.y, 1), 5000, 'at the field arrival');
      expect(c.hpOf(c.me)).toBe(hp);

      const toTown = field.portals.find((p) => p.zone === 'town')!;
      const back = centre(toTown);
      const here = c.positionOf(c.me)!;
      // The arrival may lie inside the portal back: a step out first, then in.
      await walk(c, [...route(field, here.x, here.y, arrival.x + 3, arrival.y), ...route(field, arrival.x + 3, arrival.y, back.x, back.y)], () => c.zoneChanges.length === 2, 'back to the field portal');
      expect(c.zoneChanges[1]).toMatchObject({ zoneName: 'town' });
      expect(c.hpOf(c.me)).toBe(hp);
      expect(c.notices).toEqual([]);
    } finally {
      c.close();
    }
  }, 90_000);
});
