/**
 * Quests over real WebSockets on the default world (its data copied, with
 * Wolves at the Gate asking for one wolf instead of six so the test stays
 * short): a guest speaks with Elder Maren in Emberwick and takes the quest,
 * walks into the Ashen Fields' wolf meadow and kills a wolf (the kill is
 * credited by the cell where the wolf died, counted and stored by the
 * coordinator), walks back and turns it in, and is paid its experience.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedWorld } from '../../src/content/load-world.ts';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../src/content/zone-map.ts';
import { loadConfig } from '../../src/main/config.ts';
import { startTessera, type Tessera } from '../../src/main/start-tessera.ts';
import { prepareWorld } from '../../src/main/zones/content-world.ts';
import { CombatEvent } from '../../src/protocol/combat-codes.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { QuestAction, QuestRefusal, QuestState } from '../../src/protocol/quest-codes.ts';
import { EntityFlags, EntityKind } from '../../src/shared/layout.ts';
import { TestClient } from '../helpers/client.ts';
import { silentLog } from '../helpers/zone.ts';
import { Registry } from 'prom-client';
import { registerWorldEventMetrics } from '../../src/main/metrics/world-events.ts';
import { centre, route, routeNear, walk } from '../helpers/world-walk.ts';

describe('quests on the default world', () => {
  let server: Tessera;
  let dir: string;
  let content: LoadedWorld;
  const maps = new Map<string, ZoneMap>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-quests-'));
    cpSync('data', join(dir, 'data'), { recursive: true });
    const file = join(dir, 'data', 'quests.json');
    const quests = JSON.parse(readFileSync(file, 'utf8'));
    quests.quests.find((q: { id: string }) => q.id === 'quest.wolves_at_the_gate').objectives[0].count = 1;
    writeFileSync(file, JSON.stringify(quests, null, 2));
    // The Barrow King rises as the server starts (instead of ten minutes in).
    const eventsFile = join(dir, 'data', 'events.json');
    const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
    events.events[0].schedule.offsetSeconds = 0;
    writeFileSync(eventsFile, JSON.stringify(events, null, 2));
    const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_DIR: join(dir, 'data'), CONTENT_BUILD_DIR: join(dir, 'build') });
    const loaded = prepareWorld(cfg, silentLog);
    if (!loaded) throw new Error('no world.json in the copy');
    content = loaded;
    for (const z of content.zones) maps.set(z.name, decodeZonePack(new Uint8Array(z.pack)));
    server = await startTessera(cfg, { log: silentLog, content });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the scheduled world event: the boss stands at its point, /api/world and the metrics say it runs', async () => {
    const cat = content.catalogue;
    const king = cat.npcs.findIndex((n) => n.id === 'npc.barrow_king') + 1;
    const throne = maps.get('field')!.points.find((p) => p.name === 'barrow_throne')!;
    const field = server.supervisor.zones.find((z) => z.spec.name === 'field')!;
    const f = field.views.store.f;
    const bossNear = () => {
      for (let i = 0; i < field.views.store.capacity; i++) {
        if (f.kind[i] === EntityKind.NPC && f.template[i] === king && (f.flags[i] & EntityFlags.DEAD) === 0 && Math.hypot(f.x[i] - throne.x, f.y[i] - throne.y) < 6) return true;
      }
      return false;
    };
    for (const end = Date.now() + 10_000; !bossNear() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    expect(bossNear()).toBe(true);
    const res = await fetch(`http://127.0.0.1:${server.port}/api/world`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { online: number; events: { id: string; running: boolean }[] };
    expect(body.events).toEqual([expect.objectContaining({ id: 'event.barrow_king_rises', running: true })]);
    expect((await fetch(`http://127.0.0.1:${server.port}/api/world`, { method: 'POST' })).status).toBe(405);
    const registry = new Registry();
    registerWorldEventMetrics(registry, () => server.gate.parts.events?.status() ?? []);
    expect(await registry.metrics()).toContain('tessera_world_event_running{event="event.barrow_king_rises",zone="field"} 1');
  });

  it('takes Wolves at the Gate from Elder Maren, kills a wolf for it, turns it in and is paid', async () => {
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, 'questor', undefined, 0, server.contentHash ?? '');
    try {
      const cat = content.catalogue;
      const town = maps.get('town')!;
      const field = maps.get('field')!;
      const quest = cat.quests.findIndex((q) => q.id === 'quest.wolves_at_the_gate');
      const template = (id: string) => cat.npcs.findIndex((n) => n.id === id) + 1;
      const elderAt = town.npcs.find((n) => n.npc === 'npc.elder_maren')!;
      const row = (id: number) => c.view.current.indexOf(id);
      const v = () => c.view.current;
      const alive = (id: number) => row(id) >= 0 && (v().flags[row(id)] & (EntityFlags.DEAD | EntityFlags.HIDDEN | EntityFlags.EVADING)) === 0;
      const at = (id: number) => ({ x: dequantise(v().x[row(id)]), y: dequantise(v().y[row(id)]) });
      /** The nearest live NPC of a template in view within `within` tiles, or -1. */
      const nearest = (tmpl: number, within: number) => {
        const me = c.positionOf(c.me)!;
        let best = -1;
        let bestD = within;
        for (let i = 0; i < v().count; i++) {
          if (v().kind[i] !== EntityKind.NPC || v().template[i] !== tmpl || !alive(v().ids[i])) continue;
          const d = Math.hypot(dequantise(v().x[i]) - me.x, dequantise(v().y[i]) - me.y);
          if (d < bestD) [best, bestD] = [v().ids[i], d];
        }
        return best;
      };
      const result = (n: number) => c.until(() => c.quests.filter((m) => m.op === 'questResult').length >= n, 5000, `quest result ${n}`);

      // The whole (empty) log comes after WELCOME.
      await c.until(() => c.quests.some((m) => m.op === 'questLog' && m.full), 5000, 'the quest log');
      await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'first snapshot');
      const toElder = async () => {
        const here = c.positionOf(c.me)!;
        await walk(c, routeNear(town, here.x, here.y, elderAt.x, elderAt.y), () => {
          const e = nearest(template('npc.elder_maren'), 3);
          return e >= 0;
        }, 'to Elder Maren');
        return nearest(template('npc.elder_maren'), 3);
      };
      let elder = await toElder();
      c.quest(QuestAction.ACCEPT, quest, elder);
      await result(1);
      expect(c.quests.filter((m) => m.op === 'questResult').at(-1)).toMatchObject({ reason: QuestRefusal.OK });
      expect(c.questEntry(quest)).toEqual({ quest, state: QuestState.ACTIVE, completions: 0, counts: [0] });
      c.quest(QuestAction.TURN_IN, quest, elder);
      await result(2);
      expect(c.quests.filter((m) => m.op === 'questResult').at(-1)).toMatchObject({ reason: QuestRefusal.NOT_COMPLETE });

      // Into the field, to the wolves.
      const here = c.positionOf(c.me)!;
      const gate = centre(town.portals.find((p) => p.zone === 'field')!);
      await walk(c, route(town, here.x, here.y, gate.x, gate.y), () => c.zoneChanges.length === 1, 'to the town gate');
      const meadow = centre(field.spawnAreas.find((a) => a.npc === 'npc.wolf')!);
      const wolf = template('npc.wolf');
      const toMeadow = async () => {
        const p = c.positionOf(c.me)!;
        await walk(c, routeNear(field, p.x, p.y, meadow.x, meadow.y), () => nearest(wolf, 10) >= 0, 'into the wolf meadow');
      };
      await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'in the field');
      await toMeadow();
      const deadline = Date.now() + 150_000;
      let target = -1;
      let lastMove = 0;
      while (c.questEntry(quest)?.state !== QuestState.READY) {
        if (Date.now() > deadline) throw new Error(`no wolf killed in time: ${JSON.stringify(c.questEntry(quest))}`);
        await new Promise((r) => setTimeout(r, 100));
        if (row(c.me) < 0) continue;
        if ((v().flags[row(c.me)] & EntityFlags.DEAD) !== 0) {
          c.respawn();
          await c.until(() => row(c.me) >= 0 && (v().flags[row(c.me)] & EntityFlags.DEAD) === 0, 5000, 'respawned');
          target = -1;
          await toMeadow();
          continue;
        }
        if (target < 0 || !alive(target)) {
          target = nearest(wolf, 16);
          if (target < 0) continue;
          c.attack(target);
        }
        const me = c.positionOf(c.me)!;
        const w = at(target);
        if (Math.hypot(w.x - me.x, w.y - me.y) > 1.3 && Date.now() - lastMove > 250) {
          c.moveTo(w.x, w.y);
          lastMove = Date.now();
        }
      }
      expect(c.questEntry(quest)).toEqual({ quest, state: QuestState.READY, completions: 0, counts: [1] });

      // Back to town (the field's portal), to the elder, and turn it in.
      const p = c.positionOf(c.me)!;
      const back = centre(field.portals.find((q) => q.zone === 'town')!);
      c.attack(0);
      await walk(c, routeNear(field, p.x, p.y, back.x, back.y), () => c.zoneChanges.length === 2, 'back to the field portal');
      await c.until(() => c.positionOf(c.me) !== undefined, 5000, 'in town');
      elder = await toElder();
      const xpBefore = c.view.self!.xp;
      c.quest(QuestAction.TURN_IN, quest, elder);
      await result(3);
      expect(c.quests.filter((m) => m.op === 'questResult').at(-1)).toMatchObject({ action: QuestAction.TURN_IN, reason: QuestRefusal.OK });
      expect(c.questEntry(quest)).toEqual({ quest, state: QuestState.DONE, completions: 1, counts: [] });
      const reward = cat.quests[quest].rewards.experience;
      await c.until(() => c.seen(CombatEvent.EXPERIENCE).some((e) => e.source === 0 && e.amount === reward), 5000, 'the reward');
      await c.until(() => c.view.self!.xp >= xpBefore + reward, 5000, 'experience in the self record');
      // Done once: not again.
      c.quest(QuestAction.ACCEPT, quest, elder);
      await result(4);
      expect(c.quests.filter((m) => m.op === 'questResult').at(-1)).toMatchObject({ reason: QuestRefusal.ALREADY_DONE });
      expect(c.errors).toEqual([]);
    } finally {
      c.close();
    }
  }, 300_000);
});
