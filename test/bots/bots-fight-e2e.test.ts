/**
 * Fighting bots against a real server on the default world's content (its
 * NPC templates, skills and maps), started in the Ashen Fields rather than
 * the town (a copy of data/ whose world.json starts there), so the bots
 * meet wolves and boars without first finding the town gate. A few guest
 * warriors must kill NPCs with auto-attacks and skills and be paid in
 * experience, with no protocol errors.
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
  dir = mkdtempSync(join(tmpdir(), 'tessera-fightbots-'));
  // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
  await seedPglite(join(dir, 'data', 'pglite'));
  const content = join(dir, 'content');
  cpSync('data', content, { recursive: true });
  const world = JSON.parse(readFileSync(join(content, 'world.json'), 'utf8')) as { start: string };
  world.start = 'field';
  writeFileSync(join(content, 'world.json'), JSON.stringify(world));
  server = await startServer(
    { DATA_DIR: join(dir, 'data'), CONTENT_DIR: content, CONTENT_BUILD_DIR: join(dir, 'build'), ALLOW_GUESTS: '1', LOG_LEVEL: 'warn', GATE_IP_LIMIT_EXEMPT: 'loopback' },
    { timeoutMs: 120_000 },
  );
}, 150_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fighting bots on the default world', () => {
  it('kill NPCs with auto-attacks and skills, gain experience, and respawn when they die', async () => {
    const report = await runBots(
      { ...defaultBotOptions(4), url: server.url, count: 4, duration: 120, ramp: 1, guests: true, workers: 1, behavior: 'fight', hunt: 'nearest', progress: false, prefix: 'fighter', content: join(dir, 'content') },
      // Ends once everything below happened (a dead bot must also have asked to come back), at most 120 s.
      { serverPid: server.pid, until: ({ combat: c }) => (c.attacks_sent ?? 0) >= 4 && (c.skills_sent ?? 0) >= 1 && (c.swings_landed ?? 0) >= 1 && (c.skill_hits ?? 0) >= 1 && (c.kills ?? 0) >= 1 && (c.experience ?? 0) > 0 && ((c.deaths ?? 0) === 0 || (c.respawns_sent ?? 0) >= 1) },
    );
    expect(report.connected).toBe(4);
    expect(report.errors).toBe(0);
    expect(report.disconnects).toBe(0);
    const c = report.combat;
    expect(c.attacks_sent).toBeGreaterThanOrEqual(4);
    expect(c.skills_sent).toBeGreaterThanOrEqual(1);
    expect(c.swings_landed).toBeGreaterThanOrEqual(1);
    expect(c.skill_hits).toBeGreaterThanOrEqual(1);
    expect(c.kills).toBeGreaterThanOrEqual(1);
    expect(c.experience).toBeGreaterThan(0);
    // A bot that died asked to come back (and one that did not die sent no respawn).
    if ((c.deaths ?? 0) > 0) expect(c.respawns_sent).toBeGreaterThanOrEqual(1);
    else expect(c.respawns_sent ?? 0).toBe(0);
    // The book's numbers are the server's: no skill is unknown to it.
    expect(c.refused_unknown_skill ?? 0).toBe(0);
  }, 180_000);
});
