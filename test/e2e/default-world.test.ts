/**
 * The default world as `npm start` serves it: data/ compiled (into a
 * temporary build folder), Emberwick and the Ashen Fields running with their
 * NPCs from the content. A guest walks from the town's spawn through the
 * town gate's portal into the field and back through the field's portal,
 * on one WebSocket, finding its way with A* on each zone's own map; its
 * health comes with it, and the field's spawn areas have spawned their NPCs.
 * Another walks into the field's wolf meadow and fights: targets a wolf,
 * auto-attacks and uses its class's first skill until the wolf dies, gains
 * experience, and goes on until it levels up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../src/content/zone-map.ts';
import { loadConfig } from '../../src/main/config.ts';
import { startTessera, type Tessera } from '../../src/main/start-tessera.ts';
import { prepareWorld } from '../../src/main/zones/content-world.ts';
import type { LoadedWorld } from '../../src/content/load-world.ts';
import { CombatEvent } from '../../src/protocol/combat-codes.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { EntityFlags, EntityKind, StatSlot } from '../../src/shared/layout.ts';
import { TestClient } from '../helpers/client.ts';
import { silentLog } from '../helpers/zone.ts';
import { centre, near, route, routeNear, walk } from './world-walk.ts';

describe('the default world', () => {
  let server: Tessera;
  let build: string;
  let content: LoadedWorld;
  const maps = new Map<string, ZoneMap>();

  beforeAll(async () => {
    build = mkdtempSync(join(tmpdir(), 'tessera-build-'));
    const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_BUILD_DIR: build });
    const loaded = prepareWorld(cfg, silentLog);
    if (!loaded) throw new Error('data/world.json is missing');
    content = loaded;
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

  it('a guest walks into the wolf meadow, fights wolves with auto-attacks and its first skill until they die, gains experience and levels up', async () => {
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, 'fighter', undefined, 0, server.contentHash ?? '');
    try {
      const town = maps.get('town')!;
      const field = maps.get('field')!;
      const cat = content.catalogue;
      // A guest plays the first class: the warrior, whose first skill is Heroic Strike (15 rage).
      const warrior = cat.classes[0];
      const strike = cat.skills.findIndex((k) => k.id === warrior.skills[0].skill) + 1;
      const strikeCost = cat.skills[strike - 1].cost;
      const wolf = cat.npcs.findIndex((n) => n.id === 'npc.wolf') + 1;
      await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'first snapshot');
      const start = c.positionOf(c.me)!;
      const gate = centre(town.portals.find((p) => p.zone === 'field')!);
      await walk(c, route(town, start.x, start.y, gate.x, gate.y), () => c.zoneChanges.length === 1, 'to the town gate');
      const arrival = field.points.find((p) => p.name === town.portals.find((q) => q.zone === 'field')!.target)!;
      await c.until(() => near(c.positionOf(c.me), arrival.x, arrival.y, 1), 5000, 'at the field arrival');
      const self = () => c.view.self!;
      const row = (id: number) => c.view.current.indexOf(id);
      const t = c.view.current;
      const alive = (id: number) => row(id) >= 0 && (t.flags[row(id)] & (EntityFlags.DEAD | EntityFlags.HIDDEN | EntityFlags.EVADING)) === 0;
      const at = (id: number) => ({ x: dequantise(c.view.current.x[row(id)]), y: dequantise(c.view.current.y[row(id)]) });
      /** The nearest wolf in view that can be fought, or -1. */
      const nearestWolf = (within: number) => {
        const v = c.view.current;
        const me = c.positionOf(c.me)!;
        let best = -1;
        let bestD = within;
        for (let i = 0; i < v.count; i++) {
          if (v.kind[i] !== EntityKind.NPC || v.template[i] !== wolf || !alive(v.ids[i])) continue;
          const d = Math.hypot(dequantise(v.x[i]) - me.x, dequantise(v.y[i]) - me.y);
          if (d < bestD) {
            bestD = d;
            best = v.ids[i];
          }
        }
        return best;
      };
      const meadow = field.spawnAreas.find((a) => a.npc === 'npc.wolf')!;
      const middle = centre(meadow);
      const toMeadow = async () => {
        const here = c.positionOf(c.me)!;
        await walk(c, routeNear(field, here.x, here.y, middle.x, middle.y), () => nearestWolf(10) >= 0, 'into the wolf meadow');
      };
      await toMeadow();
      const maxHpAtStart = c.view.current.maxHp[row(c.me)];
      expect(self().resource).toBe(2); // rage
      expect(self().knows(strike)).toBe(true);

      const deadline = Date.now() + 150_000;
      let target = -1;
      let lastMove = 0;
      while (c.view.current.level[row(c.me)] < 2) {
        if (Date.now() > deadline) throw new Error(`no level-up in time: ${self().xp} experience, ${c.seen(CombatEvent.DEATH).length} deaths seen`);
        await new Promise((r) => setTimeout(r, 100));
        if (row(c.me) < 0) continue;
        if ((c.view.current.flags[row(c.me)] & EntityFlags.DEAD) !== 0) {
          // Killed (several wolves at once): back to life at the zone's spawn, and to the meadow again.
          c.respawn();
          await c.until(() => (c.view.current.flags[row(c.me)] & EntityFlags.DEAD) === 0, 5000, 'respawned');
          target = -1;
          await toMeadow();
          continue;
        }
        if (target < 0 || !alive(target)) {
          target = nearestWolf(16);
          if (target < 0) {
            // None in sight (all dead, or out of view): wander on through the meadow.
            if (Date.now() - lastMove > 3000) {
              const here = c.positionOf(c.me)!;
              const path = routeNear(field, here.x, here.y, meadow.x + Math.random() * meadow.width, meadow.y + Math.random() * meadow.height);
              await walk(c, path.slice(0, 6), () => nearestWolf(10) >= 0, 'through the meadow').catch(() => {});
              lastMove = Date.now();
            }
            continue;
          }
          c.attack(target);
        }
        const me = c.positionOf(c.me)!;
        const w = at(target);
        if (Math.hypot(w.x - me.x, w.y - me.y) > 1.3) {
          if (Date.now() - lastMove > 250) {
            c.moveTo(w.x, w.y);
            lastMove = Date.now();
          }
        } else if (c.view.current.mana[row(c.me)] >= strikeCost && self().readyAt(strike) <= c.view.lastTick) {
          c.useSkill(strike, target);
        }
      }
      // It fought: hit wolves with its swings and its skill, killed at least one, was paid in experience.
      const mine = c.seen(CombatEvent.DAMAGE).filter((e) => e.source === c.me);
      expect(mine.some((e) => e.skill === 0)).toBe(true);
      expect(mine.some((e) => e.skill === strike)).toBe(true);
      const kills = c.seen(CombatEvent.DEATH).filter((e) => e.source === c.me);
      expect(kills.length).toBeGreaterThanOrEqual(1);
      const xp = c.seen(CombatEvent.EXPERIENCE);
      expect(xp.length).toBeGreaterThanOrEqual(3);
      expect(self().xp).toBe(xp.reduce((n, e) => n + e.amount, 0));
      expect(c.seen(CombatEvent.LEVEL_UP).filter((e) => e.target === c.me)).toEqual([expect.objectContaining({ amount: 2 })]);
      expect(self().xpLevel).toBe(warrior.experience[0]);
      expect(c.view.current.maxHp[row(c.me)]).toBeGreaterThan(maxHpAtStart);
      expect(c.errors).toEqual([]);
    } finally {
      c.close();
    }
  }, 240_000);
});

