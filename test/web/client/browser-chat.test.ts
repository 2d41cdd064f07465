/**
 * The chat box in headless Chromium against a real server on the default
 * world (as browser-play.test.ts runs it): a guest opens /client/, presses
 * Enter, types a line and sees it echoed (said around it, so heard by itself
 * and by a bot standing next to it); the bot's say and whisper appear in the
 * log; /r answers the whisper; a line with a bidi override is refused and
 * the page says why; an announcement shows as a [System] line. Screenshot: test-artifacts/web-client/chat.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { ensureClientBuild, REPO_ROOT } from '../../../src/main/http/client-build.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import { ChatChannel, ChatReason } from '../../../src/protocol/chat-codes.ts';
import type { DebugState } from '../../../web/client/src/debug-types.ts';
import { launchChromium, type LaunchedChromium } from '../../helpers/chromium.ts';
import { TestClient } from '../../helpers/client.ts';
import { silentLog } from '../../helpers/zone.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web-client');

let server: Tessera;
let build: string;
let chromium: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

async function until(cond: (s: DebugState) => boolean, ms: number, what: string): Promise<DebugState> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = (await page.evaluate('window.__tessera?.state()').catch(() => undefined)) as DebugState | undefined;
    if (s && cond(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const logLines = () => page.locator('#chat-log li').allTextContents();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  build = mkdtempSync(join(tmpdir(), 'tessera-chat-build-'));
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_BUILD_DIR: build });
  const content = prepareWorld(cfg, silentLog);
  if (!content) throw new Error('data/world.json is missing');
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

describe('the chat box (headless Chromium)', () => {
  it('types a line and sees it echoed, shows another player\'s lines, answers a whisper with /r, and says why a message was refused', { timeout: 120_000 }, async () => {
    await page.goto(`http://127.0.0.1:${server.port}/client/?guest=Tester&debug=1`);
    await until((x) => x.me !== null && !x.loading, 30_000, 'the player in the world');
    const bot = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, 'Friend', undefined, 0, server.contentHash ?? '');
    try {
      await bot.until(() => bot.positionOf(bot.me) !== undefined, 15_000, 'bot placed');

      // Enter opens the line from the game; Enter sends and gives the keys back to the game.
      await page.getByRole('application', { name: /Game world/ }).focus();
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('chat-input');
      await page.keyboard.type('hello from the browser');
      await page.keyboard.press('Enter');
      await expect.poll(logLines, { timeout: 15_000 }).toContain('Tester: hello from the browser');
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).not.toBe('chat-input');
      await bot.until(() => bot.heard(ChatChannel.SAY).some((l) => l.text === 'hello from the browser'), 10_000, 'the bot hears the guest');

      // Another player's lines: said next to it, and whispered to it.
      bot.chat(ChatChannel.SAY, 'hi Tester');
      await expect.poll(logLines, { timeout: 15_000 }).toContain('Friend: hi Tester');
      bot.chat(ChatChannel.WHISPER, 'psst, over here', 'Tester');
      await expect.poll(logLines, { timeout: 15_000 }).toContain('[From] Friend: psst, over here');
      await page.keyboard.press('Enter');
      await page.keyboard.type('/r coming');
      await page.keyboard.press('Enter');
      await bot.until(() => bot.heard(ChatChannel.WHISPER).some((l) => l.name === 'Tester' && l.text === 'coming'), 10_000, 'the answer to the whisper');
      await expect.poll(logLines, { timeout: 15_000 }).toContain('[To] Friend: coming');

      // A direction override is refused, and the page says why; the channel picker switches channels.
      await page.keyboard.press('Enter');
      await page.keyboard.insertText('see \u202Egnp.exe');
      await page.keyboard.press('Enter');
      const refusal = page.locator(`#chat-log li[data-reason="${ChatReason.FORBIDDEN_CHARACTERS}"]`);
      await expect.poll(() => refusal.count(), { timeout: 15_000 }).toBe(1);
      expect(await refusal.textContent()).toMatch(/characters chat does not allow/);
      await page.locator('#chat-channel').selectOption(String(ChatChannel.ZONE));
      await page.locator('#chat-input').fill('zone hello');
      await page.locator('#chat-input').press('Enter');
      await expect.poll(logLines, { timeout: 15_000 }).toContain('[Zone] Tester: zone hello');
      expect(bot.heard(ChatChannel.SAY).some((l) => l.text.includes('exe'))).toBe(false);

      // An announcement (the console's, a world event's) is a [System] line in the log, besides its toast.
      expect(server.chat.announce('all', 'The server restarts in 5 minutes')).toBe(2);
      await expect.poll(logLines, { timeout: 15_000 }).toContain('[System] The server restarts in 5 minutes');
      expect(await page.locator(`#chat-log li[data-channel="${ChatChannel.SYSTEM}"]`).count()).toBe(1);
      writeFileSync(join(ARTIFACTS, 'chat.png'), await page.screenshot({ type: 'png' }));
      expect(pageErrors).toEqual([]);
    } finally {
      bot.close();
    }
  });
});
