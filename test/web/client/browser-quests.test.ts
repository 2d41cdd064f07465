/**
 * Quests in the browser client, in headless Chromium against a real server
 * on the default world: a guest sees the ! over Elder Maren, walks up to her,
 * presses E, reads Wolves at the Gate in her dialog and accepts it; the quest
 * log (L) shows it with its count, and her marker turns to the grey ? of a
 * quest under way. Screenshots in test-artifacts/web-client/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../../src/content/zone-map.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { ensureClientBuild, REPO_ROOT } from '../../../src/main/http/client-build.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import { QuestState } from '../../../src/protocol/quest-codes.ts';
import type { DebugState } from '../../../web/client/src/debug-types.ts';
import { launchChromium, type LaunchedChromium } from '../../helpers/chromium.ts';
import { silentLog } from '../../helpers/zone.ts';
import { pageUntil, pageWalk, route } from './page-driver.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web-client');
let server: Tessera;
let build: string;
let chromium: LaunchedChromium;
let page: Page;
let town: ZoneMap;
let elder = 0;
let wolves = 0;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  build = mkdtempSync(join(tmpdir(), 'tessera-client-build-'));
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_BUILD_DIR: build });
  const content = prepareWorld(cfg, silentLog);
  if (!content) throw new Error('data/world.json is missing');
  town = decodeZonePack(new Uint8Array(content.zones.find((z) => z.name === 'town')!.pack));
  elder = content.catalogue.npcs.findIndex((n) => n.id === 'npc.elder_maren') + 1;
  wolves = content.catalogue.quests.findIndex((q) => q.id === 'quest.wolves_at_the_gate');
  await ensureClientBuild(cfg.clientBuildDir, silentLog);
  server = await startTessera(cfg, { log: silentLog, content, clientDir: cfg.clientBuildDir });
  chromium = await launchChromium({ webgl: true, viewport: { width: 1280, height: 720 } });
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  rmSync(build, { recursive: true, force: true });
});

const elderOf = (s: DebugState) => s.others.find((o) => o.kind === 2 && o.template === elder);

describe('quests in the browser client (headless Chromium)', () => {
  it('shows ! over the quest giver, takes her quest through her dialog, and lists it in the log', { timeout: 180_000 }, async () => {
    await page.goto(`http://127.0.0.1:${server.port}/client/?guest=Questor&debug=1`);
    let s = await pageUntil(page, (x) => x.me !== null && !x.loading && x.zone === 'town' && x.frames > 5, 30_000, 'the town drawn with the player');
    const at = town.npcs.find((n) => n.npc === 'npc.elder_maren')!;
    await pageWalk(page, route(town, s.me!.serverX, s.me!.serverY, at.x, at.y + 2), (x) => {
      const e = elderOf(x);
      return e !== undefined && x.me !== null && Math.hypot(e.x - x.me.x, e.y - x.me.y) < 3;
    }, 'to Elder Maren');
    s = await pageUntil(page, (x) => elderOf(x) !== undefined && x.quests.markers[elderOf(x)!.id] === 'available', 10_000, 'the ! over Elder Maren');
    writeFileSync(join(ARTIFACTS, '20-quest-giver.png'), await page.screenshot({ type: 'png' }));

    await page.getByRole('application', { name: /Game world/ }).focus();
    await page.keyboard.press('e');
    await pageUntil(page, (x) => x.quests.dialogOpen, 10_000, 'her dialog');
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.locator('h2').textContent(), { timeout: 5000 }).toBe('Elder Maren');
    await expect.poll(() => dialog.textContent(), { timeout: 5000 }).toContain('Wolves at the Gate');
    expect(await dialog.textContent()).toContain('Rewards: 250 experience, 10 gold');
    writeFileSync(join(ARTIFACTS, '21-quest-dialog.png'), await page.screenshot({ type: 'png' }));
    await dialog.getByRole('button', { name: 'Accept' }).first().click();

    s = await pageUntil(page, (x) => x.quests.log[wolves] === QuestState.ACTIVE, 10_000, 'the quest in the log');
    await pageUntil(page, (x) => x.quests.markers[elderOf(x)!.id] === 'active', 10_000, 'her marker under way');
    await page.getByRole('application', { name: /Game world/ }).focus();
    await page.keyboard.press('l');
    const log = page.getByRole('region', { name: 'Quest log' });
    await expect.poll(() => log.textContent(), { timeout: 5000 }).toContain('Wolves at the Gate');
    expect(await log.textContent()).toContain('Slay Grey Wolf: 0/6');
    writeFileSync(join(ARTIFACTS, '22-quest-log.png'), await page.screenshot({ type: 'png' }));
    expect(pageErrors).toEqual([]);
  });
});
