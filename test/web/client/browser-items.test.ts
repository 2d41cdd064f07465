/**
 * Items in the browser client, in headless Chromium against a real server
 * on the default world with accounts on the embedded PGlite (guests keep no
 * items) and two changes to its content: a wolf always drops a Leather
 * Jerkin, a Healing Draught and an Emberwick Loaf, so the test does not
 * wait on rare rolls, and wolves only fight back (the pack does not join
 * in while the player loots). A warrior plays through the account's token:
 * it starts in the field a short walk from the wolf meadow (its row placed
 * there before it enters; the walk from the town through the portal is
 * browser-play's and default-world's to test), walks into the meadow,
 * kills a wolf (Tab, F, 1), picks its loot up with G,
 * opens the bags (I) and finds the jerkin drawn with its own sprite (pixels
 * compared with the atlas) and its stats in the tooltip, opens the
 * character panel (C), equips the jerkin with a right-click and sees the
 * chest slot and its armor rise by 12, drinks the draught with U, eats the
 * loaf and sees its healing-over-time aura on the player frame with its
 * time left. A mage (a real WebSocket client on another account) then
 * casts Fireball at the player's target: a cast bar under the mage, and
 * the burn on the target frame. The hotbar's drawn icons and the panels at
 * 1280×720 and 1920×1080 are checked too; screenshots in test-artifacts/web-client/.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../../src/content/zone-map.ts';
import type { LoadedWorld } from '../../../src/content/load-world.ts';
import { gateWorld } from '../../../src/main/accounts/gate-world.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { ensureClientBuild, REPO_ROOT } from '../../../src/main/http/client-build.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import type { DebugState } from '../../../web/client/src/debug-types.ts';
import { openAccountsAndStorage, type AccountsAndStorage } from '../../helpers/accounts-storage.ts';
import { launchChromium, type LaunchedChromium } from '../../helpers/chromium.ts';
import { silentLog } from '../../helpers/zone.ts';
import { TestClient } from '../../helpers/client.ts';
import { centre, routeNear as botRouteNear, walk as botWalk } from '../../helpers/world-walk.ts';
import { AuthKind } from '../../../src/protocol/opcodes.ts';
import { api, newPlayer } from '../../e2e/account-play.suite.ts';
import { pageUntil, pageWalk, route } from './page-driver.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web-client');
let server: Tessera;
let p: AccountsAndStorage;
let root: string;
let content: LoadedWorld;
let chromium: LaunchedChromium;
let page: Page;
const maps = new Map<string, ZoneMap>();
const pageErrors: string[] = [];
const number = (list: { id: string }[], id: string) => list.findIndex((x) => x.id === id) + 1;

const until = (cond: (s: DebugState) => boolean, ms: number, what: string) => pageUntil(page, cond, ms, what);
const state = async () => (await page.evaluate('window.__tessera.state()')) as DebugState;

async function shot(name: string): Promise<PNG> {
  const bytes = await page.screenshot({ type: 'png' });
  writeFileSync(join(ARTIFACTS, name), bytes);
  return PNG.sync.read(bytes);
}

/** The on-screen box of `selector`. */
async function box(selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await page.locator(selector).boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
}

/**
 * Mean difference per channel (0..255) between the screenshot inside `b`
 * and atlas tile `tile` scaled into it, over the tile's opaque pixels.
 */
function iconDifference(png: PNG, b: { x: number; y: number; width: number; height: number }, atlas: PNG, tile: number, columns: number, size: number): number {
  const ax = (tile % columns) * size;
  const ay = Math.floor(tile / columns) * size;
  let sum = 0;
  let n = 0;
  for (let y = 2; y < size - 2; y++) {
    for (let x = 2; x < size - 2; x++) {
      const a = ((ay + y) * atlas.width + ax + x) * 4;
      if (atlas.data[a + 3] < 255) continue;
      const sx = Math.floor(b.x + ((x + 0.5) * b.width) / size);
      const sy = Math.floor(b.y + ((y + 0.5) * b.height) / size);
      const s = (sy * png.width + sx) * 4;
      for (let c = 0; c < 3; c++) sum += Math.abs(atlas.data[a + c] - png.data[s + c]);
      n += 3;
    }
  }
  if (n === 0) throw new Error(`tile ${tile} has no opaque pixels`);
  return sum / n;
}

/** Distinct colours (quantised to 4 bits a channel) inside `b`: a painted icon has many, an empty box few. */
function colours(png: PNG, b: { x: number; y: number; width: number; height: number }): number {
  const seen = new Set<number>();
  for (let y = Math.ceil(b.y); y < b.y + b.height - 1; y++) {
    for (let x = Math.ceil(b.x); x < b.x + b.width - 1; x++) {
      const i = (y * png.width + x) * 4;
      seen.add(((png.data[i] >> 4) << 8) | ((png.data[i + 1] >> 4) << 4) | (png.data[i + 2] >> 4));
    }
  }
  return seen.size;
}

/**
 * Puts a character that has not entered the world yet in the field at
 * (x, y), as a save there would have left its row: it enters there.
 */
async function placeInField(characterId: number, x: number, y: number): Promise<void> {
  await p.storage.db.query('UPDATE characters SET zone = $1, x = $2, y = $3 WHERE id = $4', ['field', x, y, characterId]);
}

/** A mage character on a new account (class 2 of the default world). */
async function newMage(base: string): Promise<{ token: string; characterId: number }> {
  const username = `mage${Math.floor(Math.random() * 1e6)}`;
  const password = 'correct horse battery staple';
  expect((await api(base, 'POST', '/api/accounts', { username, password })).status).toBe(201);
  const session = await api(base, 'POST', '/api/sessions', { username, password });
  const made = await api(base, 'POST', '/api/characters', { name: `Mage${'abcdefgh'[Math.floor(Math.random() * 8)]}${username.slice(4)}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]), classId: 2 }, session.json.token);
  expect(made.status).toBe(201);
  return { token: session.json.token, characterId: made.json.character.id };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'tessera-browser-items-'));
  // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
  await seedPglite(join(root, 'db', 'pglite'));
  // The database (PGlite, on its own thread: its migrations take most of this hook) and Chromium start first; the content is built meanwhile.
  const starting = Promise.all([
    openAccountsAndStorage({ dataDir: join(root, 'db'), saveIntervalMs: 500 }).then((x) => (p = x)),
    launchChromium({ webgl: true, viewport: { width: 1280, height: 720 } }).then((x) => (chromium = x)),
  ]);
  const data = join(root, 'data');
  cpSync(join(REPO_ROOT, 'data'), data, { recursive: true });
  const lootFile = join(data, 'loot.json');
  const loot = JSON.parse(readFileSync(lootFile, 'utf8')) as { loot: { id: string; groups: { name?: string; entries: { item: string; chance: number }[] }[] }[] };
  const wolfLoot = loot.loot.find((t) => t.id === 'loot.wolf')!;
  wolfLoot.groups = [
    { name: 'rare', entries: [{ item: 'item.leather_jerkin', chance: 10_000 }] },
    { name: 'pelts', entries: [{ item: 'item.health_potion', chance: 10_000 }] },
    { name: 'meal', entries: [{ item: 'item.bread', chance: 10_000 }] },
  ];
  writeFileSync(lootFile, JSON.stringify(loot));
  // Wolves that fight back but do not join in: the player fights one at a time and lives to loot.
  const npcsFile = join(data, 'npcs.json');
  const npcs = JSON.parse(readFileSync(npcsFile, 'utf8')) as { npcs: { id: string; hostility: string }[] };
  npcs.npcs.find((n) => n.id === 'npc.wolf')!.hostility = 'defensive';
  writeFileSync(npcsFile, JSON.stringify(npcs));
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '0', SPAWN_SPREAD: '0', CONTENT_DIR: data, CONTENT_BUILD_DIR: join(root, 'build'), DATA_DIR: join(root, 'db') });
  const loaded = prepareWorld(cfg, silentLog);
  if (!loaded) throw new Error('no world.json');
  content = loaded;
  for (const z of content.zones) maps.set(z.name, decodeZonePack(new Uint8Array(z.pack)));
  await ensureClientBuild(cfg.clientBuildDir, silentLog);
  await starting;
  server = await startTessera(cfg, { log: silentLog, content, world: gateWorld(p.accounts, p.storage), db: p.storage.db, handlers: [p.handleHttp], clientDir: cfg.clientBuildDir });
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await p?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('items in the browser client (headless Chromium)', () => {
  it('kills a wolf, picks up its loot, equips the jerkin (armor +12), drinks a draught and shows the loaf\'s aura', { timeout: 360_000 }, async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const cat = content.catalogue;
    const wolfTemplate = number(cat.npcs, 'npc.wolf');
    const jerkin = number(cat.items, 'item.leather_jerkin');
    const potion = number(cat.items, 'item.health_potion');
    const bread = number(cat.items, 'item.bread');
    const breadSkill = number(cat.skills, 'skill.bread_meal');
    const field = maps.get('field')!;
    const meadow = field.spawnAreas.find((a) => a.npc === 'npc.wolf')!;
    // Ten tiles south of the meadow, out of the wolves' sight: the walk into it is the test's.
    const start = { x: Math.floor(meadow.x + meadow.width / 2) + 0.5, y: meadow.y + meadow.height + 9.5 };
    const player = await newPlayer(base, 'Looter');
    await placeInField(player.characterId, start.x, start.y);
    await page.goto(`${base}/content/manifest.json`);
    await page.evaluate(`sessionStorage.setItem('tessera.token', '${player.token}'); localStorage.setItem('tessera.debug', '1')`);
    await page.goto(`${base}/client/?character=${player.characterId}`);
    let s = await until((x) => x.me !== null && !x.loading && x.zone === 'field' && x.frames > 5 && x.items.known, 30_000, 'the field drawn, the inventory known');
    expect(s.items.bag).toEqual([]);

    // A mage of another account (a real WebSocket client), placed beside the player's start, sets off for the wolf meadow meanwhile: later it casts there.
    const mage = await newMage(base);
    await placeInField(mage.characterId, start.x - 3, start.y);
    const bot = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, mage.token, AuthKind.TOKEN, mage.characterId, server.contentHash ?? '');
    const botThere = (async () => {
      await bot.until(() => bot.positionOf(bot.me) !== undefined, 15_000, 'the mage placed');
      const here = bot.positionOf(bot.me)!;
      const m = centre(meadow);
      await botWalk(bot, botRouteNear(field, here.x, here.y, m.x - 3, m.y), () => false, 'the mage to the meadow').catch(() => {});
    })();
    botThere.catch(() => {});

    // The hotbar's skills have drawn icons (not the initials): many colours in the first slot's icon.
    await until((x) => x.combat.hotbar[0] !== 0, 15_000, 'the hotbar filled');
    expect(await page.locator('#slot-1 .icon').getAttribute('data-drawn')).toBe('true');
    let png = await shot('30-items-field.png');
    expect(colours(png, await box('#slot-1 .icon'))).toBeGreaterThan(12);

    // G with nothing near (no wolf killed yet) says so.
    const canvas = page.getByRole('application', { name: /Game world/ });
    await canvas.focus();
    await page.keyboard.press('g');
    await until((x) => x.combat.messages.includes('Nothing here to pick up'), 5000, 'the refusal of G with nothing near');

    // Into the wolf meadow.
    const wolvesNear = (x: DebugState, within: number) =>
      x.me ? x.others.filter((o) => o.kind === 2 && o.template === wolfTemplate && (o.flags & (2 | 8)) === 0 && Math.hypot(o.x - x.me!.x, o.y - x.me!.y) < within) : [];
    const toMeadow = async () => {
      const at = await state();
      await pageWalk(page, route(field, at.me!.serverX, at.me!.serverY, meadow.x + meadow.width / 2, meadow.y + meadow.height / 2), (x) => wolvesNear(x, 9).length > 0, 'into the wolf meadow');
    };
    await toMeadow();

    // Fight (Tab, F, and 1 whenever there is the rage for Heroic Strike) until a wolf this player killed left its jerkin on the ground.
    const strike = number(cat.skills, cat.classes[0].skills[0].skill);
    const strikeCost = cat.skills[strike - 1].cost;
    let struck = 0;
    const lootNear = (x: DebugState, template: number) => x.others.filter((o) => o.kind === 3 && o.template === template && x.me !== null && Math.hypot(o.x - x.me.x, o.y - x.me.y) < 8);
    const groundNear = (x: DebugState) => x.others.filter((o) => o.kind === 3 && x.me !== null && Math.hypot(o.x - x.me.x, o.y - x.me.y) < 8).length;
    const deadline = Date.now() + 200_000;
    for (;;) {
      s = await state();
      if (lootNear(s, jerkin).length > 0) break;
      if (Date.now() > deadline) throw new Error(`no jerkin dropped in time: ${JSON.stringify(s.combat)}`);
      if (s.me && (s.me.flags & 2) !== 0) {
        await page.keyboard.press('KeyR');
        await until((x) => x.me !== null && (x.me.flags & 2) === 0, 15_000, 'respawned');
        await toMeadow();
        await canvas.focus();
        continue;
      }
      const t = s.others.find((o) => o.id === s.combat.target);
      if (!t || (t.flags & 2) !== 0) {
        if (wolvesNear(s, 12).length === 0) await toMeadow().catch(() => {});
        await canvas.focus();
        await page.keyboard.press('Tab');
        // F toggles: only when auto-attack is off.
        if (!s.combat.autoAttack) await page.keyboard.press('KeyF');
        await new Promise((r) => setTimeout(r, 300));
        continue;
      }
      if (!s.combat.autoAttack) await page.keyboard.press('KeyF');
      if (s.me && Math.hypot(t.x - s.me.x, t.y - s.me.y) > 1.2) await page.evaluate(`window.__tessera.walkTo(${t.x}, ${t.y})`);
      else if (s.combat.resource >= strikeCost && Date.now() - struck > 1500) {
        // The Strike as well as the swings: the wolf dies sooner (a press while it cools down is only refused).
        await page.keyboard.press('1');
        struck = Date.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await shot('31-wolf-loot.png');

    // G picks up the nearest loot (walking to it when out of reach), one item a press.
    await canvas.focus();
    for (let tries = 0; tries < 12; tries++) {
      s = await state();
      const have = (t: number) => s.items.bag.some((b) => b.template === t);
      if (have(jerkin) && have(potion) && have(bread)) break;
      if (s.me && (s.me.flags & 2) !== 0) throw new Error(`died while looting: ${JSON.stringify(s.items)}`);
      await page.keyboard.press('g');
      // Any pick-up ends the wait, the wolf's gold too (it is not in the bag): else it would wait out the 15 s.
      await until((x) => x.items.waiting === 0 && (x.items.bag.length > s.items.bag.length || x.items.gold > s.items.gold || groundNear(x) < groundNear(s)), 15_000, 'a pick-up').catch(() => {});
    }
    s = await until((x) => [jerkin, potion, bread].every((t) => x.items.bag.some((b) => b.template === t)), 15_000, 'the jerkin, the draught and the loaf in the bag');
    expect(s.combat.messages.some((m) => /^Picked up (Leather Jerkin|Healing Draught|Emberwick Loaf)$/.test(m)), JSON.stringify(s.combat.messages)).toBe(true);

    // I: the bags, with the jerkin drawn from the atlas and its stats in the tooltip.
    await page.keyboard.press('i');
    s = await until((x) => x.items.bagOpen, 5000, 'the bags open');
    const jerkinSlot = s.items.bag.find((b) => b.template === jerkin)!.slot;
    const slot = page.locator(`#bag-slot-${jerkinSlot}`);
    await expect.poll(() => slot.getAttribute('aria-label')).toContain('Leather Jerkin');
    await slot.hover();
    const tooltip = page.locator('#item-tooltip');
    await expect.poll(() => tooltip.textContent(), { timeout: 5000 }).toContain('+12 Armor');
    png = await shot('32-bag-tooltip.png');
    const entities = JSON.parse(readFileSync(join(root, 'build', 'client', server.contentHash!, 'entities.json'), 'utf8')) as { sprites: { image: { path: string }; tiles: Record<string, number>; columns: number; tileWidth: number } };
    const atlas = PNG.sync.read(readFileSync(join(root, 'build', 'client', server.contentHash!, entities.sprites.image.path)));
    const diff = iconDifference(png, await box(`#bag-slot-${jerkinSlot} .item-icon`), atlas, entities.sprites.tiles['item.leather_jerkin'], entities.sprites.columns, entities.sprites.tileWidth);
    expect(diff, 'the jerkin\'s icon against its atlas tile').toBeLessThan(24);

    // C: the character panel; a right-click equips the jerkin: the chest slot shows it, armor +12.
    await page.mouse.move(5, 300);
    await canvas.focus();
    await page.keyboard.press('c');
    await until((x) => x.items.characterOpen, 5000, 'the character panel open');
    const armor = page.locator('#character-stats dd[data-stat="Armor"]');
    await expect.poll(() => armor.textContent(), { timeout: 5000 }).toMatch(/^\d+$/);
    const armorBefore = Number(await armor.textContent());
    await slot.click({ button: 'right' });
    s = await until((x) => x.items.equipment.some((e) => e.template === jerkin && e.slot === 3), 15_000, 'the jerkin worn');
    await expect.poll(() => page.locator('#equip-chest').getAttribute('aria-label'), { timeout: 5000 }).toBe('Chest: Leather Jerkin');
    await expect.poll(() => armor.textContent(), { timeout: 10_000 }).toBe(String(armorBefore + 12));
    expect(s.items.bag.some((b) => b.template === jerkin)).toBe(false);
    png = await shot('33-jerkin-equipped.png');
    const worn = iconDifference(png, await box('#equip-chest .item-icon'), atlas, entities.sprites.tiles['item.leather_jerkin'], entities.sprites.columns, entities.sprites.tileWidth);
    expect(worn, 'the chest slot\'s icon against the jerkin\'s tile').toBeLessThan(24);

    // U on the draught drinks it (one fewer: gone); a right-click on the loaf eats it, and its aura shows on the player frame.
    const draughtSlot = s.items.bag.find((b) => b.template === potion)!.slot;
    await page.locator(`#bag-slot-${draughtSlot}`).focus();
    await page.keyboard.press('u');
    await until((x) => !x.items.bag.some((b) => b.template === potion), 15_000, 'the draught drunk');
    const loafSlot = (await state()).items.bag.find((b) => b.template === bread)!.slot;
    // Enter opens the loaf's menu (its verb first); Escape closes it and the focus goes back to the slot.
    await page.locator(`#bag-slot-${loafSlot}`).focus();
    await page.keyboard.press('Enter');
    const menu = page.locator('#item-menu');
    await expect.poll(() => menu.isVisible(), { timeout: 5000 }).toBe(true);
    expect(await menu.getByRole('button').allTextContents()).toEqual(['Use', 'Move', 'Drop…', 'Destroy…', 'Cancel']);
    await shot('34-item-menu.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.isVisible(), { timeout: 5000 }).toBe(false);
    expect(await page.evaluate('document.activeElement.id')).toBe(`bag-slot-${loafSlot}`);
    await page.locator(`#bag-slot-${loafSlot}`).click({ button: 'right' });
    await until((x) => x.combat.auras.me.includes(breadSkill), 15_000, 'the loaf\'s aura on the player');
    const aura = page.locator(`#player-auras li[data-skill="${breadSkill}"]`);
    await expect.poll(() => aura.getAttribute('aria-label'), { timeout: 5000 }).toMatch(/, healing over time, \d+s left$/);
    png = await shot('35-aura.png');
    // The aura's icon is painted, bordered green (helpful).
    const ab = await box(`#player-auras li[data-skill="${breadSkill}"]`);
    expect(colours(png, ab)).toBeGreaterThan(8);
    const edge = ((Math.round(ab.y + ab.height / 2) * png.width) + Math.round(ab.x + 1)) * 4;
    expect(png.data[edge + 1], 'green border').toBeGreaterThan(png.data[edge] + 40);

    // The mage comes up and casts Fireball at the player's target: a cast bar under the mage, and the burn on the target frame.
    await botThere;
    const fireball = number(cat.skills, 'skill.fireball');
    // The panels closed (I, C), so a click reaches the map; the mage comes to stand beside the player.
    await canvas.focus();
    await page.keyboard.press('i');
    await page.keyboard.press('c');
    await until((x) => !x.items.bagOpen && !x.items.characterOpen, 5000, 'the panels closed');
    const me = (await state()).me!;
    // Beside the player: a spot two tiles off on each side in turn, re-asked every 3 s (one may be rock, or a wolf in the way).
    const sides = [
      [-2, 0],
      [2, 0],
      [0, 2],
      [0, -2],
    ];
    const beside = (x: DebugState) => x.others.some((o) => o.id === bot.me && Math.hypot(o.x - me.serverX, o.y - me.serverY) < 3.5);
    // First along a route around the river and the rocks (the walk to the meadow may have stopped short of it).
    const from = bot.positionOf(bot.me)!;
    await botWalk(bot, botRouteNear(maps.get('field')!, from.x, from.y, me.serverX - 2, me.serverY), () => false, 'the mage to the player').catch(() => {});
    for (let i = 0; ; i++) {
      bot.moveTo(me.serverX + sides[i % 4]![0]!, me.serverY + sides[i % 4]![1]!);
      if (await until(beside, 3000, 'the mage beside the player').catch(() => undefined)) break;
      if (i === 15) throw new Error(`the mage never came beside the player at ${me.serverX},${me.serverY}: it is at ${JSON.stringify(bot.positionOf(bot.me))} in zone change ${bot.zoneChanges.length}`);
    }
    // The cast lasts 2 s and a screenshot on this box takes about one: cast again until a picture catches the bar.
    const orangeUnder = (png: PNG, x: DebugState) => {
      const caster = x.others.find((o) => o.id === bot.me)!;
      const px = x.tile * x.scale;
      let n = 0;
      for (let y = Math.round(caster.sy + px * 0.45); y < caster.sy + px * 0.8; y++) {
        for (let sx = Math.round(caster.sx - px * 0.5); sx < caster.sx + px * 0.5; sx++) {
          const i = (y * png.width + sx) * 4;
          if (png.data[i] > 220 && png.data[i + 1] > 160 && png.data[i + 1] < 215 && png.data[i + 2] < 120) n++; // the bar's 0xffc04a
        }
      }
      return n;
    };
    let casts = 0;
    let orange = 0;
    let victim = 0;
    // The living wolf nearest the mage within Fireball's range (12), targeted with a click on it; 0 when none is.
    const targetWolf = async (): Promise<number> => {
      s = await state();
      const mageAt = s.others.find((o) => o.id === bot.me);
      const wolf = mageAt && wolvesNear(s, 30).filter((o) => Math.hypot(o.x - mageAt.x, o.y - mageAt.y) < 10 && o.sy > 100 && o.sy < 600).sort((a, b) => Math.hypot(a.x - mageAt.x, a.y - mageAt.y) - Math.hypot(b.x - mageAt.x, b.y - mageAt.y))[0];
      if (!wolf) {
        await new Promise((r) => setTimeout(r, 1000));
        return 0;
      }
      if (s.combat.target !== wolf.id) {
        await page.mouse.click(wolf.sx, wolf.sy);
        if (!(await until((x) => x.combat.target === wolf.id, 5000, 'the wolf clicked').catch(() => undefined))) return 0;
      }
      return wolf.id;
    };
    for (let tries = 0; tries < 10 && orange <= 10; tries++) {
      const wolf = await targetWolf();
      if (wolf === 0) continue;
      victim = wolf;
      bot.useSkill(fireball, victim);
      const seen = await until((x) => x.combat.casting[bot.me] === fireball, 4000, 'the mage casting').catch(() => undefined);
      if (!seen) continue;
      casts++;
      png = await shot('36-others-cast.png');
      orange = orangeUnder(png, seen);
      if (orange <= 10) await until((x) => x.combat.casting[bot.me] === undefined, 5000, 'the cast over').catch(() => {});
    }
    expect(casts, `the mage's casts seen (refusals: ${JSON.stringify(bot.seen(10))})`).toBeGreaterThan(0);
    expect(orange, 'cast bar pixels under the mage').toBeGreaterThan(10);
    // The burn lasts 4 s: its label read and the picture taken as soon as it shows.
    for (let tries = 0; ; tries++) {
      const burning = await until((x) => x.combat.auras.target.includes(fireball), 8000, 'the burn on the target frame').catch(() => undefined);
      if (burning) break;
      if (tries === 6) throw new Error('no burn on the target frame');
      // The first burn ran out while the pictures were taken, or its wolf died of it: burn the player's target again, or a new one.
      const wolf = await targetWolf();
      if (wolf !== 0) bot.useSkill(fireball, wolf);
    }
    const burn = await page.locator(`#target-auras li[data-skill="${fireball}"]`).getAttribute('aria-label');
    await shot('37-target-aura.png');
    expect(burn).toMatch(/^Fireball, damage over time, \ds left$/);
    bot.close();

    // Both panels and the frames on screen, clear of each other, at 1280×720 and 1920×1080.
    await canvas.focus();
    await page.keyboard.press('i');
    await page.keyboard.press('c');
    await until((x) => x.items.bagOpen && x.items.characterOpen, 5000, 'the panels open again');
    for (const view of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(view);
      const before = (await state()).frames;
      await until((x) => x.frames > before + 2, 15_000, `frames at ${view.width}×${view.height}`);
      await shot(`38-panels-${view.height}p.png`);
      const ids = ['player-frame', 'bag-panel', 'character-panel', 'hotbar', 'status-frame'];
      const boxes = (await page.evaluate(`${JSON.stringify(ids)}.map((id) => document.getElementById(id).getBoundingClientRect().toJSON())`)) as { left: number; top: number; right: number; bottom: number; width: number }[];
      for (const [i, b] of boxes.entries()) expect(b.left >= 0 && b.top >= 0 && b.right <= view.width && b.bottom <= view.height && b.width > 0, `${ids[i]} ${JSON.stringify(b)}`).toBe(true);
      const overlap = (a: (typeof boxes)[number], b: (typeof boxes)[number]) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap(boxes[1], boxes[2]), 'bags and character panel apart').toBe(false);
      expect(overlap(boxes[0], boxes[2]), 'player frame and character panel apart').toBe(false);
      expect(overlap(boxes[1], boxes[4]), 'bags and minimap apart').toBe(false);
    }
    // Escape in the bags closes them and gives the keys back to the game.
    await page.locator('#bag-slot-0').focus();
    await page.keyboard.press('Escape');
    await until((x) => !x.items.bagOpen, 5000, 'the bags closed by Escape');
    expect(pageErrors).toEqual([]);
  });
});
