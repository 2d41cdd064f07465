/**
 * A cell crash and a cell stall in the whole server process (`node
 * src/main/main.ts`) on the default world, real PostgreSQL and Redis, real
 * WebSocket clients. Two players with items, gold and a quest under way
 * stand in the Ashen Fields among the boars and fight them; then their cell's
 * worker is terminated (through the test-only fault hooks: NODE_ENV=test,
 * TESSERA_FAULT_HOOKS, the IPC channel), and later stalled by a system that
 * loops forever (the supervisor's stall detector ends it).
 * Each time both players stay connected, their snapshots resume, nothing
 * they were told is lost (experience, level, items, gold, quest progress
 * exactly; the worn jerkin's armor; position within a checkpoint
 * interval), and they fight on. The defaults are on (no CELL_* setting).
 * How long until each player's first snapshot from the restarted cells is
 * printed with the load average and held to a loose bound (a loaded box
 * stretches it); what is asserted exactly is the mechanism: the looping cell
 * is ended by the stall detector's CPU rule, and the restart runs on the
 * spare and the peer's own released thread, loading no code. The 2 s goal is
 * measured over many faults by bench/cell-resume.bench.ts.
 */
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import { loadWorld, type LoadedWorld } from '../../src/content/load-world.ts';
import type { ZoneMap } from '../../src/content/zone-map.ts';
import type { FaultReply } from '../../src/main/faults/fault-hooks.ts';
import { ItemCatalogue } from '../../src/main/items/catalogue.ts';
import { ItemStore } from '../../src/main/items/item-store.ts';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from '../../src/bots/soak/services.ts';
import { CombatEvent } from '../../src/protocol/combat-codes.ts';
import { dequantise } from '../../src/protocol/encode.ts';
import { ItemOp } from '../../src/protocol/item-codes.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { EntityFlags, EntityKind } from '../../src/shared/layout.ts';
import { TestClient } from '../helpers/client.ts';
import { centre } from '../helpers/world-walk.ts';
import { newPlayer } from './account-play.suite.ts';

const QUEST = 'quest.wolves_at_the_gate';
/** Boars fight back but do not gang up (defensive): the players live through the test. */
const PREY = 'npc.boar';

interface Told {
  xp: number;
  /** Armor in the self record: the worn jerkin's share must come back with the restarted cell. */
  armor: number;
  level: number;
  gold: number;
  items: string[];
  quest: string;
  x: number;
  y: number;
  tick: number;
}

describe('a cell that crashes or stalls, in the whole server process', () => {
  let pg: PgServer;
  let redis: RedisServer;
  let server: ServerProcess;
  let db: Db;
  let world: LoadedWorld;
  let field: ZoneMap;
  const clients: TestClient[] = [];
  const log: string[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    redis = await startRedis();
    server = await startServer(
      // CELL_SPARE: the restarts below go to the spare cell host, which the server keeps only when asked.
      { NODE_ENV: 'test', TESSERA_FAULT_HOOKS: '1', DATABASE_URL: pg.url, REDIS_URL: redis.url, ALLOW_GUESTS: '0', SCRYPT_LOG2N: '12', CELL_SPARE: '1' },
      { ipc: true, timeoutMs: 240_000, onLine: (l) => log.push(l) },
    );
    world = loadWorld('build/content');
    field = decodeZonePack(new Uint8Array(world.zones.find((z) => z.name === 'field')!.pack));
    db = openPostgres(pg.url);
  }, 300_000);

  afterAll(async () => {
    // The server's own account of the faults, for a failure's reader.
    writeFileSync(join(tmpdir(), 'tessera-cell-faults-server.log'), log.join('\n'));
    for (const c of clients) c.close();
    await server?.stop();
    await db?.close();
    pg?.dispose();
    await redis?.dispose();
  });

  /** A player in the wolf meadow with two items, gold and one wolf of its quest counted, fighting. */
  async function fighter(name: string, at: { x: number; y: number }): Promise<TestClient> {
    const p = await newPlayer(server.url, name);
    const store = new ItemStore(db, new ItemCatalogue(world.catalogue.items));
    const granted = await store.grant(p.characterId, [{ template: 'item.health_potion', count: 3 }, { template: 'item.leather_jerkin', count: 1 }], 40, 'test', 0, async (q) => {
      await q.query('UPDATE characters SET zone = $2, x = $3, y = $4 WHERE id = $1', [p.characterId, 'field', at.x, at.y]);
      await q.query('INSERT INTO character_quests (character_id, quest, done) VALUES ($1, $2, false)', [p.characterId, QUEST]);
      await q.query('INSERT INTO quest_objectives (character_id, quest, objective, count) VALUES ($1, $2, 0, 1)', [p.characterId, QUEST]);
    });
    expect(granted.ok).toBe(true);
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, p.token, AuthKind.TOKEN, p.characterId);
    clients.push(c);
    await c.until(() => c.view.self != null && c.positionOf(c.me) !== undefined && c.inventories.some((i) => i.full) && c.quests.some((m) => m.op === 'questLog' && m.full), 20_000, `${name} in the field`);
    // Wear the jerkin: equipment is private state the cell must get back after a restart.
    const jerkin = [...c.itemsNow().values()].find((it) => it.template === world.catalogue.items.findIndex((t) => t.id === 'item.leather_jerkin') + 1)!;
    const armor = c.view.self!.stat('armor');
    const eq = c.item(ItemOp.EQUIP, jerkin.id, jerkin.version);
    await c.until(() => c.itemResult(eq) !== undefined, 10_000, 'the equip answered');
    expect(c.itemResult(eq)).toBe(0);
    await c.until(() => c.view.self!.stat('armor') > armor, 10_000, 'armor with the jerkin');
    return c;
  }

  /** Attacks the nearest live boar (again every 2 s: a restarted cell may have dropped the auto-attack) until the player's blows land. */
  async function fight(c: TestClient): Promise<void> {
    const wolf = world.catalogue.npcs.findIndex((n) => n.id === PREY) + 1;
    const landed = c.events.filter((e) => e.type === CombatEvent.DAMAGE && e.source === c.me).length;
    let lastAttack = 0;
    await c.until(
      () => {
        const v = c.view.current;
        const me = c.positionOf(c.me);
        const meRow = v.indexOf(c.me);
        if (!me || meRow < 0) return false;
        if ((v.flags[meRow] & EntityFlags.DEAD) !== 0 && Date.now() - lastAttack > 2000) {
          c.respawn();
          lastAttack = Date.now();
        }
        let best = -1;
        let bestD = 30;
        for (let i = 0; i < v.count; i++) {
          if (v.kind[i] !== EntityKind.NPC || v.template[i] !== wolf || (v.flags[i] & EntityFlags.DEAD) !== 0) continue;
          const d = Math.hypot(dequantise(v.x[i]) - me.x, dequantise(v.y[i]) - me.y);
          if (d < bestD) [best, bestD] = [v.ids[i], d];
        }
        if (best >= 0 && (v.target[meRow] !== best || Date.now() - lastAttack > 2000)) {
          c.attack(best);
          c.moveTo(dequantise(v.x[v.indexOf(best)]), dequantise(v.y[v.indexOf(best)]));
          lastAttack = Date.now();
        }
        return c.events.filter((e) => e.type === CombatEvent.DAMAGE && e.source === c.me).length > landed;
      },
      60_000,
      'blows landing on a boar',
    );
  }

  /** What the server has told client `c` so far. */
  function told(c: TestClient): Told {
    const gold = c.inventories.reduce((g, i) => (i.gold >= 0 ? i.gold : g), -1);
    const items = [...c.itemsNow().values()].map((it) => `${it.id} t${it.template}×${it.count} ${it.container}:${it.slot}`).sort();
    const q = c.questEntry(world.catalogue.quests.findIndex((k) => k.id === QUEST));
    const p = c.positionOf(c.me)!;
    const row = c.view.current.indexOf(c.me);
    return { xp: c.view.self!.xp, armor: c.view.self!.stat('armor'), level: c.view.current.level[row], gold, items, quest: JSON.stringify(q), x: p.x, y: p.y, tick: c.view.lastTick };
  }

  function inject(fault: 'kill-cell' | 'stall-cell', cell: number): Promise<FaultReply> {
    return new Promise((resolve) => {
      const onReply = (m: FaultReply) => {
        if (m?.type !== 'tessera-fault-done') return;
        server.child.off('message', onReply);
        resolve(m);
      };
      server.child.on('message', onReply);
      server.child.send({ type: 'tessera-fault', id: 1, fault, zone: 'field', cell });
    });
  }

  /** The server's JSON log lines from `from` on whose msg is `msg`, `time` in ms (this host's clock, as the clients' `at`). */
  function logged(msg: string, from: number): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const l of log) {
      if (!l.includes(`"msg":"${msg}"`)) continue;
      const j = JSON.parse(l) as Record<string, unknown>;
      j.time = typeof j.time === 'string' ? Date.parse(j.time) : j.time;
      if ((j.time as number) >= from) out.push(j);
    }
    return out;
  }

  async function untilLogged(msg: string, from: number, ms: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const [first] = logged(msg, from);
      if (first) return first;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the server to log "${msg}"`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** What one fault cost: each player's resume (ms), the server's records, the load then. */
  interface Survived {
    resumed: number[];
    recovered: Record<string, unknown>;
    load: number;
  }

  /** Injects the fault on the players' cell; returns how long until each player's snapshots resumed (ms). */
  async function survive(fault: 'kill-cell' | 'stall-cell', players: TestClient[]): Promise<Survived> {
    for (const c of players) await fight(c);
    // The spare cell host (replaced after each restart that used one) is ready before the fault.
    const lastRestart = logged('restarting zone', 0).at(-1)?.time as number | undefined;
    await untilLogged('spare cell host ready', lastRestart ?? 0, 60_000);
    // Whatever they were told up to here must survive; what comes while the fault lands may only add.
    const before = players.map(told);
    const cell = Math.floor(before[0].x / (field.width / 2));
    const t0 = Date.now();
    expect(await inject(fault, cell)).toEqual({ type: 'tessera-fault-done', id: 1, ok: true });
    // Every snapshot sent from here on comes from the restarted cells: the old ones had all ended.
    const restarting = (await untilLogged('restarting zone', t0, 30_000)).time as number;
    const resumed: number[] = [];
    await Promise.all(
      players.map(async (c) => {
        // The restarted cell lost every client's baseline: its first snapshot is full (baseTick 0).
        const resumedAt = () => c.snapshots.find((sn) => sn.at >= restarting && sn.baseTick === 0)?.at;
        await c.until(() => resumedAt() !== undefined, 30_000, 'snapshots resumed after the restart');
        resumed.push(resumedAt()! - t0);
      }),
    );
    const recovered = await untilLogged('zone recovered', t0, 30_000);
    for (const [i, c] of players.entries()) {
      expect(c.closeCode).toBeUndefined();
      // What the player wears is told to the restarted cell by the gate (items/item-service.ts entered).
      await c.until(() => c.view.self!.stat('armor') === before[i].armor, 10_000, 'the worn jerkin counted again');
      const after = told(c);
      expect(after.xp).toBeGreaterThanOrEqual(before[i].xp);
      expect(after.level).toBeGreaterThanOrEqual(before[i].level);
      expect(after.gold).toBe(before[i].gold);
      expect(after.items).toEqual(before[i].items);
      const q = JSON.parse(after.quest) as { completions: number; counts: number[] };
      const was = JSON.parse(before[i].quest) as { completions: number; counts: number[] };
      expect(q.completions * 100 + q.counts[0]).toBeGreaterThanOrEqual(was.completions * 100 + was.counts[0]);
      expect(Math.hypot(after.x - before[i].x, after.y - before[i].y)).toBeLessThan(10);
    }
    // And the fight goes on.
    for (const c of players) await fight(c);
    return { resumed, recovered, load: loadavg()[0] };
  }

  /**
   * The way back used the warm threads, not new ones: the failed cell's
   * place went to the spare and its peer ran again on its own released
   * thread (2 cells in the field).
   */
  function expectWarmRestart(recovered: Record<string, unknown>): void {
    expect(recovered.hosts).toEqual({ warm: 1, spare: 1, cold: 0 });
  }

  // Resume within 2 s is the goal, recorded with the load by bench/cell-resume.bench.ts
  // (bench/results/); here, on a box other tests load too, looser bounds, and the mechanism.
  // A stall's end waits for the looping thread to burn CELL_LOOP_CPU_MS at whatever share of
  // a core the box leaves it (3.5 s at load 12), hence its wider bound.
  const LOOSE_CRASH_MS = 8000;
  const LOOSE_STALL_MS = 15_000;

  it('keeps the players of a crashed cell connected; they resume and lose nothing they were told', async () => {
    const meadow = centre(field.spawnAreas.find((a) => a.npc === PREY)!);
    const players = [await fighter('crash', meadow), await fighter('crash', { x: meadow.x + 1, y: meadow.y })];
    const { resumed, recovered, load } = await survive('kill-cell', players);
    console.log(`cell crash: snapshots resumed ${resumed.join(', ')} ms after the kill (load average ${load.toFixed(1)}); server: ${JSON.stringify(recovered)}`);
    expect(resumed).toHaveLength(2);
    expectWarmRestart(recovered);
    for (const ms of resumed) expect(ms).toBeLessThan(LOOSE_CRASH_MS);
  }, 300_000);

  it('terminates a cell that loops forever in a system and restarts it; its players resume and lose nothing they were told', async () => {
    const meadow = centre(field.spawnAreas.find((a) => a.npc === PREY)!);
    const players = [await fighter('stall', { x: meadow.x, y: meadow.y + 1 }), await fighter('stall', { x: meadow.x + 1, y: meadow.y + 1 })];
    const t0 = Date.now();
    const { resumed, recovered, load } = await survive('stall-cell', players);
    console.log(`cell stall: snapshots resumed ${resumed.join(', ')} ms after the stall began (load average ${load.toFixed(1)}); server: ${JSON.stringify(recovered)}`);
    expect(resumed).toHaveLength(2);
    // Ended by the detector's CPU rule (a loop inside a tick), not by the 10 s no-progress fallback.
    const [killed] = logged('terminating a looping cell', t0);
    expect(killed).toMatchObject({ zone: 'field', verdict: 'looping', inTick: true });
    expect(logged('terminating a hung cell', t0)).toEqual([]);
    expectWarmRestart(recovered);
    for (const ms of resumed) expect(ms).toBeLessThan(LOOSE_STALL_MS);
  }, 300_000);
});
