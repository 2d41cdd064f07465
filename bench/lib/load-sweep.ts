/**
 * One sweep of the load bench: a fresh server (on the generated zone with
 * guests, or on the content's world with account bots; on PGlite or a
 * throwaway PostgreSQL), then bots added step by step until a budget is
 * missed. bench/load.bench.ts runs it once or `--repeat` times and writes
 * the results; the smoke test runs one tiny step of it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { stepFrom, DEFAULT_BUDGETS, type BenchStep } from '../../src/bots/bench-step.ts';
import { BotFleet, sumMap } from '../../src/bots/fleet.ts';
import { summarise } from '../../src/bots/latency.ts';
import { defaultBotOptions, type BotOptions } from '../../src/bots/options.ts';
import type { BenchResult } from '../../src/bots/results-markdown.ts';
import { buildReport } from '../../src/bots/report.ts';
import { ServerProbe, serverFigures } from '../../src/bots/server-probe.ts';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { startPostgres, type PgServer } from '../../src/bots/soak/services.ts';
import { loadWorldBook } from '../../src/bots/world-book.ts';
import { chooseStart, defaultWorldEnv, worldStart, type StartSpot } from './default-world.ts';
import { scaledContentCopy } from './npc-scale.ts';
import { collapseCheck, type CollapseCheck } from './collapse.ts';
import { hotSpotsLine, windowHotSpots, type HotSpots } from './hot-spots.ts';
import type { LoadBenchArgs } from './load-args.ts';
import { readProcessThreads, windowCpu, windowCpuLine, type WindowCpu } from './thread-cpu.ts';
import { judgeRepresentative, MachineProbe, postmasterPid, stepLoad } from './machine-load.ts';
import { commitOf } from './stats.ts';
import { windowGame, windowItemOps, windowLoopDelay, type LoadStep, type WindowGame, type WindowItemOps, type WindowLoopDelay } from './step-extras.ts';

/** The tick budget of a sweep at `tickHz`: one tick, and at most the 50 ms of 20 Hz (16 ms at 60 Hz, seed 002's). */
export function tickBudgetMs(tickHz: number): number {
  return Math.min(DEFAULT_BUDGETS.tickP99Ms, Math.floor(1000 / tickHz));
}

/** One sweep's results: src/bots/results-markdown.ts's BenchResult with the bench's richer steps. */
export type SweepResult = Omit<BenchResult, 'steps'> & {
  steps: LoadStep[];
  /** The commit the server ran (with "+changes" when the tree had uncommitted changes). */
  commit: string;
  /** Which run of a `--repeat` this was (1-based) and of how many. */
  run: { index: number; of: number };
  /** Bytes per player at the first step missed against the last held (collapse.ts). */
  collapse: CollapseCheck | null;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const load1 = (): number => Math.round(loadavg()[0] * 100) / 100;

async function machine(root: string, loadAtStart: number): Promise<Record<string, unknown>> {
  const c = cpus();
  let wsVersion = 'unknown';
  try {
    wsVersion = (JSON.parse(await readFile(join(root, 'node_modules', 'ws', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // reported as unknown
  }
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    ws: wsVersion,
    loadAverage1m: { start: loadAtStart, end: load1() },
  };
}

/** What a world brings to the server and the bots. */
interface WorldPlan {
  env: Record<string, string>;
  guests: boolean;
  content: string;
  start: StartSpot | null;
  setup: Record<string, unknown>;
}

function planWorld(args: LoadBenchArgs, root: string, dataDir: string): WorldPlan {
  const maxPlayers = Math.max(...args.steps) + 100;
  if (args.world === 'generated') {
    return {
      env: {
        ALLOW_GUESTS: '1',
        ZONE_WIDTH: String(args.zone),
        ZONE_HEIGHT: String(args.zone),
        // Guests spawn uniformly over the whole map, so density is what the zone size says from the start.
        SPAWN_SPREAD: String(Math.floor(args.zone / 2)),
        NPC_COUNT: String(args.npcs),
        ...(args.npcTemplate ? { NPC_TEMPLATE: args.npcTemplate } : {}),
      },
      guests: true,
      content: join(root, 'data'),
      start: null,
      setup: {
        world: 'generated',
        zone: `${args.zone}x${args.zone}`,
        cells: '2x1 (default)',
        npcs: args.npcTemplate ? `${args.npcs} ${args.npcTemplate} (content AI and combat, spawn areas of 64×64)` : args.npcs,
        playersInViewAt2000: Math.round(((2000 * 48 * 48) / (args.zone * args.zone)) * 10) / 10,
      },
    };
  }
  let content = args.content;
  let npcs: string | { zone: string; before: number; after: number }[] = 'the content\'s spawn areas as they are';
  if (args.npcScale !== 1) {
    // A scaled copy, played by the server and read by the bots alike.
    content = join(dataDir, 'content');
    npcs = scaledContentCopy(args.content, content, args.npcScale);
  }
  const book = loadWorldBook(content);
  if (!book) throw new Error(`${args.content} has no world.json`);
  const start = chooseStart(args.behavior, book, worldStart(content), args.start);
  return {
    env: defaultWorldEnv(content, join(dataDir, 'content-build'), start, maxPlayers),
    guests: false,
    content,
    start,
    setup: {
      world: `default (${args.content}${args.npcScale !== 1 ? `, spawn areas × ${args.npcScale}` : ''})`,
      npcs,
      zones: book.zones.map((z) => `${z.name} ${z.width}x${z.height}, ${z.spawnAreas.length} spawn areas`),
      characterStart: `${start.zone} (${start.x}, ${start.y})`,
      quests: book.quests.length,
    },
  };
}

/**
 * Runs one sweep and returns its results (nothing is written). `log` gets
 * the progress lines. Every process it starts (server, PostgreSQL) is
 * stopped and its folders removed before it returns or throws.
 */
export async function runSweep(args: LoadBenchArgs, root: string, log: (line: string) => void, run = { index: 1, of: 1 }): Promise<SweepResult> {
  const t0 = Date.now();
  const budgets = { ...DEFAULT_BUDGETS, tickP99Ms: tickBudgetMs(args.tickHz) };
  const loadAtStart = load1();
  // The tree the server runs is the one at start (a commit made during a long sweep is not in it).
  const commit = commitOf(root);
  const deadline = t0 + args.maxMinutes * 60_000;
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  const profileDir = join(args.out, 'profiles');
  let pg: PgServer | null = null;
  let pgPid: number | null = null;
  let server: ServerProcess | null = null;
  let fleet: BotFleet | null = null;
  const steps: LoadStep[] = [];
  let stopReason = '';
  let idleRss: number | null = null;
  let metricsNote = '';
  const probeMachine = new MachineProbe(() => (pgPid === null ? [] : [pgPid]));
  let world: WorldPlan;
  try {
    world = planWorld(args, root, dataDir);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  let options: BotOptions | null = null;
  try {
    const env: Record<string, string> = {
      DATA_DIR: join(dataDir, 'data'),
      TICK_HZ: String(args.tickHz),
      SEND_HZ: String(args.sendHz),
      MAX_PLAYERS: String(Math.max(...args.steps) + 100),
      LOG_LEVEL: 'info',
      // Every bot connects from this machine: the per-address limits would stop the load at 64 sockets.
      GATE_IP_LIMIT_EXEMPT: 'loopback',
      ...world.env,
    };
    if (args.postgres) {
      log('starting a throwaway PostgreSQL (fsync off)');
      pg = await startPostgres();
      env.DATABASE_URL = pg.url;
      pgPid = await postmasterPid(Number(new URL(pg.url).port));
    }
    log(`load average (1 min) before start: ${loadAtStart}${loadAtStart > 0.5 ? ' - other work is running; figures will be noisier' : ''}`);
    log(`starting server: ${args.world} world${world.start ? `, characters start in ${world.start.zone} at (${world.start.x}, ${world.start.y})` : `, zone ${args.zone}x${args.zone}`}, ${args.postgres ? 'PostgreSQL' : 'PGlite'}, DATA_DIR ${env.DATA_DIR}`);
    server = await startServer(env, { nodeArgs: [...args.serverNodeArgs, ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])], cwd: root, timeoutMs: 300_000 });
    const srv = server;
    const probe = new ServerProbe(srv.url, srv.pid);
    // Idle baseline: the lowest RSS over 5 s, once start-up garbage had a chance to go.
    let idle = await probe.sample();
    for (let k = 0; k < 5; k++) {
      await sleep(1000);
      const s = await probe.sample();
      if (s.rssBytes !== null && (idle.rssBytes === null || s.rssBytes < idle.rssBytes)) idle = s;
    }
    idleRss = idle.rssBytes;
    metricsNote = idle.source === 'metrics' ? 'server figures from /metrics' : `server figures from ${idle.source}: ${idle.note}`;
    log(`server up (pid ${srv.pid}, port ${srv.port}), idle RSS ${idleRss === null ? '?' : (idleRss / 2 ** 20).toFixed(1)} MiB; ${metricsNote}`);
    const opts: BotOptions = {
      ...defaultBotOptions(Math.max(...args.steps)),
      url: srv.url,
      guests: world.guests,
      workers: args.workers,
      behavior: args.behavior,
      hunt: args.hunt,
      inputHz: args.inputHz,
      prefix: 'bench',
      progress: false,
      content: world.content,
    };
    options = opts;
    const f = new BotFleet(opts);
    fleet = f;
    const warnings: string[] = [];
    f.on('error', (err: Error) => {
      warnings.push(err.message);
      log(`bot harness problem: ${err.stack ?? err.message}`);
    });

    interface Measured {
      step: BenchStep;
      loopDelay: WindowLoopDelay;
      itemOps: WindowItemOps | null;
      game: WindowGame;
      hotSpots: HotSpots;
      cpu: WindowCpu | null;
    }
    const measure = async (players: number): Promise<Measured> => {
      await f.markWindow();
      // This scrape starts the window of the event-loop figures (step-extras.ts: nothing may scrape until the end one).
      const a = await probe.sample();
      const threadsA = await readProcessThreads(srv.pid);
      const windowEnd = Date.now() + args.steadyS * 1000;
      while (Date.now() < windowEnd) {
        await sleep(Math.min(5000, windowEnd - Date.now()));
        const p99 = summarise(f.recent.ping).p99;
        f.recent.reset();
        log(`  window: ${f.openNow} connected, ping p99 ${p99 ?? '–'} ms, bots ${f.windowCpuCores().toFixed(2)} cores`);
      }
      const collected = await f.collect();
      const b = await probe.sample();
      const threadsB = await readProcessThreads(srv.pid);
      const report = buildReport({
        options: { ...opts, count: players },
        total: f.total,
        windowCounters: f.windowTotals,
        latency: f.window,
        join: f.join,
        collected,
        openAtEnd: collected.snapshotsPerSecond.length,
        joiningAtEnd: f.connectingNow,
        startedAt: new Date(t0),
        durationSeconds: (Date.now() - t0) / 1000,
        botCpuCores: f.windowCpuCores(),
        botRssBytes: process.memoryUsage().rss,
        workers: args.workers,
        server: serverFigures(a, b, budgets.tickP99Ms),
      });
      report.warnings = warnings.splice(0);
      const first = steps.length > 0 ? { players: steps[0].players, rssBytes: steps[0].serverRssBytes, heapBytes: steps[0].serverHeapAndExternalBytes } : null;
      return {
        step: stepFrom(players, report, args.sendHz, idleRss, first, budgets),
        loopDelay: windowLoopDelay(b.scrape),
        itemOps: windowItemOps(a.scrape, b.scrape),
        game: windowGame(f.windowTotals),
        hotSpots: windowHotSpots(a.scrape, b.scrape),
        cpu: threadsA && threadsB ? windowCpu(threadsA, threadsB, f.windowCpuSplit()) : null,
      };
    };

    for (const players of args.steps) {
      const add = players - f.spawned;
      const rampMs = Math.max(2000, (add / args.joinRate) * 1000);
      const stepMs = rampMs + args.settleS * 1000 + args.steadyS * 1000 + 5000;
      if (Date.now() + stepMs > deadline) {
        stopReason = `time budget: step ${players} would end after ${args.maxMinutes} minutes`;
        break;
      }
      const before = await probeMachine.sample();
      log(`step ${players}: adding ${add} bots over ${(rampMs / 1000).toFixed(1)} s${world.guests ? '' : ' (register, log in, create a character, enter)'}`);
      f.spawn(add, rampMs);
      const rampEnd = Date.now() + rampMs;
      // Account bots log in through the API (scrypt) and may take longer than the ramp: wait for them, bounded.
      const joinBound = rampEnd + (world.guests ? 0 : 120_000 + add * 100);
      for (;;) {
        await sleep(1000);
        const p99 = summarise(f.recent.ping).p99;
        f.recent.reset();
        log(`  ${f.openNow} connected, ${f.connectingNow} joining, ${sumMap(f.total.failed)} failed, ping p99 ${p99 ?? '–'} ms`);
        const now = Date.now();
        if (now < rampEnd) continue;
        if (f.connectingNow > 0 && now < joinBound) continue;
        break;
      }
      await sleep(args.settleS * 1000);
      let m = await measure(players);
      for (let retry = 1; !m.step.held && retry <= args.retries && srv.alive && Date.now() + (args.steadyS + 5) * 1000 < deadline; retry++) {
        // One miss on a shared machine can be a passing disturbance: measure another window before calling it a limit.
        log(`step ${players}: missed once, measuring another window (retry ${retry} of ${args.retries})`);
        const again = await measure(players);
        again.step.earlierAttempts = [...(m.step.earlierAttempts ?? []), { ...m.step, report: undefined, earlierAttempts: undefined }];
        m = again;
      }
      const machineLoad = stepLoad(before, await probeMachine.sample());
      const verdict = judgeRepresentative(machineLoad, probeMachine.cores, (m.step.serverCpuCores ?? 0) + m.step.botCpuCores);
      const step: LoadStep = {
        ...m.step,
        representative: verdict.representative,
        representativeBasis: verdict.basis,
        notRepresentativeBecause: verdict.reason,
        machineLoad,
        loopDelay: m.loopDelay,
        itemOps: m.itemOps,
        game: m.game,
        hotSpots: m.hotSpots,
        cpu: m.cpu,
      };
      steps.push(step);
      logStep(log, step);
      if (!srv.alive) {
        stopReason = `the server exited during step ${players}: ${srv.logTail.slice(-3).join(' | ')}`;
        step.held = false;
        step.missed.push('server exited');
        break;
      }
      if (!step.held) {
        stopReason = `step ${players} missed: ${step.missed.join('; ')}`;
        break;
      }
    }
    if (!stopReason) stopReason = 'every configured step held';
  } finally {
    if (fleet) await fleet.stop();
    if (server) {
      const code = await server.stop();
      if (code !== 0) log(`server exited with ${code}; last log lines:\n${server.logTail.slice(-20).join('\n')}`);
    }
    pg?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }

  const held = steps.filter((s) => s.held);
  const bots = options ?? defaultBotOptions();
  return {
    maxPlayersHeld: held.length > 0 ? Math.max(...held.map((s) => s.players)) : 0,
    date: new Date().toISOString(),
    commit,
    run,
    machine: await machine(root, loadAtStart),
    stopReason,
    collapse: collapseCheck(steps),
    budgets,
    setup: {
      ...world.setup,
      behavior: args.behavior,
      ...(args.world === 'default' && args.behavior !== 'wander' ? { hunt: args.hunt } : {}),
      database: args.postgres ? 'PostgreSQL (throwaway server on this machine, fsync off)' : 'PGlite (embedded, its own thread)',
      tickHz: args.tickHz,
      sendHz: args.sendHz,
      ...(args.serverNodeArgs.length > 0 ? { serverNodeArgs: args.serverNodeArgs } : {}),
      aoiTile: 16,
      bots: `${world.guests ? 'guests' : 'accounts (register, log in, character)'}, ${args.behavior}, ${bots.inputHz} inputs/s, ${bots.pingHz} ping/s, ${args.workers} worker threads, same machine`,
      steadySeconds: args.steadyS,
      settleSeconds: args.settleS,
      joinRatePerSecond: args.joinRate,
      serverFigures: metricsNote,
      serverIdleRssBytes: idleRss,
    },
    durationSeconds: Math.round((Date.now() - t0) / 1000),
    steps,
  };
}

const f1 = (v: number | null | undefined, unit = ''): string => (v === null || v === undefined ? '–' : `${v}${unit}`);

function logStep(log: (line: string) => void, s: LoadStep): void {
  const g = s.game;
  const ml = s.machineLoad;
  log(
    `step ${s.players}: ${s.held ? 'HELD' : `MISSED (${s.missed.join('; ')})`}${s.representative ? '' : ` | NOT REPRESENTATIVE: ${s.notRepresentativeBecause}`} | ` +
      `tick p99 ${f1(s.tickP99Ms)} ms | ping p99 ${f1(s.rttPingP99Ms)} ms | input p99 ${f1(s.rttInputP99Ms)} ms | ${f1(s.snapshotsPerSecondPerBot)} snap/s | ` +
      `coordinator loop delay p99 ${f1(s.loopDelay.p99Ms)} / max ${f1(s.loopDelay.maxMs)} ms | ` +
      `kills ${g.kills}, picked up ${g.pickedUp}, equipped ${g.equipped}, quests ${g.questsAccepted}/${g.questsCompleted} | ` +
      `item transactions ${s.itemOps ? `${s.itemOps.committed} (p99 ${f1(s.itemOps.transactionP99Ms)} ms)` : '–'} | ` +
      `${f1(s.entitiesInView)} in view | server ${f1(s.serverCpuCores)} cores, bots ${s.botCpuCores} cores | ` +
      `load ${ml.load1Before} → ${ml.load1After}, other processes ${f1(ml.otherCpuCores)} cores`,
  );
  log(`  ${hotSpotsLine(s.hotSpots)}`);
  if (s.cpu) log(`  CPU by thread (cores): ${windowCpuLine(s.cpu)}`);
}
