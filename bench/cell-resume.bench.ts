/**
 * Cell crash and stall recovery, as a connected player sees it
 * (`npm run bench:resume`): the whole server process on the default world
 * and the default supervisor settings, real PostgreSQL and Redis, players
 * connected over WebSocket in both zones (town: one cell; field: two).
 * ROUNDS times, each zone's players' cell is killed (its worker terminated)
 * and stalled (a system loops forever) through the test-only fault hooks
 * (NODE_ENV=test, TESSERA_FAULT_HOOKS, the IPC channel).
 *
 * For each fault: the time from the injection to each player's first
 * snapshot from the restarted cells (the first full snapshot, baseTick 0,
 * after the server's "restarting zone"), the server's own account ("zone
 * recovered": how each cell got its thread, the restart's length, and the
 * time since the failure, a stall dated at its last heartbeat), how the
 * stalled cell was ended, and the load average then. Then median and max
 * by kind, and what the spare cell host costs: its heap (from /metrics) and
 * the resident memory one adds to a process (measured in this process).
 * Faults on one zone are spaced past the restart budget (5 a minute) and
 * past the stall detector's warm-up after a restart; each waits for the
 * spare to be ready. About 1.5 minutes.
 *
 * Part `tick-cpu` (tick-cpu.ts, about 20 s): the most CPU a healthy cell
 * burned inside one tick in a heavy zone, steady and after a restart, what
 * CELL_LOOP_CPU_MS must stay well above.
 *
 * `npm run bench:resume -- resume tick-cpu` runs the named parts (both by
 * default). Writes bench/results/cell-resume-<date>.json, and exits 1 when a
 * player took longer than the goal (2 s) to resume.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pino } from 'pino';
import { characterNameFor, loginBot } from '../src/bots/accounts.ts';
import { parsePrometheus } from '../src/bots/prom-parse.ts';
import { startServer } from '../src/bots/server-process.ts';
import { startPostgres, startRedis } from '../src/bots/soak/services.ts';
import { loadWorld } from '../src/content/load-world.ts';
import { decodeZonePack } from '../src/content/pack/zone-pack.ts';
import type { FaultKind, FaultReply } from '../src/main/faults/fault-hooks.ts';
import { openPostgres } from '../src/main/persistence/postgres.ts';
import { SpareHost } from '../src/main/zones/cell-hosts.ts';
import { AuthKind } from '../src/protocol/opcodes.ts';
import { TestClient } from '../test/helpers/client.ts';
import { centre } from '../test/helpers/world-walk.ts';
import { machine as machineNow, median, round, writeResults } from './lib/stats.ts';
import { measureTickCpu } from './tick-cpu.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PLAYERS_PER_ZONE = Number(process.env.PLAYERS ?? 2);
/** Faults on the same zone at least this far apart: the restart budget is 5 a minute per zone. */
const SAME_ZONE_GAP_MS = 14_000;
/** The goal (issue 13): every player resumes within this of the fault. */
const GOAL_MS = 2000;

interface FaultResult {
  fault: FaultKind;
  zone: string;
  cell: number;
  /** Injection to each player's first snapshot from the restarted cells, ms. */
  resumedMs: number[];
  /** The server's "zone recovered" fields. */
  hosts: unknown;
  restartMs: number;
  sinceFailureMs: number;
  /** How a stalled cell was ended ("looping": the CPU rule; "hung": the no-progress fallback). */
  verdict?: string;
  load1: number;
}

const log: string[] = [];

/** The server's JSON log lines with msg `msg` (and zone `zone`) from `from` on, time in ms. */
function logged(msg: string, from: number, zone?: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const l of log) {
    if (!l.includes(`"msg":"${msg}"`)) continue;
    const j = JSON.parse(l) as Record<string, unknown>;
    j.time = typeof j.time === 'string' ? Date.parse(j.time) : j.time;
    if ((j.time as number) >= from && (zone === undefined || j.zone === zone)) out.push(j);
  }
  return out;
}

async function untilLogged(msg: string, from: number, ms: number, zone?: string): Promise<Record<string, unknown>> {
  for (const end = Date.now() + ms; ; ) {
    const [first] = logged(msg, from, zone);
    if (first) return first;
    if (Date.now() > end) throw new Error(`the server did not log "${msg}" within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resident memory one spare cell host adds to a process (this one), median of 3, and its heap. */
async function spareCost(): Promise<{ rssBytes: number; heapUsedBytes: number; heapTotalBytes: number }> {
  const rss: number[] = [];
  const used: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < 3; i++) {
    const before = process.memoryUsage().rss;
    const spare = new SpareHost(pino({ level: 'silent' }), {});
    const ready = new Promise((r) => spare.once('ready', r));
    spare.replenish();
    await ready;
    await new Promise((r) => setTimeout(r, 500));
    const h = await spare.worker!.getHeapStatistics();
    rss.push(process.memoryUsage().rss - before);
    used.push(h.used_heap_size);
    total.push(h.total_heap_size);
    await spare.close(5000);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { rssBytes: median(rss), heapUsedBytes: median(used), heapTotalBytes: median(total) };
}

const PARTS = process.argv.slice(2);
const part = (name: string) => PARTS.length === 0 || PARTS.includes(name);

async function main(): Promise<void> {
  const machine = machineNow();
  const tickCpu = part('tick-cpu') ? await measureTickCpu() : undefined;
  if (tickCpu) console.log(`tick CPU (${tickCpu.players} players, ${tickCpu.npcs} NPCs, 2 cells): most within one heartbeat ${tickCpu.steadyMaxMs.join(' / ')} ms steady, ${tickCpu.afterRestartMaxMs.join(' / ')} ms from a restart on`);
  if (!part('resume')) {
    machine.finish();
    writeResults('cell-resume', machine.date, { machine, tickCpu });
    return;
  }
  const cost = await spareCost();
  const world = loadWorld('build/content');
  const field = decodeZonePack(new Uint8Array(world.zones.find((z) => z.name === 'field')!.pack));
  const meadow = centre(field.spawnAreas.find((a) => a.npc === 'npc.boar')!);
  const fieldCell = Math.floor(meadow.x / (field.width / 2));
  const pg = await startPostgres();
  const redis = await startRedis();
  const server = await startServer(
    // CELL_SPARE: this bench measures restarts on the spare cell host, which the server keeps only when asked.
    { NODE_ENV: 'test', TESSERA_FAULT_HOOKS: '1', DATABASE_URL: pg.url, REDIS_URL: redis.url, ALLOW_GUESTS: '0', SCRYPT_LOG2N: '12', CELL_SPARE: '1' },
    { ipc: true, timeoutMs: 240_000, onLine: (l) => log.push(l) },
  );
  const db = openPostgres(pg.url);
  const clients: Record<string, TestClient[]> = { town: [], field: [] };
  const results: FaultResult[] = [];
  let faultId = 0;
  const inject = (fault: FaultKind, zone: string, cell: number) =>
    new Promise<FaultReply>((resolve) => {
      const id = ++faultId;
      const onReply = (m: FaultReply) => {
        if (m?.type !== 'tessera-fault-done' || m.id !== id) return;
        server.child.off('message', onReply);
        resolve(m);
      };
      server.child.on('message', onReply);
      server.child.send({ type: 'tessera-fault', id, fault, zone, cell });
    });
  try {
    for (const zone of ['town', 'field']) {
      for (let i = 0; i < PLAYERS_PER_ZONE; i++) {
        const name = `resume${zone}${i}${Math.floor(Math.random() * 1e6)}`;
        const p = await loginBot(server.url, name, 'correct horse battery staple', characterNameFor(`r${Math.floor(Math.random() * 1e6)}`, i));
        if (zone === 'field') await db.query('UPDATE characters SET zone = $2, x = $3, y = $4 WHERE id = $1', [p.characterId, 'field', meadow.x + i, meadow.y]);
        const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, p.token, AuthKind.TOKEN, p.characterId);
        await c.until(() => c.positionOf(c.me) !== undefined, 20_000, `${name} in ${zone}`);
        clients[zone].push(c);
      }
    }
    const lastFaultAt: Record<string, number> = { town: 0, field: 0 };
    const plan = Array.from({ length: ROUNDS }, () => (['kill-cell', 'stall-cell'] as const).flatMap((fault) => ['town', 'field'].map((zone) => ({ fault, zone })))).flat();
    for (const { fault, zone } of plan) {
      const cell = zone === 'field' ? fieldCell : 0;
      // Spaced past the restart budget; the spare replaced after the last restart is ready.
      const wait = lastFaultAt[zone] + SAME_ZONE_GAP_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const lastRestart = logged('restarting zone', 0).at(-1)?.time as number | undefined;
      await untilLogged('spare cell host ready', lastRestart ?? 0, 60_000);
      const t0 = Date.now();
      lastFaultAt[zone] = t0;
      const load1 = loadavg()[0];
      const reply = await inject(fault, zone, cell);
      if (!reply.ok) throw new Error(`fault ${fault} on ${zone}/${cell} refused: ${reply.error}`);
      const restarting = (await untilLogged('restarting zone', t0, 60_000, zone)).time as number;
      const resumedMs = await Promise.all(
        clients[zone].map(async (c) => {
          const at = () => c.snapshots.find((sn) => sn.at >= restarting && sn.baseTick === 0)?.at;
          await c.until(() => at() !== undefined, 30_000, 'a snapshot from the restarted cells');
          return at()! - t0;
        }),
      );
      const rec = await untilLogged('zone recovered', t0, 30_000, zone);
      const killed = fault === 'stall-cell' ? logged('terminating a looping cell', t0, zone)[0] ?? logged('terminating a hung cell', t0, zone)[0] : undefined;
      const r: FaultResult = { fault, zone, cell, resumedMs, hosts: rec.hosts, restartMs: rec.ms as number, sinceFailureMs: rec.sinceFailureMs as number, verdict: killed?.verdict as string | undefined, load1: round(load1, 2) };
      results.push(r);
      console.log(`${fault} ${zone}/${cell}: resumed ${resumedMs.join(', ')} ms; restart ${r.restartMs} ms on ${JSON.stringify(r.hosts)}; since the failure ${r.sinceFailureMs} ms${r.verdict ? `; ended as ${r.verdict}` : ''}; load ${r.load1}`);
    }
    const metrics = parsePrometheus(await (await fetch(`${server.url}/metrics`)).text()).samples;
    const heapOf = (thread: RegExp, kind: string) => metrics.find((s) => s.name === 'tessera_thread_heap_bytes' && thread.test(s.labels.thread ?? '') && s.labels.kind === kind)?.value ?? null;
    const serverSpare = { usedBytes: heapOf(/^cell-spare-/, 'used'), totalBytes: heapOf(/^cell-spare-/, 'total') };
    const worst = (kind: FaultKind) => results.filter((r) => r.fault === kind).map((r) => Math.max(...r.resumedMs));
    const byKind = Object.fromEntries(
      (['kill-cell', 'stall-cell'] as const).map((k) => [k, { faults: worst(k).length, resumedMedianMs: median(worst(k)), resumedMaxMs: Math.max(...worst(k)), within2s: worst(k).filter((ms) => ms <= GOAL_MS).length }]),
    );
    machine.finish();
    const slowest = Math.max(...results.flatMap((r) => r.resumedMs));
    const goal = { resumeWithinMs: GOAL_MS, met: slowest <= GOAL_MS, slowestMs: slowest };
    const out = {
      goal,
      tickCpu,
      machine,
      settings: 'defaults (CELL_STUCK_MS 2000, CELL_LOOP_CPU_MS 300, CELL_STALL_KILL_MS 10000), default world, PostgreSQL + Redis',
      rounds: ROUNDS,
      playersPerZone: PLAYERS_PER_ZONE,
      note: 'resumedMs per fault is its slowest player; a stall is timed from its injection (the loop starts at the next tick)',
      byKind,
      spare: { inProcess: cost, inServer: serverSpare },
      faults: results,
    };
    console.log(JSON.stringify({ byKind, spare: out.spare, load: { start: machine.loadAverageAtStart, end: machine.loadAverageAtEnd } }, null, 2));
    writeResults('cell-resume', machine.date, out);
    console.log(`${goal.met ? 'PASS' : 'FAIL'}: every player resumed within ${GOAL_MS} ms of each of ${results.length} faults (slowest ${slowest} ms; load average ${machine.loadAverageAtStart[0]} → ${machine.loadAverageAtEnd[0]})`);
    // A record first: the figures are written either way; the exit code says whether the goal held.
    if (!goal.met) process.exitCode = 1;
  } finally {
    for (const cs of Object.values(clients)) for (const c of cs) c.close();
    await server.stop();
    await db.close();
    pg.dispose();
    await redis.dispose();
  }
}

// A whole-process bench: build the content first (npm run content), as npm start would.
readFileSync(new URL('../build/content/manifest.json', import.meta.url));
await main();
