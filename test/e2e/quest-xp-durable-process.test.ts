/**
 * A quest's experience is paid exactly once across a SIGKILL of the whole
 * server process (`node src/main/main.ts`), on the default world's data with
 * two quests added that Elder Maren gives and takes back at once (a talk
 * with her): one paying experience only (the plain turn-in), one paying
 * gold too (the turn-in inside the items' transaction).
 *
 * 1. The server runs with TESSERA_HOLD_REWARDS (test only): the turn-in is
 *    stored, the player told QUEST_RESULT OK, but the REWARD never leaves
 *    the coordinator. The test SIGKILLs the process the moment that answer
 *    arrives: the experience is in no checkpoint and in no save, only in
 *    the stored row of the turn-in.
 * 2. Started again (rewards sent as usual): the player logs in and is paid
 *    it from the row, once.
 * 3. It turns in the gold-paying quest and the process is SIGKILLed the
 *    moment the client is shown the experience (durable by then: a
 *    checkpoint holds it, rewardSeq and all, while its row is still owed).
 * 4. Started again: the player has both rewards exactly once; it logs out,
 *    the server stops cleanly, starts again, and the character still has
 *    exactly both (nothing paid twice on the way, the quests turned in once).
 *
 * Once on the embedded default (PGlite and the checkpoint file in
 * DATA_DIR), once on real PostgreSQL and Redis.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from '../../src/bots/soak/services.ts';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../src/content/zone-map.ts';
import { loadConfig } from '../../src/main/config.ts';
import { prepareWorld } from '../../src/main/zones/content-world.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { QuestAction, QuestRefusal, QuestState } from '../../src/protocol/quest-codes.ts';
import { EntityKind } from '../../src/shared/layout.ts';
import { TestClient } from '../helpers/client.ts';
import { seedPglite } from '../helpers/pglite-template.ts';
import { routeNear, walk } from '../helpers/world-walk.ts';
import { silentLog } from '../helpers/zone.ts';
import { login, newPlayer } from './account-play.suite.ts';

const GREETING = { id: 'quest.test_greeting', experience: 60 };
const TITHE = { id: 'quest.test_tithe', experience: 70 };

const dirs: string[] = [];
const tmp = (name: string): string => {
  const d = mkdtempSync(join(tmpdir(), name));
  dirs.push(d);
  return d;
};

let content: string;
let build: string;
let town: ZoneMap;
/** Quest numbers (the content's order) and Elder Maren's NPC template number. */
let greeting = -1;
let tithe = -1;
let elderTemplate = 0;
/** Where new characters start (SPAWN): the walkable tile nearest Elder Maren, where the walk from the town's spawn ended. */
let spawn = '';

beforeAll(() => {
  const dir = tmp('tessera-qxp-');
  content = join(dir, 'data');
  build = join(dir, 'build');
  cpSync('data', content, { recursive: true });
  const file = join(content, 'quests.json');
  const quests = JSON.parse(readFileSync(file, 'utf8'));
  const talk = [{ type: 'talk', npc: 'npc.elder_maren' }];
  quests.quests.push(
    { id: GREETING.id, name: 'Greeting', description: 'Say hello.', giver: 'npc.elder_maren', objectives: talk, rewards: { experience: GREETING.experience } },
    { id: TITHE.id, name: 'Tithe', description: 'Take the tithe.', giver: 'npc.elder_maren', objectives: talk, rewards: { experience: TITHE.experience, gold: 3 } },
  );
  writeFileSync(file, JSON.stringify(quests, null, 2));
  // Compiled once here (the maps for walking); every server of the file finds it current.
  const world = prepareWorld(loadConfig({ CONTENT_DIR: content, CONTENT_BUILD_DIR: build }), silentLog)!;
  town = decodeZonePack(new Uint8Array(world.zones.find((z) => z.name === 'town')!.pack));
  greeting = world.catalogue.quests.findIndex((q) => q.id === GREETING.id);
  tithe = world.catalogue.quests.findIndex((q) => q.id === TITHE.id);
  elderTemplate = world.catalogue.npcs.findIndex((n) => n.id === 'npc.elder_maren') + 1;
  const at = town.npcs.find((n) => n.npc === 'npc.elder_maren')!;
  const end = routeNear(town, town.spawnPoints[0].x, town.spawnPoints[0].y, at.x, at.y).at(-1)!;
  spawn = `town:${end.x}:${end.y}`;
  expect(greeting).toBeGreaterThanOrEqual(0);
  expect(tithe).toBeGreaterThanOrEqual(0);
}, 120_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function env(extra: Record<string, string>): Record<string, string> {
  // New characters start next to the elder: the walk there from the town's spawn is not what this file tests.
  return { CONTENT_DIR: content, CONTENT_BUILD_DIR: build, SPAWN: spawn, SPAWN_SPREAD: '0', ALLOW_GUESTS: '0', SCRYPT_LOG2N: '12', LOG_LEVEL: 'warn', ...extra };
}

/** Logs in and waits for the entity, its first snapshot and its whole quest log (stored rewards are sent right after it). */
async function enter(server: ServerProcess, token: string, characterId: number): Promise<TestClient> {
  const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, token, AuthKind.TOKEN, characterId);
  await c.until(() => c.view.self != null && c.positionOf(c.me) !== undefined, 20_000, 'in the world');
  await c.until(() => c.quests.some((m) => m.op === 'questLog' && m.full), 20_000, 'the quest log');
  return c;
}

/** Elder Maren's entity in view within talking range, walking there first. */
async function toElder(c: TestClient): Promise<number> {
  const at = town.npcs.find((n) => n.npc === 'npc.elder_maren')!;
  const near = (): number => {
    const v = c.view.current;
    const me = c.positionOf(c.me)!;
    for (let i = 0; i < v.count; i++) {
      if (v.kind[i] === EntityKind.NPC && v.template[i] === elderTemplate && Math.hypot(dequantise(v.x[i]) - me.x, dequantise(v.y[i]) - me.y) < 2.5) return v.ids[i];
    }
    return -1;
  };
  const here = c.positionOf(c.me)!;
  await walk(c, routeNear(town, here.x, here.y, at.x, at.y), () => near() >= 0, 'to Elder Maren');
  return near();
}

const results = (c: TestClient) => c.quests.filter((m) => m.op === 'questResult');

/** Takes `quest` from the elder (answered OK) and turns it in; `onAnswer` runs in the same turn of the event loop as the turn-in's answer arrives. */
async function acceptAndTurnIn(c: TestClient, elder: number, quest: number, onAnswer: (reason: number) => void = () => {}): Promise<void> {
  c.quest(QuestAction.ACCEPT, quest, elder);
  await c.until(() => results(c).some((r) => r.quest === quest && r.action === QuestAction.ACCEPT), 10_000, 'accepted');
  expect(results(c).at(-1)).toMatchObject({ quest, reason: QuestRefusal.OK });
  let answered = false;
  c.ws.on('message', () => {
    // The client's own handler ran first (registered at construction): the message is in c.quests.
    const r = results(c).at(-1);
    if (answered || r?.quest !== quest || r.action !== QuestAction.TURN_IN) return;
    answered = true;
    onAnswer(r.reason);
  });
  c.quest(QuestAction.TURN_IN, quest, elder);
  await c.until(() => answered, 10_000, 'the turn-in answered');
  expect(results(c).at(-1)).toMatchObject({ quest, action: QuestAction.TURN_IN, reason: QuestRefusal.OK });
}

async function killAndPayOnce(serverEnv: Record<string, string>, label: string): Promise<void> {
  const R1 = GREETING.experience;
  const R2 = TITHE.experience;
  // 1. Rewards held by the coordinator: killed as the turn-in is answered.
  let server = await startServer({ ...serverEnv, NODE_ENV: 'test', TESSERA_HOLD_REWARDS: '1' }, { timeoutMs: 240_000 });
  try {
    const p = await newPlayer(server.url, 'qxp');
    let c = await enter(server, p.token, p.characterId);
    expect(c.view.self!.xp).toBe(0);
    let elder = await toElder(c);
    let xpAtKill = -1;
    await acceptAndTurnIn(c, elder, greeting, () => {
      server.child.kill('SIGKILL');
      xpAtKill = c.view.self!.xp;
    });
    expect(xpAtKill).toBe(0);
    await server.stop(1000);
    c.close();
    console.log(`${label}: turn-in answered OK with its reward held; SIGKILL`);

    // 2. Paid from the stored row at the next entry, once.
    server = await startServer(serverEnv, { timeoutMs: 240_000 });
    c = await enter(server, await login(server.url, p), p.characterId);
    expect(c.questEntry(greeting)).toMatchObject({ state: QuestState.DONE, completions: 1 });
    await c.until(() => c.view.self!.xp >= R1, 20_000, 'the held reward paid');
    expect(c.view.self!.xp).toBe(R1);

    // 3. The gold-paying quest; killed the moment its experience is shown (durable by then).
    elder = await toElder(c);
    let shownAtKill = -1;
    c.ws.on('message', () => {
      if (shownAtKill >= 0 || c.view.self!.xp < R1 + R2) return;
      server.child.kill('SIGKILL');
      shownAtKill = c.view.self!.xp;
    });
    await acceptAndTurnIn(c, elder, tithe);
    await c.until(() => shownAtKill >= 0, 20_000, 'the reward shown');
    expect(shownAtKill).toBe(R1 + R2);
    await server.stop(1000);
    c.close();
    console.log(`${label}: shown ${shownAtKill} experience after the second turn-in; SIGKILL`);

    // 4. Both, exactly once: after the restart, and after a clean logout, stop and start.
    server = await startServer(serverEnv, { timeoutMs: 240_000 });
    c = await enter(server, await login(server.url, p), p.characterId);
    expect(c.view.self!.xp).toBe(R1 + R2);
    // Logged out, and the server stopped cleanly (SIGTERM saves every character).
    c.close();
    expect(await server.stop(15_000)).toBe(0);
    server = await startServer(serverEnv, { timeoutMs: 240_000 });
    c = await enter(server, await login(server.url, p), p.characterId);
    expect(c.view.self!.xp).toBe(R1 + R2);
    expect(c.questEntry(greeting)).toMatchObject({ state: QuestState.DONE, completions: 1 });
    expect(c.questEntry(tithe)).toMatchObject({ state: QuestState.DONE, completions: 1 });
    c.close();
    console.log(`${label}: after each SIGKILL and restart, and a clean restart, the character had ${R1 + R2} experience: each reward once`);
  } finally {
    await server.stop(5000);
  }
}

describe('quest experience survives a SIGKILL of the whole process, paid exactly once', () => {
  it('on the embedded default: PGlite and the checkpoint file', async () => {
    const data = tmp('tessera-qxp-data-');
    // Its database starts as initdb leaves it (helpers/pglite-template.ts): the server migrates it.
    await seedPglite(join(data, 'pglite'));
    await killAndPayOnce(env({ DATA_DIR: data }), 'embedded');
  }, 600_000);

  describe('on PostgreSQL and Redis', () => {
    let pg: PgServer | undefined;
    let redis: RedisServer | undefined;
    afterAll(async () => {
      pg?.dispose();
      await redis?.dispose();
    });

    it('with the checkpoint in Redis', async () => {
      pg = await startPostgres();
      redis = await startRedis();
      await killAndPayOnce(env({ DATABASE_URL: pg.url, REDIS_URL: redis.url, DATA_DIR: tmp('tessera-qxp-data-') }), 'postgresql + redis');
    }, 600_000);
  });
});
