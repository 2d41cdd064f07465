/**
 * Looting bots against a real server process on the default world, with
 * characters (accounts on the embedded database, so items are kept) and
 * two changes to a copy of its data: Wolves at the Gate asks for two
 * wolves (the run stays short), and a wolf always drops a Leather Jerkin and
 * a Healing Draught (no waiting on a 1.5 % roll). Questing bots walk from
 * Emberwick to the wolf meadow for Elder Maren's quest, kill wolves, pick
 * up what their kills dropped, and put the jerkin on.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBotOptions } from '../../src/bots/options.ts';
import { runBots } from '../../src/bots/run.ts';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { seedPglite } from '../helpers/pglite-template.ts';

let server: ServerProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-lootbots-'));
  // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
  await seedPglite(join(dir, 'data', 'pglite'));
  const content = join(dir, 'content');
  cpSync('data', content, { recursive: true });
  const questFile = join(content, 'quests.json');
  const quests = JSON.parse(readFileSync(questFile, 'utf8')) as { quests: { id: string; objectives: { count?: number }[] }[] };
  quests.quests.find((q) => q.id === 'quest.wolves_at_the_gate')!.objectives[0].count = 2;
  writeFileSync(questFile, JSON.stringify(quests));
  const lootFile = join(content, 'loot.json');
  const loot = JSON.parse(readFileSync(lootFile, 'utf8')) as { loot: { id: string; groups: { name?: string; entries: { item: string; chance: number }[] }[] }[] };
  const wolf = loot.loot.find((t) => t.id === 'loot.wolf')!;
  wolf.groups.find((g) => g.name === 'rare')!.entries = [{ item: 'item.leather_jerkin', chance: 10_000 }];
  wolf.groups.find((g) => g.name === 'pelts')!.entries = [{ item: 'item.health_potion', chance: 10_000 }];
  writeFileSync(lootFile, JSON.stringify(loot));
  server = await startServer({ DATA_DIR: join(dir, 'data'), CONTENT_DIR: content, CONTENT_BUILD_DIR: join(dir, 'build'), LOG_LEVEL: 'warn', GATE_IP_LIMIT_EXEMPT: 'loopback' }, { timeoutMs: 150_000 });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('looting bots on the default world', () => {
  it('pick up the loot of their kills and wear the better armour', async () => {
    const report = await runBots(
      { ...defaultBotOptions(2), url: server.url, count: 2, duration: 120, ramp: 1, guests: false, workers: 1, behavior: 'quest', progress: false, prefix: 'looter', content: join(dir, 'content') },
      // Ends once a kill's loot is picked up and the jerkin worn, at most 120 s.
      { serverPid: server.pid, until: ({ combat, items }) => (combat.kills ?? 0) >= 1 && (items.picked_up ?? 0) >= 2 && (items.equipped ?? 0) >= 1 },
    );
    expect(report.connected).toBe(2);
    expect(report.errors).toBe(0);
    expect(report.disconnects).toBe(0);
    const items = report.items;
    const seen = JSON.stringify({ items, combat: report.combat, quests: report.quests });
    expect(report.combat.kills ?? 0, seen).toBeGreaterThanOrEqual(1);
    // A jerkin and a draught lie by every dead wolf: both picked up, and the jerkin worn (nothing was on the chest).
    expect(items.picked_up ?? 0, seen).toBeGreaterThanOrEqual(2);
    expect(items.equipped ?? 0, seen).toBeGreaterThanOrEqual(1);
    // Characters keep items. A bot looks only where loot dropped for it, but two bots' kills may lie together:
    // the server refuses what is the other's (NOT_YET_YOURS), which must stay the exception.
    expect(items.refused_no_character ?? 0, seen).toBe(0);
    expect(items.refused_not_yet_yours ?? 0, seen).toBeLessThan(items.picked_up ?? 0);
  }, 150_000);
});
