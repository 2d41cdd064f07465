/**
 * The operator console's item section in headless Chromium (Debian
 * chromium, playwright-core) on a whole world with the default content:
 * log in as an admin, select a player in the world and grant it potions
 * (its own client's INVENTORY shows them), remove some (the client sees
 * fewer), find an offline character by name and grant it a ring (stored,
 * listed), see a refusal (a full count over what it carries) shown, and the
 * audit log grow; a moderator does not see the section. Screenshots:
 * test-artifacts/admin/items-*.png (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ItemCatalogue } from '../../src/main/items/catalogue.ts';
import { AuthKind } from '../../src/protocol/opcodes.ts';
import { newAccount, startAdminWorld, type AdminWorld } from '../helpers/admin-world.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { TestClient } from '../helpers/client.ts';

vi.setConfig({ testTimeout: 180_000 });

const ARTIFACTS = join(fileURLToPath(new URL('../../', import.meta.url)), 'test-artifacts', 'admin');

let w: AdminWorld;
let chromium: LaunchedChromium;
let browser: BrowserContext;
let admin: { username: string; password: string };
let moderator: { username: string; password: string };
let catalogue: ItemCatalogue;
const clients: TestClient[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `items-${name}.png`), fullPage: true });
}

function held(c: TestClient, item: string): number {
  let n = 0;
  for (const it of c.itemsNow().values()) if (it.template === catalogue.get(item)!.number) n += it.count;
  return n;
}

async function logIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.goto(`${w.base}/admin/`);
  const login = page.locator('#login-form');
  await login.getByLabel('Username').fill(who.username);
  await login.getByLabel('Password').fill(who.password);
  await login.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: /Players online/ }).waitFor();
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  w = await startAdminWorld({}, { perAddressPer10s: 100_000, perAccountPer10s: 100_000, content: true });
  catalogue = new ItemCatalogue(w.content!.catalogue.items);
  admin = await newAccount(w.base, 'console');
  await w.roles('grant', admin.username, 'admin');
  moderator = await newAccount(w.base, 'helper');
  await w.roles('grant', moderator.username, 'moderator');
  chromium = await launchChromium({ viewport: { width: 1280, height: 1200 } });
  browser = chromium.context;
}, 300_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await chromium?.close();
  await w?.close();
}, 60_000);

describe('operator console items (headless Chromium)', () => {
  it('grants and removes items of a player in the world and of one offline, through the ledger, shown at once', async () => {
    const a = await newAccount(w.base, 'hero', 'Herald');
    const player = await TestClient.connect(w.url, a.token, AuthKind.TOKEN, a.characterId, w.tessera.contentHash ?? '');
    clients.push(player);
    await player.until(() => player.inventories.some((i) => i.full), 10_000, 'the first INVENTORY');
    const away = await newAccount(w.base, 'sleeper', 'Sleeper');

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await logIn(page, admin);
      await expect.poll(() => page.locator('#items').isVisible()).toBe(true);
      // The item suggestions come from the content.
      await expect.poll(() => page.locator('#item-ids option').count(), { timeout: 10_000 }).toBe(catalogue.list.length);

      // Select the player in the live list with the keyboard.
      await page.getByLabel('Name starts with').fill('Herald');
      const select = page.getByRole('button', { name: 'Select Herald' });
      await select.waitFor({ timeout: 15_000 });
      await select.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#items-name').textContent(), { timeout: 10_000 }).toContain('in the world');
      await shot(page, '1-selected');

      // Grant potions: the player's own client shows them.
      await page.getByLabel('Reason (recorded in the audit log)').fill('compensation for the outage');
      await page.getByLabel('Item', { exact: true }).fill('item.health_potion');
      await page.getByLabel('Count').fill('5');
      await page.getByRole('button', { name: 'Grant items' }).click();
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toContain('Granted 5 × item.health_potion to Herald');
      await player.until(() => held(player, 'item.health_potion') === 5, 10_000, 'the potions in the client');
      await expect.poll(() => page.locator('#items-list').textContent()).toContain('item.health_potion × 5');
      await expect.poll(() => page.locator('#audit tbody tr').first().textContent(), { timeout: 10_000 }).toContain('item.grant');
      await shot(page, '2-granted');

      // Remove two; then ask for more than it carries: refused, said on the page, nothing changed.
      await page.getByLabel('Count').fill('2');
      await page.getByRole('button', { name: 'Remove items' }).click();
      await player.until(() => held(player, 'item.health_potion') === 3, 10_000, 'the client sees 3');
      await expect.poll(() => page.locator('#items-list').textContent()).toContain('item.health_potion × 3');
      await page.getByLabel('Count').fill('9');
      await page.getByRole('button', { name: 'Remove items' }).click();
      await expect.poll(() => page.locator('#items-error').textContent(), { timeout: 10_000 }).toContain('carries 3');
      expect(held(player, 'item.health_potion')).toBe(3);
      await shot(page, '3-refused');

      // An offline character, found by name: the grant is stored and listed.
      await page.getByLabel('Character name').fill('sleeper');
      await page.getByRole('button', { name: 'Find character' }).click();
      await expect.poll(() => page.locator('#items-name').textContent(), { timeout: 10_000 }).toContain('offline');
      await expect.poll(() => page.locator('#items-list').textContent()).toBe('Carries nothing.');
      await page.getByLabel('Item', { exact: true }).fill('item.signet_ring');
      await page.getByLabel('Count').fill('1');
      await page.getByLabel('Reason (recorded in the audit log)').fill('tournament prize');
      await page.getByLabel('Count').press('Enter');
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toContain('seen at the next login');
      await expect.poll(() => page.locator('#items-list').textContent()).toContain('item.signet_ring × 1');
      const [row] = await w.db.query<{ n: number }>("SELECT count(*)::int AS n FROM item_instances WHERE owner_id = $1 AND template = 'item.signet_ring'", [away.characterId]);
      expect(row!.n).toBe(1);
      // Grant, removal, grant: three item rows in the audit log (the refusal wrote none).
      await expect.poll(() => page.locator('#audit tbody tr', { hasText: 'item.' }).count(), { timeout: 10_000 }).toBe(3);
      expect(await page.locator('#audit tbody tr').first().textContent()).toContain('tournament prize');
      await shot(page, '4-offline');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows no item section to a moderator', async () => {
    const page = await browser.newPage();
    try {
      await logIn(page, moderator);
      expect(await page.locator('#who-role').textContent()).toBe('moderator');
      expect(await page.locator('#items').isVisible()).toBe(false);
    } finally {
      await page.close();
    }
  });
});
