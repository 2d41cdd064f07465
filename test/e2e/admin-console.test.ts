/**
 * The operator console in headless Chromium (Debian chromium,
 * playwright-core) on a whole world: log in as an admin, see the zones,
 * find a bot by name, teleport it (the bot's own client sees itself
 * there), kick it (closed with KICKED), and watch the audit log grow, with
 * the keyboard only for the selection. Screenshots of each step:
 * test-artifacts/admin/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloseCode } from '../../src/protocol/errors.ts';
import { newAccount, startAdminWorld, type AdminWorld } from '../helpers/admin-world.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { TestClient } from '../helpers/client.ts';

vi.setConfig({ testTimeout: 180_000 });

const ARTIFACTS = join(fileURLToPath(new URL('../../', import.meta.url)), 'test-artifacts', 'admin');

let w: AdminWorld;
let chromium: LaunchedChromium;
let browser: BrowserContext;
let admin: { username: string; password: string };
const bots: TestClient[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  w = await startAdminWorld({}, { perAddressPer10s: 100_000, perAccountPer10s: 100_000 });
  const a = await newAccount(w.base, 'console');
  await w.roles('grant', a.username, 'admin');
  admin = a;
  for (const name of ['bot-alpha', 'bot-bravo', 'Guest']) bots.push(await TestClient.connect(w.url, name));
  chromium = await launchChromium({ viewport: { width: 1280, height: 1000 } });
  browser = chromium.context;
}, 240_000);

afterAll(async () => {
  for (const b of bots) b.close();
  await chromium?.close();
  await w?.close();
}, 60_000);

describe('operator console (headless Chromium)', () => {
  it('logs in as admin, finds a bot, teleports it, kicks it and shows the audit log growing', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    // Live polls: how many, and the most ever in flight at once (the console waits for each answer).
    let polls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const isPoll = (url: string) => url.includes('/api/admin/live');
    page.on('request', (r) => {
      if (!isPoll(r.url())) return;
      polls++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
    });
    const done = (r: { url(): string }) => {
      if (isPoll(r.url())) inFlight--;
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    try {
      await page.goto(`${w.base}/admin/`);
      await expect.poll(() => page.title()).toBe('Tessera — operator console');
      await shot(page, '1-login');

      // Log in with the keyboard.
      const login = page.locator('#login-form');
      await login.getByLabel('Username').fill(admin.username);
      await login.getByLabel('Password').fill(admin.password);
      await login.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { name: /Players online/ }).waitFor();
      expect(await page.locator('#who-role').textContent()).toBe('admin');
      await expect.poll(() => page.locator('#online').textContent(), { timeout: 15_000 }).toBe('3');
      await expect.poll(() => page.locator('#zones tbody tr').first().textContent(), { timeout: 15_000 }).toContain('meadow');
      await shot(page, '2-live');

      // Find the bot by name: the filter narrows the live list.
      await page.getByLabel('Name starts with').fill('bot-b');
      await expect.poll(() => page.locator('#players tbody tr').count(), { timeout: 10_000 }).toBe(1);
      const select = page.getByRole('button', { name: 'Select bot-bravo' });
      await select.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#target-name').textContent()).toContain('bot-bravo');
      await shot(page, '3-found');

      // Teleport it to a point; the bot's own client sees itself there.
      const bot = bots[1]!;
      await page.getByLabel('Reason (recorded in the audit log)').fill('moved off the spawn point');
      await page.getByLabel('x', { exact: true }).fill('40.5');
      await page.getByLabel('y', { exact: true }).fill('30.5');
      await page.getByRole('button', { name: 'Teleport to point' }).click();
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toContain('teleported');
      await bot.until(() => {
        const at = bot.positionOf(bot.me);
        return at !== undefined && Math.hypot(at.x - 40.5, at.y - 30.5) < 3;
      }, 15_000, 'bot at the new place');
      await expect.poll(() => page.locator('#players tbody tr').first().textContent(), { timeout: 10_000 }).toMatch(/4\d\.\d, 3\d\.\d/);
      await expect.poll(() => page.locator('#audit tbody tr').count(), { timeout: 10_000 }).toBe(2);
      await shot(page, '4-teleported');

      // Kick it: closed with KICKED and the reason.
      await page.getByLabel('Reason (recorded in the audit log)').fill('bots may not loiter');
      await page.getByRole('button', { name: 'Kick' }).click();
      expect(await bot.waitClosed(10_000)).toBe(CloseCode.KICKED);
      expect(bot.closeReason).toBe('bots may not loiter');
      await expect.poll(() => page.locator('#audit tbody tr').count(), { timeout: 10_000 }).toBe(3);
      expect(await page.locator('#audit tbody tr').first().textContent()).toContain('bots may not loiter');
      await page.getByLabel('Name starts with').fill('');
      await expect.poll(() => page.locator('#online').textContent(), { timeout: 10_000 }).toBe('2');
      await shot(page, '5-kicked');

      // Live (the views above changed without a reload), one request at a time.
      expect(polls).toBeGreaterThan(3);
      expect(maxInFlight).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
