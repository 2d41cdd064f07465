/**
 * Experience is durable before the player is told it, in the whole server
 * process (`node src/main/main.ts`): a player with a real character fights
 * boars on a small generated meadow; the instant its client is shown new
 * experience (the frame whose self record has more than before), the test
 * SIGKILLs the process. It is started again on the same data; the player
 * logs in again and is shown at least the experience and level it was shown
 * before the kill. Once on the embedded default (PGlite and the checkpoint
 * file in DATA_DIR), once on real PostgreSQL and Redis (the checkpoint in
 * Redis). How long the experience took to show after the kill (the boar's
 * DEATH event to the frame with the experience) is printed.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from '../../src/bots/soak/services.ts';
import { CombatEvent } from '../../src/protocol/combat-codes.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { EntityFlags, EntityKind } from '../../src/shared/layout.ts';
import { TestClient } from '../helpers/client.ts';
import { seedPglite } from '../helpers/pglite-template.ts';
import { login, newPlayer } from './account-play.suite.ts';

const dirs: string[] = [];
const tmp = (name: string): string => {
  const d = mkdtempSync(join(tmpdir(), name));
  dirs.push(d);
  return d;
};
/** One compiled content for every server of the file (compiled by the first start). */
const build = tmp('tessera-xpd-build-');
/** The content, with boars of 20 health instead of 70 (below). */
const content = join(tmp('tessera-xpd-content-'), 'data');

beforeAll(() => {
  // A level-1 warrior took about 28 s of swings to kill a 70-health boar; what
  // this file tests starts at the kill (its experience shown, then SIGKILL).
  cpSync('data', content, { recursive: true });
  const file = join(content, 'npcs.json');
  const npcs = JSON.parse(readFileSync(file, 'utf8')) as { npcs: { id: string; stats: { health: number } }[] };
  npcs.npcs.find((n) => n.id === 'npc.boar')!.stats.health = 20;
  writeFileSync(file, JSON.stringify(npcs, null, 2));
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function env(extra: Record<string, string>): Record<string, string> {
  return {
    CONTENT_DIR: content,
    CONTENT_BUILD_DIR: build,
    ZONES: 'meadow:64x64:2x1:40',
    NPC_TEMPLATE: 'npc.boar',
    // The generated map's middle, among the boars. SPAWN's default (128,128)
    // is this 64x64 map's far corner: a walk away, and the boars reached from
    // there mostly evaded home at the first hit, so a kill took about a minute.
    SPAWN: 'meadow:32:32',
    ALLOW_GUESTS: '0',
    SCRYPT_LOG2N: '12',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** What the player was shown when the process was killed, and how long that experience took to show. */
interface Shown {
  xp: number;
  level: number;
  /** ms and ticks from the snapshot with the boar's DEATH to the one with the experience. */
  delayMs: number;
  delayTicks: number;
}

/** The boar nearest the player, alive, or 0. */
function nearestBoar(c: TestClient, boar: number): number {
  const v = c.view.current;
  const me = c.positionOf(c.me);
  if (!me) return 0;
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < v.count; i++) {
    if (v.kind[i] !== EntityKind.NPC || v.template[i] !== boar || (v.flags[i] & EntityFlags.DEAD) !== 0) continue;
    const d = Math.hypot(dequantise(v.x[i]) - me.x, dequantise(v.y[i]) - me.y);
    if (d < bestD) [best, bestD] = [v.ids[i], d];
  }
  return best;
}

/**
 * Fights boars until a frame shows the player more experience than it had,
 * and SIGKILLs the server in the same turn of the event loop as that frame
 * arrived (nothing else of the process runs after it).
 */
async function fightUntilShownThenKill(c: TestClient, server: ServerProcess, boar: number): Promise<Shown> {
  const start = c.view.self!.xp;
  let shown: Shown | undefined;
  const deaths = new Map<number, { at: number; tick: number }>();
  let seen = 0;
  c.ws.on('message', () => {
    if (shown) return;
    // The client's own handler ran first (registered at construction): the view is this frame's.
    for (; seen < c.events.length; seen++) {
      const e = c.events[seen];
      if (e.type === CombatEvent.DEATH && e.target !== c.me && !deaths.has(e.target)) deaths.set(e.target, { at: Date.now(), tick: e.tick });
    }
    const self = c.view.self;
    if (!self || self.xp <= start) return;
    server.child.kill('SIGKILL');
    const row = c.view.current.indexOf(c.me);
    const xpEvent = c.events.findLast((e) => e.type === CombatEvent.EXPERIENCE);
    const death = xpEvent ? deaths.get(xpEvent.source) : undefined;
    shown = {
      xp: self.xp,
      level: c.view.current.level[row],
      delayMs: death ? Date.now() - death.at : NaN,
      delayTicks: death ? c.view.lastTick - death.tick : NaN,
    };
  });
  let lastOrder = 0;
  await c.until(
    () => {
      if (shown) return true;
      const v = c.view.current;
      const row = v.indexOf(c.me);
      if (row < 0) return false;
      if ((v.flags[row] & EntityFlags.DEAD) !== 0) {
        if (Date.now() - lastOrder > 2000) {
          c.respawn();
          lastOrder = Date.now();
        }
        return false;
      }
      const target = nearestBoar(c, boar);
      if (target !== 0 && (v.target[row] !== target || Date.now() - lastOrder > 2000)) {
        const i = v.indexOf(target);
        c.attack(target);
        c.moveTo(dequantise(v.x[i]), dequantise(v.y[i]));
        lastOrder = Date.now();
      }
      return false;
    },
    120_000,
    'a boar killed and its experience shown',
  );
  return shown!;
}

/** Kills and restarts the server `rounds` times; after each restart the character has what it was shown. */
async function killAfterExperience(serverEnv: Record<string, string>, rounds: number, label: string): Promise<void> {
  let server = await startServer(serverEnv, { timeoutMs: 240_000 });
  try {
    const p = await newPlayer(server.url, 'xpd');
    let token = p.token;
    // Template numbers are the content's NPC order, from 1; the boar's, as the snapshots carry it.
    let boar = 0;
    const delays: string[] = [];
    let prev: Shown | undefined;
    for (let r = 0; r < rounds; r++) {
      const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, token, AuthKind.TOKEN, p.characterId);
      await c.until(() => c.view.self != null && c.positionOf(c.me) !== undefined, 20_000, 'in the world');
      if (r > 0) {
        // Restarted after the kill: at least what it was shown before.
        const row = c.view.current.indexOf(c.me);
        expect(c.view.self!.xp).toBeGreaterThanOrEqual(prev!.xp);
        expect(c.view.current.level[row]).toBeGreaterThanOrEqual(prev!.level);
      }
      if (boar === 0) {
        await c.until(() => c.view.current.kind.some((k, i) => i < c.view.current.count && k === EntityKind.NPC), 20_000, 'boars in view');
        const v = c.view.current;
        for (let i = 0; i < v.count; i++) if (v.kind[i] === EntityKind.NPC) boar = v.template[i];
      }
      prev = await fightUntilShownThenKill(c, server, boar);
      delays.push(`${prev.delayMs} ms / ${prev.delayTicks} ticks`);
      console.log(`${label}: round ${r + 1}: shown ${prev.xp} experience at level ${prev.level}, ${delays.at(-1)} after the boar's death; SIGKILL`);
      await server.stop(1000); // already SIGKILLed: waits for the exit
      c.close();
      server = await startServer(serverEnv, { timeoutMs: 240_000 });
      token = await login(server.url, p);
    }
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, token, AuthKind.TOKEN, p.characterId);
    await c.until(() => c.view.self != null && c.positionOf(c.me) !== undefined, 20_000, 'in the world after the last restart');
    const row = c.view.current.indexOf(c.me);
    expect(c.view.self!.xp).toBeGreaterThanOrEqual(prev!.xp);
    expect(c.view.current.level[row]).toBeGreaterThanOrEqual(prev!.level);
    c.close();
    console.log(`${label}: experience shown ${delays.join(', ')} after the boar's death (the snapshot with its DEATH to the one with the experience); after each SIGKILL and restart the character had it`);
  } finally {
    await server.stop(5000);
  }
}

describe('experience shown to a player survives a SIGKILL of the whole process', () => {
  it('on the embedded default: PGlite and the checkpoint file', async () => {
    const data = tmp('tessera-xpd-data-');
    // Its database starts as initdb leaves it (helpers/pglite-template.ts): the server migrates it.
    await seedPglite(join(data, 'pglite'));
    await killAfterExperience(env({ DATA_DIR: data }), 1, 'embedded');
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
      await killAfterExperience(env({ DATABASE_URL: pg.url, REDIS_URL: redis.url, DATA_DIR: tmp('tessera-xpd-data-') }), 1, 'postgresql + redis');
    }, 600_000);
  });
});
