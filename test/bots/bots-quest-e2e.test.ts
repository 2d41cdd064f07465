/**
 * Questing bots against a real server process on the default world (its
 * data copied, with Wolves at the Gate asking for two wolves instead of six
 * so the run stays short): guests start in Emberwick, walk to Elder Maren
 * by A* routes, take her quest, go through the town gate into the Ashen
 * Fields, hunt wolves in their meadow, come back and turn it in. The quest
 * log says it is done and the report counts it, per bot and by reason.
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
  dir = mkdtempSync(join(tmpdir(), 'tessera-questbots-'));
  // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
  await seedPglite(join(dir, 'data', 'pglite'));
  const content = join(dir, 'content');
  cpSync('data', content, { recursive: true });
  const file = join(content, 'quests.json');
  const quests = JSON.parse(readFileSync(file, 'utf8')) as { quests: { id: string; objectives: { count?: number }[] }[] };
  quests.quests.find((q) => q.id === 'quest.wolves_at_the_gate')!.objectives[0].count = 2;
  writeFileSync(file, JSON.stringify(quests));
  server = await startServer(
    { DATA_DIR: join(dir, 'data'), CONTENT_DIR: content, CONTENT_BUILD_DIR: join(dir, 'build'), ALLOW_GUESTS: '1', LOG_LEVEL: 'warn', GATE_IP_LIMIT_EXEMPT: 'loopback' },
    { timeoutMs: 150_000 },
  );
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('questing bots on the default world', () => {
  it('take a kill quest from its giver in town, kill its wolves in the field, come back and turn it in', async () => {
    const report = await runBots(
      // Up to 150 s on a loaded box; on a quiet one the first turn-in comes in about a minute and ends the run.
      { ...defaultBotOptions(2), url: server.url, count: 2, duration: 150, ramp: 1, guests: true, workers: 1, behavior: 'quest', progress: false, prefix: 'quester', content: join(dir, 'content') },
      { serverPid: server.pid, until: (t) => (t.quests.accepted ?? 0) >= 2 && (t.quests.completed ?? 0) >= 1 && (t.quests.log_done ?? 0) >= (t.quests.completed ?? 0) },
    );
    expect(report.connected).toBe(2);
    expect(report.errors).toBe(0);
    expect(report.disconnects).toBe(0);
    const q = report.quests;
    const seen = JSON.stringify(q);
    // Both took the quest from Elder Maren (within talking range: no refusals); one at least finished it and took the next.
    expect(q.accepted, seen).toBeGreaterThanOrEqual(2);
    expect(q.completed ?? 0, seen).toBeGreaterThanOrEqual(1);
    // The server's quest log said done too (the rewards were paid), not only QUEST_RESULT.
    expect(q.log_done, seen).toBe(q.completed);
    expect(Object.keys(q).filter((k) => k.startsWith('refused_') || k === 'no_route' || k === 'no_way'), seen).toEqual([]);
    // Through the town gate, and back.
    expect(report.zoneChanges).toBeGreaterThanOrEqual(3);
    expect(report.combat.kills).toBeGreaterThanOrEqual(2);
    expect(report.questsPerBot?.accepted).toMatchObject({ bots: 2, min: expect.any(Number) });
    expect(report.questsPerBot!.accepted.min).toBeGreaterThanOrEqual(1);
    expect(report.questsPerBot!.completed.max).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
