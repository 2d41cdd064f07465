/**
 * The browser client resumes after a dropped connection, in headless
 * Chromium against a real server on the default world: the server cuts the
 * page's socket with no close frame (as a network that goes away: the page
 * sees 1006), the page says "Reconnecting…", connects again, resumes with
 * the server's token and goes on with the same entity at the same place,
 * in the same document.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { ensureClientBuild, REPO_ROOT } from '../../../src/main/http/client-build.ts';
import { PromGateMetrics } from '../../../src/main/metrics/gate.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import type { DebugState } from '../../../web/client/src/debug-types.ts';
import { launchChromium, type LaunchedChromium } from '../../helpers/chromium.ts';
import { silentLog } from '../../helpers/zone.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web-client');

let server: Tessera;
let build: string;
let chromium: LaunchedChromium;
let page: Page;
const metrics = new PromGateMetrics();
const pageErrors: string[] = [];

async function until(cond: (s: DebugState) => boolean, ms: number, what: string): Promise<DebugState> {
  const deadline = Date.now() + ms;
  let last: DebugState | undefined;
  for (;;) {
    last = (await page.evaluate('window.__tessera?.state()').catch(() => undefined)) as DebugState | undefined;
    if (last && cond(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last && { ...last, others: last.others.length })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  build = mkdtempSync(join(tmpdir(), 'tessera-client-build-'));
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_BUILD_DIR: build });
  const content = prepareWorld(cfg, silentLog);
  if (!content) throw new Error('data/world.json is missing');
  await ensureClientBuild(cfg.clientBuildDir, silentLog);
  server = await startTessera(cfg, { log: silentLog, content, clientDir: cfg.clientBuildDir, gateMetrics: metrics });
  chromium = await launchChromium({ webgl: true, viewport: { width: 1280, height: 720 } });
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  rmSync(build, { recursive: true, force: true });
});

describe('the browser client after a dropped connection (headless Chromium)', () => {
  it('says "Reconnecting…", resumes with the same entity where it stood, without a reload', { timeout: 120_000 }, async () => {
    await page.goto(`${server.tls ? 'https' : 'http'}://127.0.0.1:${server.port}/client/?guest=Resumer&debug=1`);
    const before = await until((x) => x.me !== null && !x.loading && x.rtt > 0, 60_000, 'the player in the town');
    await page.evaluate('window.__sameDocument = true');
    // Every text the connection status shows from now on.
    await page.evaluate(
      "window.__connTexts = []; new MutationObserver(() => window.__connTexts.push(document.getElementById('conn-text').textContent)).observe(document.getElementById('conn-text'), { childList: true, characterData: true, subtree: true })",
    );
    const [conn] = [...server.gate.connections.values()];
    expect(conn.handle).toBe(before.me!.id);

    // The server cuts the socket: no close frame, the page sees 1006.
    conn.ws.terminate();
    await expect.poll(() => metrics.resumes.get('resumed'), { timeout: 30_000 }).toBe(1);
    const after = await until((x) => x.state === 2 && x.me !== null && !x.loading && x.rtt > 0, 30_000, 'the player back');
    expect(after.me!.id).toBe(before.me!.id);
    expect(Math.hypot(after.me!.serverX - before.me!.serverX, after.me!.serverY - before.me!.serverY)).toBeLessThan(0.1);
    await expect.poll(() => page.locator('#conn-text').textContent(), { timeout: 20_000 }).toMatch(/^(Connected|Lagging) · \d+ ms$/);
    const texts = (await page.evaluate('window.__connTexts')) as string[];
    expect(texts).toContain('Reconnecting…');
    expect(metrics.resumes.get('dropped')).toBe(1);
    expect(server.gate.connections.size).toBe(1);
    expect([...server.gate.connections.values()][0]).toBe(conn);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    writeFileSync(join(ARTIFACTS, '07-resumed.png'), await page.screenshot({ type: 'png' }));

    // It plays on: the keyboard moves it again (its inputs count on the resumed connection).
    await page.getByRole('application', { name: /Game world/ }).focus();
    await page.keyboard.down('KeyD');
    await until((x) => x.me!.serverX >= after.me!.serverX + 1, 20_000, 'the server moving the player east after the resume');
    await page.keyboard.up('KeyD');
    expect(pageErrors).toEqual([]);
  });
});
