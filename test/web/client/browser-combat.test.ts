/**
 * The browser client's fight, in headless Chromium (WebGL on SwiftShader)
 * against a real server on the default world: a character (a warrior: its
 * first skill is Heroic Strike, 15 rage) that enters the field a short walk
 * from its wolf meadow (the walk from the town through the portal is
 * browser-play's and default-world's to test) walks into the meadow
 * (through the client's own input path), targets a wolf with Tab, is told it lacks
 * rage when it presses 1 at once, auto-attacks (F) until it has the rage,
 * uses skill 1, and sees damage numbers float and the wolf's health fall in
 * the target frame. The hotbar, the bars and the target frame are checked
 * in the DOM, the canvas for pixels; screenshots in test-artifacts/web-client/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import type { ZoneMap } from '../../../src/content/zone-map.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { ensureClientBuild, REPO_ROOT } from '../../../src/main/http/client-build.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import type { DebugState } from '../../../web/client/src/debug-types.ts';
import type { EnteredCharacter, World } from '../../../src/main/gate/world.ts';
import { AuthRefusedError } from '../../../src/main/gate/world.ts';
import { launchChromium, type LaunchedChromium } from '../../helpers/chromium.ts';
import { silentLog } from '../../helpers/zone.ts';
import { pageUntil, pageWalk, route } from './page-driver.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web-client');
/**
 * One character of one account, in memory (as browser-play's): a new
 * warrior saved in the field (zone, x and y set in beforeAll from the map),
 * so it enters there. Guests always enter the first zone, the town; the
 * real accounts (PGlite) cost seconds to open and are tested elsewhere.
 */
const ACCOUNT = { token: 'browser-combat-token', characterId: 7 };
// hp 0: full health.
const saved: EnteredCharacter = { accountId: 1, characterId: ACCOUNT.characterId, name: 'Fighter', classId: 1, zone: 'field', x: 0, y: 0, hp: 0 };
const world: World = {
  async enterWorld(token, characterId) {
    if (token !== ACCOUNT.token || characterId !== ACCOUNT.characterId) throw new AuthRefusedError('not this account\'s character');
    return { ...saved };
  },
  updateState() {},
  leaveWorld() {},
};
let server: Tessera;
let build: string;
let chromium: LaunchedChromium;
let page: Page;
const maps = new Map<string, ZoneMap>();
let wolfTemplate = 0;
let strike = 0;
const pageErrors: string[] = [];

async function shot(name: string): Promise<PNG> {
  const bytes = await page.screenshot({ type: 'png' });
  writeFileSync(join(ARTIFACTS, name), bytes);
  return PNG.sync.read(bytes);
}

/** Share of the canvas area's pixels (between the HUD's top and bottom bands) that are not the page's background. */
function drawnShare(png: PNG): number {
  let drawn = 0;
  let n = 0;
  for (let y = 240; y < png.height - 140; y += 4) {
    for (let x = 0; x < png.width; x += 4) {
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i] - 0x10) + Math.abs(png.data[i + 1] - 0x10) + Math.abs(png.data[i + 2] - 0x10) > 24) drawn++;
      n++;
    }
  }
  return drawn / n;
}

const until = (cond: (s: DebugState) => boolean, ms: number, what: string) => pageUntil(page, cond, ms, what);
const walk = (corners: { x: number; y: number }[], done: (s: DebugState) => boolean, what: string) => pageWalk(page, corners, done, what);

const wolvesNear = (s: DebugState, within: number) =>
  s.me ? s.others.filter((o) => o.kind === 2 && o.template === wolfTemplate && (o.flags & (2 | 8)) === 0 && Math.hypot(o.x - s.me!.x, o.y - s.me!.y) < within) : [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  build = mkdtempSync(join(tmpdir(), 'tessera-client-build-'));
  // Chromium starts in its own process while the content is built.
  const launching = launchChromium({ webgl: true, viewport: { width: 1280, height: 720 } }).then((x) => (chromium = x));
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_BUILD_DIR: build });
  const content = prepareWorld(cfg, silentLog);
  if (!content) throw new Error('data/world.json is missing');
  for (const z of content.zones) maps.set(z.name, decodeZonePack(new Uint8Array(z.pack)));
  wolfTemplate = content.catalogue.npcs.findIndex((n) => n.id === 'npc.wolf') + 1;
  strike = content.catalogue.skills.findIndex((k) => k.id === content.catalogue.classes[0].skills[0].skill) + 1;
  // Ten tiles south of the wolf meadow, out of the wolves' sight: the walk into it is the test's.
  const meadow = maps.get('field')!.spawnAreas.find((a) => a.npc === 'npc.wolf')!;
  saved.x = Math.floor(meadow.x + meadow.width / 2) + 0.5;
  saved.y = meadow.y + meadow.height + 9.5;
  await ensureClientBuild(cfg.clientBuildDir, silentLog);
  server = await startTessera(cfg, { log: silentLog, content, clientDir: cfg.clientBuildDir, world });
  await launching;
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  rmSync(build, { recursive: true, force: true });
});

describe('the browser client in a fight (headless Chromium)', () => {
  it('walks to the wolf meadow, targets a wolf with Tab, attacks and uses skill 1, and sees the damage and the wolf\'s health fall', { timeout: 240_000 }, async () => {
    // As after logging in on the account page: the session token in the tab, then the character's Play link.
    await page.goto(`http://127.0.0.1:${server.port}/content/manifest.json`);
    await page.evaluate(`sessionStorage.setItem('tessera.token', '${ACCOUNT.token}'); localStorage.setItem('tessera.debug', '1')`);
    await page.goto(`http://127.0.0.1:${server.port}/client/?character=${ACCOUNT.characterId}`);
    let s = await until((x) => x.me !== null && !x.loading && x.zone === 'field' && x.frames > 5, 30_000, 'the field drawn with the player');
    // The zone named by WELCOME at first join (not the first zone), and the class's skills on the hotbar from the self record.
    await expect.poll(() => page.locator('#zone-name').textContent(), { timeout: 10_000 }).toBe('The Ashen Fields');
    s = await until((x) => x.combat.hotbar[0] !== 0, 15_000, 'the hotbar filled');
    expect(s.combat.hotbar[0]).toBe(strike);
    expect(await page.locator('#slot-1').getAttribute('aria-label')).toBe('Heroic Strike, key 1');
    expect(await page.locator('#res').getAttribute('data-kind')).toBe('rage');
    expect(await page.locator('#xp-text').textContent()).toMatch(/^0 \/ \d+ XP$/);
    await shot('10-combat-hud-field.png');

    // Into the wolf meadow.
    const field = maps.get('field')!;
    const meadow = field.spawnAreas.find((a) => a.npc === 'npc.wolf')!;
    await walk(route(field, s.me!.serverX, s.me!.serverY, meadow.x + meadow.width / 2, meadow.y + meadow.height / 2), (x) => wolvesNear(x, 9).length > 0, 'into the wolf meadow');

    // Tab targets the nearest wolf; the server takes the selection; the ring and the frame show it.
    await page.getByRole('application', { name: /Game world/ }).focus();
    await page.keyboard.press('Tab');
    s = await until((x) => x.combat.target !== 0 && x.combat.serverTarget === x.combat.target, 10_000, 'a wolf targeted');
    const wolf = s.others.find((o) => o.id === s.combat.target)!;
    expect(wolf.template).toBe(wolfTemplate);
    await expect.poll(() => page.locator('#target-name').textContent(), { timeout: 5000 }).toMatch(/Wolf/);
    expect(await page.locator('#target-frame').isVisible()).toBe(true);
    // Skill 1 at once: no rage yet, and the refusal says so.
    await page.keyboard.press('1');
    await expect.poll(() => page.locator('#messages').textContent(), { timeout: 10_000 }).toContain('Not enough rage');
    await shot('11-wolf-targeted.png');

    // Up to the wolf, auto-attack (F) until there is rage for the skill, then 1.
    const maxHp = s.combat.targetMaxHp;
    await page.keyboard.press('KeyF');
    await until((x) => x.combat.autoAttack, 10_000, 'auto-attacking');
    const deadline = Date.now() + 90_000;
    let pressed = false;
    // The cooldown sweep is read as soon as a Strike landed: the loop may go on for longer than its 6 s cooldown.
    let sweep: string | null = null;
    for (;;) {
      s = (await page.evaluate('window.__tessera.state()')) as DebugState;
      if (sweep === null && (s.combat.hits[strike] ?? 0) > 0) {
        const secs = await page.locator('#slot-1 .secs').textContent();
        if (secs !== null && /^\d/.test(secs)) {
          sweep = secs;
          await shot('13-cooldown.png');
        }
      }
      // Both a swing and a Heroic Strike landed (rage from the wolf's bites can come before any swing lands),
      // and the Strike's cooldown sweep was seen.
      if (sweep !== null && (s.combat.hits[0] ?? 0) > 0 && s.combat.floaters > 0) break;
      if (Date.now() > deadline) throw new Error(`no swing and Heroic Strike (with its cooldown sweep) both landed: ${JSON.stringify(s.combat)}`);
      const t = s.others.find((o) => o.id === s.combat.target);
      if (!t || (t.flags & 2) !== 0 || s.me === null || (s.me.flags & 2) !== 0) {
        // It died (to the swings), or the player did: respawn if need be and take the next wolf.
        if (s.me && (s.me.flags & 2) !== 0) await page.keyboard.press('KeyR');
        await page.keyboard.press('Tab');
        // F toggles: only when auto-attack is off (a swing at a wolf that died leaves it on).
        if (!s.combat.autoAttack) await page.keyboard.press('KeyF');
        await new Promise((r) => setTimeout(r, 300));
        continue;
      }
      if (Math.hypot(t.x - s.me.x, t.y - s.me.y) > 1.2) await page.evaluate(`window.__tessera.walkTo(${t.x}, ${t.y})`);
      else if (s.combat.resource >= 15 && !pressed) {
        await page.keyboard.press('1');
        pressed = true;
        setTimeout(() => (pressed = false), 1500);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // Damage numbers floated; the wolf's health fell in the target frame (while it lives) or it died.
    expect(s.combat.hits[0] ?? 0).toBeGreaterThan(0);
    const frameHp = await page.locator('#target-hp-text').textContent();
    const [hp, of] = (frameHp ?? '').split(' / ').map(Number);
    expect(of).toBeGreaterThan(0);
    expect(hp < of || (await page.locator('#target-frame').getAttribute('data-dead')) === 'true', `target frame ${frameHp}`).toBe(true);
    expect(maxHp).toBeGreaterThan(0);
    const png = await shot('12-wolf-fight.png');
    expect(drawnShare(png)).toBeGreaterThan(0.9);
    // The cooldown sweep of the Strike showed its seconds.
    expect(sweep).toMatch(/^\d/);

    // The HUD at 1920×1080: every panel on screen.
    await page.setViewportSize({ width: 1920, height: 1080 });
    const before = s.frames;
    await until((x) => x.frames > before + 2, 15_000, 'frames at 1080p');
    await shot('14-fight-1080p.png');
    const boxes = (await page.evaluate("['player-frame', 'target-frame', 'zone-name', 'status-frame', 'hotbar', 'xp'].map((id) => document.getElementById(id).getBoundingClientRect().toJSON())")) as { left: number; right: number; bottom: number; width: number }[];
    for (const b of boxes) expect(b.left >= 0 && b.right <= 1920 && b.bottom <= 1080 && b.width > 0, JSON.stringify(b)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
