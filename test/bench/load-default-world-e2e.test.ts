/**
 * The load bench's smoke run: one tiny step of `--world default --behavior
 * fight` (a real server process on a copy of the default world, account
 * bots that register, log in and fight in the Ashen Fields). Every loot
 * group of the copy drops its first item always, so a kill's loot is sure
 * and the step's item transactions show. The step's record must show
 * kills, item operations committed to the database, the coordinator's
 * event-loop delay over the window and the machine's load.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLoadArgs } from '../../bench/lib/load-args.ts';
import { runSweep } from '../../bench/lib/load-sweep.ts';

let dir: string;
let content: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-loadsmoke-'));
  content = join(dir, 'content');
  cpSync('data', content, { recursive: true });
  const file = join(content, 'loot.json');
  const loot = JSON.parse(readFileSync(file, 'utf8')) as { loot: { groups: { entries: { chance: number }[] }[] }[] };
  for (const t of loot.loot) for (const g of t.groups) g.entries = [{ ...g.entries[0], chance: 10_000 }];
  writeFileSync(file, JSON.stringify(loot));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the load bench on the default world', () => {
  it('fights with account bots and records kills, item transactions, loop delay and machine load per step', async () => {
    const args = parseLoadArgs(
      // The nearest hunting grounds: a 20 s window has no time for a walk across the fields.
      ['--world', 'default', '--behavior', 'fight', '--hunt', 'nearest', '--content', content, '--steps', '6', '--steady', '20', '--settle', '1', '--workers', '1', '--retries', '0', '--max-minutes', '3', '--out', join(dir, 'out')],
      process.cwd(),
    );
    const lines: string[] = [];
    const r = await runSweep(args, process.cwd(), (l) => lines.push(l));
    expect(r.steps, lines.join('\n')).toHaveLength(1);
    const s = r.steps[0];
    const seen = JSON.stringify({ game: s.game, itemOps: s.itemOps, combat: s.report?.combat, items: s.report?.items, failed: s.report?.failedByReason, missed: s.missed });
    // Every bot came in through the account API (no guests on this world) and stayed.
    expect(s.report?.connected, seen).toBe(6);
    expect(s.report?.failed, seen).toBe(0);
    expect(s.openAtEnd, seen).toBe(6);
    expect(r.setup.bots).toMatch(/^accounts/);
    // They fought: kills in the window, and the loot of kills picked up into bags through database transactions.
    expect(s.game.kills, seen).toBeGreaterThanOrEqual(1);
    expect(s.itemOps?.committed ?? 0, seen).toBeGreaterThanOrEqual(1);
    expect((s.itemOps?.byOp.loot ?? 0) + (s.itemOps?.byOp.gold ?? 0), seen).toBeGreaterThanOrEqual(1);
    expect(s.itemOps?.transactionP99Ms ?? -1, seen).toBeGreaterThan(0);
    expect(s.game.pickedUp, seen).toBeGreaterThanOrEqual(1);
    // The coordinator's loop delay over the window and the machine's load are recorded.
    expect(s.loopDelay.p99Ms).not.toBeNull();
    expect(s.loopDelay.p99Ms!).toBeGreaterThanOrEqual(0);
    expect(s.machineLoad.otherCpuCores).not.toBeNull();
    expect(typeof s.representative).toBe('boolean');
    expect(s.representativeBasis).toBe('proc');
  }, 150_000);
});
