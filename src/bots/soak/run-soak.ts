/**
 * One soak run (`npm run soak`, and the short one in the test suite):
 * starts PostgreSQL, Redis and the server process, lets the bots play,
 * injects the scheduled faults one after another, and at the end stops
 * everything cleanly and audits: what the bots were told against what the
 * database holds, and the item ledger. Returns the report.
 */
import { mulberry32 } from '../../shared/random.ts';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadWorld } from '../../content/load-world.ts';
import { openPostgres } from '../../main/persistence/postgres.ts';
import { PLAYER_SPEED } from '../../workers/cell-runtime.ts';
import { characterNameFor } from '../accounts.ts';
import { loadFightBook } from '../fight-book.ts';
import { copyState } from './acked-state.ts';
import { auditCharacters, auditLedger } from './audit.ts';
import { FAULT_ORDER, faultSchedule, inject, type FaultName, type FaultRecord } from './faults.ts';
import { startPostgres, startRedis } from './services.ts';
import { SoakBot, type ContinuityCheck } from './soak-bot.ts';
import type { SoakCheck, SoakReport } from './soak-report.ts';
import { SoakServer } from './soak-server.ts';

export interface SoakOptions {
  minutes: number;
  bots: number;
  /** Cell grid of the soak's zone, COLSxROWS. */
  cells: string;
  behavior: 'fight' | 'mixed';
  seed: number;
  /** Where the server log goes. */
  outDir: string;
  /** How long a database stays down in its restart fault. */
  outageMs?: number;
  /** Progress lines (the CLI prints them). */
  say?: (line: string) => void;
}

const CONTENT_DIR = 'data';
const CONTENT_BUILD_DIR = 'build/content';
/**
 * A position reaches a checkpoint in two hops: the cell's STATE report
 * (about once a second per player, staggered), then the next checkpoint
 * round (CHECKPOINT_INTERVAL_MS, 1 s). So up to two seconds of movement,
 * plus the time a round takes to land on a loaded box, plus a tile.
 */
const POSITION_TOLERANCE = PLAYER_SPEED * 2.5 + 1;
/** After a fault recovered, breaks within this long are still its doing (bots reconnecting, restatements arriving). */
const AFTERMATH_MS = 15_000;

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const say = o.say ?? (() => {});
  mkdirSync(o.outDir, { recursive: true });
  const startedAt = Date.now();
  const loadStart = loadavg();
  const rnd = mulberry32(o.seed);
  const pg = await startPostgres();
  const redis = await startRedis();
  let server: SoakServer | undefined;
  const bots: SoakBot[] = [];
  try {
    const zones = `meadow:128x128:${o.cells}:${Math.max(80, o.bots * 10)}`;
    say(`starting the server (zones ${zones})`);
    server = await SoakServer.start({ databaseUrl: pg.url, redisUrl: redis.url, zones, npcTemplate: 'npc.boar', spawn: 'meadow:64:64', logFile: join(o.outDir, 'server.log') });
    const srv = server;
    const world = loadWorld(CONTENT_BUILD_DIR);
    const book = loadFightBook(CONTENT_DIR);
    const checks: (ContinuityCheck & { cause: BreakCause })[] = [];
    /** The fault under way (and for a while after its recovery, while the bots come back): what a break is blamed on. */
    const during: { fault: BreakCause; until: number } = { fault: 'none', until: 0 };
    const tolerances = { position: POSITION_TOLERANCE };
    for (let i = 0; i < o.bots; i++) {
      bots.push(
        new SoakBot({
          get httpBase() {
            return srv.httpBase;
          },
          get playUrl() {
            return srv.playUrl;
          },
          username: `soak_${o.seed}_${i}`,
          password: `soak-password-${o.seed}-${i}`,
          characterName: characterNameFor(`soak${o.seed}`, i),
          // Every class of the content in turn.
          classId: 1 + (i % Math.max(1, world.catalogue.classes.length)),
          behavior: o.behavior,
          book,
          rnd,
          tolerances,
          onCheck: (c) => checks.push({ ...c, cause: Date.now() < during.until ? during.fault : 'none' }),
        }),
      );
    }
    for (const b of bots) await b.start();
    say(`${bots.length} bots playing`);
    // The schedule runs from here: the server's first start (content and client builds) is not play.
    const playStart = Date.now();

    const durationMs = o.minutes * 60_000;
    const schedule = faultSchedule(durationMs);
    const faults: FaultRecord[] = [];
    const lastCell = { value: '' };
    const [cols, rows] = o.cells.split('x').map(Number);
    const targets = {
      server: () => srv.process,
      restartServer: () => srv.restart(),
      pg,
      redis,
      zones: [{ name: 'meadow', cells: cols * rows }],
      waitForLog: (text: string, ms: number) => srv.waitForLog(text, ms),
      rnd,
      outageMs: o.outageMs ?? 3000,
    };
    for (const s of schedule) {
      const wait = playStart + s.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      say(`injecting ${s.fault}`);
      during.fault = s.fault;
      during.until = Infinity;
      const f = await inject(s.fault, targets, playStart, lastCell);
      during.until = Date.now() + AFTERMATH_MS;
      faults.push(f);
      say(`  ${f.ok ? 'recovered' : 'NOT recovered'} ${f.target} ${f.recoveredMs ?? ''} ms: ${f.detail}`);
    }
    const left = playStart + durationMs - Date.now();
    if (left > 0) await sleep(left);

    // The end: actions stop, answers arrive, the last state is what each bot was told.
    say('quiescing the bots');
    for (const b of bots) b.quiesce();
    for (const end = Date.now() + 10_000; Date.now() < end && bots.some((b) => b.unanswered > 0 || !b.connected); ) await sleep(200);
    await sleep(1500);
    const playingAtEnd = bots.filter((b) => b.connected).length;
    const finals = bots.map((b) => ({ name: b.o.username, characterId: b.characterId, acked: copyState(b.state) }));
    await Promise.all(bots.map((b) => b.stop()));
    say('stopping the server (SIGTERM)');
    const exitCode = await server.stop();
    server = undefined;

    const db = openPostgres(pg.url);
    let characters;
    let ledger;
    try {
      characters = await auditCharacters(db, finals, world.catalogue, tolerances);
      ledger = await db.tx((q) => auditLedger(q, world.catalogue));
    } finally {
      await db.close();
    }
    const differing = characters.filter((c) => c.differences.length > 0);
    const report: SoakReport = {
      startedAt: new Date(startedAt).toISOString(),
      minutes: o.minutes,
      bots: o.bots,
      zones,
      behavior: o.behavior,
      box: { cores: cpus().length, loadStart, loadEnd: loadavg() },
      faults,
      checks: [
        ...faults.map((f): SoakCheck => ({ name: `${f.fault} at ${(f.at / 1000).toFixed(0)} s recovered`, pass: f.ok, detail: f.detail })),
        ...continuityChecks(checks),
        { name: 'every bot playing at the end', pass: playingAtEnd === bots.length, detail: `${playingAtEnd} of ${bots.length}` },
        {
          name: 'persisted state = last acknowledged state',
          pass: differing.length === 0,
          detail: `${characters.length} characters audited (position within ${POSITION_TOLERANCE} units, the rest exact); ${differing.length} differ${differing.length ? `: ${differing.slice(0, 5).map((c) => `${c.bot}: ${c.differences.join('; ')}`).join(' | ')}` : ''}`,
        },
        { name: 'item ledger audit', pass: ledger.problems.length === 0, detail: `${ledger.items} items, ${ledger.ledgerRows} ledger rows, ${ledger.characters} characters${ledger.problems.length ? `; ${ledger.problems.slice(0, 5).join('; ')}` : ''}` },
        { name: 'server stopped cleanly (exit 0)', pass: exitCode === 0, detail: `exit code ${exitCode}` },
        { name: 'no fatal or uncaught error in the server log', pass: srv.seen.fatal === 0 && srv.seen.uncaught === 0, detail: `${srv.seen.lines} lines, ${srv.seen.fatal} fatal, ${srv.seen.uncaught} uncaught/unhandled` },
      ],
      activity: sumCounts(bots),
      pass: false,
    };
    report.pass = report.checks.every((c) => c.pass);
    return report;
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    if (server) server.process.child.kill('SIGKILL');
    pg.dispose();
    await redis.dispose();
  }
}

/** A break is blamed on the fault under way, or on none (a gap of a loaded box). */
type BreakCause = FaultName | 'none';

/**
 * One check per cause of breaks: nothing the bots were told before it is
 * missing after it, exactly (experience too: it is told only once durable,
 * workers/combat/experience.ts).
 */
function continuityChecks(checks: (ContinuityCheck & { cause: BreakCause })[]): SoakCheck[] {
  const causes: BreakCause[] = [...FAULT_ORDER, 'none'];
  return causes.flatMap((cause): SoakCheck[] => {
    const mine = checks.filter((c) => c.cause === cause);
    if (mine.length === 0 && cause === 'none') return [];
    const lossy = mine.filter((c) => c.lost.length > 0);
    const count = (what: ContinuityCheck['what']) => mine.filter((c) => c.what === what).length;
    return [
      {
        name: cause === 'none' ? 'nothing acknowledged lost across breaks without a fault' : `nothing acknowledged lost across ${cause}`,
        pass: lossy.length === 0,
        detail: `${mine.length} restatements checked (${count('world')} world, ${count('items')} items, ${count('quests')} quests); ${lossy.length} with a loss${lossy.length ? `: ${lossy.slice(0, 5).map((c) => `${c.bot} ${c.what} after ${c.after}: ${c.lost.join('; ')}`).join(' | ')}` : ''}`,
        ...(lossy.length ? { findings: lossy.map((c) => `${c.bot} ${c.what} after ${c.after}: ${c.lost.join('; ')}`) } : {}),
      },
    ];
  });
}

function sumCounts(bots: SoakBot[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of bots) for (const [k, v] of Object.entries(b.counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

