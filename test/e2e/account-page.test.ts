/**
 * The account page in headless Chromium (Debian chromium, playwright-core):
 * register, log in, create a character and see it listed, see a named field
 * error, delete it, log out and in again. Served by the embedded default.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsAndStorage, type AccountsAndStorage } from '../helpers/accounts-storage.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { seedPglite } from '../helpers/pglite-template.ts';

let p: AccountsAndStorage;
let server: http.Server;
let chromium: LaunchedChromium;
let browser: BrowserContext;
let base = '';
const dirs: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  dirs.push(dataDir);
  // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
  await seedPglite(join(dataDir, 'pglite'));
  p = await openAccountsAndStorage({ dataDir, tuning: { scryptLog2N: 10, hashThreads: 1 } });
  server = http.createServer((req, res) => {
    void p.handleHttp(req, res).then((mine) => {
      if (!mine) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chromium = await launchChromium();
  browser = chromium.context;
});

afterAll(async () => {
  await chromium?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await p?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function charNames(page: Page): Promise<string[]> {
  return page.locator('#chars li .name').allTextContents();
}

describe('account page (headless Chromium)', () => {
  it('registers, logs in, creates a character, lists it, deletes it', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    try {
      await page.goto(base + '/');
      await expect.poll(() => page.title()).toBe('Tessera — account');

      // Register (which logs in).
      const username = `page${Date.now() % 1e8}`;
      const reg = page.locator('#register-form');
      await reg.getByLabel('Username').fill(username);
      await reg.getByLabel('Password').fill('correct horse');
      await reg.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Your characters' }).waitFor();
      expect(await page.locator('#who-name').textContent()).toBe(username);
      // The heading shows while the login inside registering finishes; the final word follows it.
      await expect.poll(() => page.locator('#status').textContent()).toContain(`Account ${username} created. You are logged in.`);

      // A bad name is refused with the field marked.
      const create = page.locator('#create-form');
      await create.getByLabel('Name').fill('Bad Name1');
      await create.getByRole('button', { name: 'Create character' }).click();
      await expect.poll(() => page.locator('#create-error').textContent()).toMatch(/letters/);
      expect(await create.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

      // Create one and see it listed.
      await create.getByLabel('Name').fill('Zoë');
      await create.getByLabel('Class').selectOption({ label: 'Mage' });
      await create.getByLabel('Hair').selectOption('3');
      await create.getByRole('button', { name: 'Create character' }).click();
      await expect.poll(() => charNames(page)).toEqual(['Zoë']);
      expect(await page.locator('#chars li').first().textContent()).toContain('Mage, level 1');
      expect(await page.getByRole('link', { name: 'Play Zoë' }).getAttribute('href')).toMatch(/character=\d+/);

      // Log out and in again: still there.
      await page.getByRole('button', { name: 'Log out' }).click();
      const login = page.locator('#login-form');
      await login.getByLabel('Username').fill(username);
      await login.getByLabel('Password').fill('wrong password');
      await login.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => page.locator('#login-error').textContent()).toMatch(/wrong username or password/);
      await login.getByLabel('Password').fill('correct horse');
      await login.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => charNames(page)).toEqual(['Zoë']);

      // Delete it.
      await page.getByRole('button', { name: 'Delete Zoë' }).click();
      await expect.poll(() => charNames(page)).toEqual([]);
      expect(await page.locator('#chars-empty').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
