/**
 * An item move committed, then the process killed (SIGKILL) before the next
 * write-behind save: the audit still balances, and the item is where the last
 * acknowledged move put it (or further: moves committed, not yet told).
 * For the embedded PGlite and for real PostgreSQL. Also `npm run audit:items`
 * on what the crash left: exit 0, then 1 naming a tampered item, 2 when it
 * cannot run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileContent } from '../../src/content/compile.ts';
import { loadWorld } from '../../src/content/load-world.ts';
import { auditItems } from '../../src/main/items/audit.ts';
import { ItemCatalogue } from '../../src/main/items/catalogue.ts';
import { openPglite } from '../../src/main/persistence/pglite-local.ts';
import { openPostgres } from '../../src/main/persistence/postgres.ts';
import type { Db } from '../../src/main/persistence/db.ts';
import { seedPglite } from '../helpers/pglite-template.ts';
import { startPostgres, type PgServer } from './services.ts';

const CHILD = new URL('./fixtures/items-crash-child.ts', import.meta.url).pathname;
const CLI = new URL('../../src/main/items/audit-cli.ts', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const MOVES = 25;

interface Step {
  step: number;
  container: string;
  slot: number;
}

let root = '';
let buildDir = '';
let catalogue: ItemCatalogue;
let pgs: PgServer | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tessera-items-crash-'));
  buildDir = join(root, 'build');
  const r = compileContent({ dataDir: join(ROOT, 'data'), buildDir });
  if (!r.ok) throw new Error(`content does not compile: ${JSON.stringify(r.errors[0])}`);
  catalogue = new ItemCatalogue(loadWorld(buildDir).catalogue.items);
  pgs = await startPostgres();
}, 180_000);
afterAll(() => {
  pgs?.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Runs the child until it reported `moves` committed moves, kills it, returns its character, sword and the last step told. */
async function runAndKill(cfg: object): Promise<Run> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  let id = 0;
  /** The sword's equipment slot, from the first step that equipped it (every fifth). */
  let weaponSlot = -1;
  let sword = 0;
  let last: Step | undefined;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (!line.startsWith('{"')) continue;
      const m = JSON.parse(line) as { id?: number; sword?: number } & Partial<Step>;
      if (m.id) ({ id, sword } = m as { id: number; sword: number });
      if (m.step) last = m as Step;
      if (m.step && m.container === 'equipment') weaponSlot = m.slot!;
      if (last && last.step >= MOVES) {
        child.kill('SIGKILL');
        break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await exited;
  expect(child.signalCode, stderr).toBe('SIGKILL');
  expect(last, stderr).toBeDefined();
  return { id, sword, last: last!, weaponSlot };
}

interface Run {
  id: number;
  sword: number;
  last: Step;
  weaponSlot: number;
}

/** Where the child's step `k` puts the sword (items-crash-child.ts): equipped every fifth step, else bag slot 2 + k % 10. */
const placeAfter = (k: number, weaponSlot: number) => (k % 5 === 0 ? { container: 'equipment', slot: weaponSlot } : { container: 'bag', slot: 2 + (k % 10) });

async function checkAfterCrash(db: Db, run: Run): Promise<void> {
  const report = await db.tx((q) => auditItems(q, catalogue));
  expect(report.problems).toEqual([]);
  const [row] = await db.query<{ container: string; slot: number }>('SELECT container, slot FROM item_instances WHERE id = $1', [run.sword]);
  const [{ gold }] = (await db.query<{ gold: number }>('SELECT gold::float8 AS gold FROM characters WHERE id = $1', [run.id])) as [{ gold: number }];
  // Every acknowledged step landed (a step is a move, then a gold commit, then the line); the child may have
  // run on by a step or more between the line read and the kill, so gold says how far: steps 1..gold landed whole,
  // and the next step's move may have landed without its gold. Nothing else.
  expect(run.weaponSlot).toBeGreaterThanOrEqual(0);
  expect(gold).toBeGreaterThanOrEqual(run.last.step);
  expect([placeAfter(gold, run.weaponSlot), placeAfter(gold + 1, run.weaponSlot)]).toContainEqual(row);
}

function auditCli(env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI], { env: { ...process.env, CONTENT_BUILD_DIR: buildDir, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('an item move committed, then SIGKILL before the next save', () => {
  it('embedded PGlite: the audit balances, nothing acknowledged is lost; audit:items agrees', async () => {
    const dataDir = join(root, 'embedded');
    // From the initdb-only template (helpers/pglite-template.ts): the child migrates it.
    await seedPglite(join(dataDir, 'pglite'));
    const run = await runAndKill({ dataDir, buildDir });
    const db = await openPglite(join(dataDir, 'pglite'));
    try {
      await checkAfterCrash(db, run);
    } finally {
      await db.close();
    }
    const good = auditCli({ DATA_DIR: dataDir });
    expect(good.out).toMatch(/^audit:items OK: 2 items, \d+ ledger rows, 1 characters/);
    expect(good.status).toBe(0);
  }, 300_000);

  it('real PostgreSQL: the audit balances, nothing acknowledged is lost; audit:items names a tampered item', async () => {
    const dataDir = join(root, 'real');
    const run = await runAndKill({ databaseUrl: pgs!.url, dataDir, buildDir });
    const db = openPostgres(pgs!.url);
    try {
      await checkAfterCrash(db, run);
      expect(auditCli({ DATABASE_URL: pgs!.url }).status).toBe(0);
      await db.query('UPDATE item_instances SET count = count + 1 WHERE id = $1', [run.sword]);
      const bad = auditCli({ DATABASE_URL: pgs!.url });
      expect(bad.status).toBe(1);
      expect(bad.out).toContain(`item ${run.sword}: at`);
      expect(bad.out).toContain('count over the stack size 1');
    } finally {
      await db.close();
    }
    const broken = auditCli({ DATABASE_URL: 'mysql://nope' });
    expect(broken.status).toBe(2);
    expect(broken.out).toContain('DATABASE_URL');
  }, 300_000);
});
