/**
 * The browser client in headless Chromium (WebGL on SwiftShader) against a
 * real server on the default world, as `npm start` serves it: data/ compiled
 * into a temporary build, the client built by the same staleness check
 * (build/client, or CLIENT_BUILD_DIR), both zones running.
 *
 * A guest opens /client/ and the canvas shows the town's tiles (pixels
 * compared with the tileset image at a known tile); it walks east with the
 * keyboard and the server's position follows; a bot (a real WebSocket
 * client) walks past and is drawn moving monotonically, frame by frame,
 * between snapshots; the guest walks through the town gate's portal by
 * clicking ahead of itself and the field's map is drawn without a reload.
 *
 * Screenshots of every step: test-artifacts/web-client/ (gitignored).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeZonePack } from '../../../src/content/pack/zone-pack.ts';
import { gameMapOf, type ZoneMap } from '../../../src/content/zone-map.ts';
import { isBlocked, type GameMap } from '../../../src/content/map-format.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { ensureClientBuild, REPO_ROOT } from '../../../src/main/http/client-build.ts';
import { startTessera, type Tessera } from '../../../src/main/start-tessera.ts';
import { prepareWorld } from '../../../src/main/zones/content-world.ts';
import { Pathfinder } from '../../../src/workers/pathfinding.ts';
import type { DebugState } from '../../../web/client/src/debug-types.ts';
import type { ClientMapJson } from '../../../web/client/src/content/types.ts';
import { AuthRefusedError, type World } from '../../../src/main/gate/world.ts';
import type { HttpHandler } from '../../../src/main/http/http-server.ts';
import { launchChromium, type LaunchedChromium } from '../../helpers/chromium.ts';
import { TestClient } from '../../helpers/client.ts';
import { silentLog } from '../../helpers/zone.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web-client');
const VIEW = { width: 1280, height: 720 };

let server: Tessera;
let build: string;

/**
 * One account with one character, in memory: the gate's World and the one
 * API route the client calls (GET /api/characters, for the name). The real
 * accounts (PGlite) cost 5-15 s to open on this box; their API and the
 * account page are tested in test/e2e. The key the account page stores its
 * token under is checked against web/account/app.js below.
 */
const ACCOUNT = { token: 'browser-test-token', characterId: 41, name: 'Zoë' };
const world: World = {
  async enterWorld(token, characterId) {
    if (token !== ACCOUNT.token || characterId !== ACCOUNT.characterId) throw new AuthRefusedError('not this account\'s character');
    return { accountId: 1, characterId, name: ACCOUNT.name, classId: 1, zone: 'town', x: 32.5, y: 31.5, hp: 100 };
  },
  updateState() {},
  leaveWorld() {},
};
const charactersApi: HttpHandler = (req, res) => {
  if (req.url !== '/api/characters') return false;
  const ok = req.headers.authorization === `Bearer ${ACCOUNT.token}`;
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
  res.end(JSON.stringify(ok ? { characters: [{ id: ACCOUNT.characterId, name: ACCOUNT.name }] } : { error: { code: 'unauthorized' } }));
  return true;
};
let chromium: LaunchedChromium;
let page: Page;
let base = '';
const maps = new Map<string, ZoneMap>();
const pageErrors: string[] = [];

async function state(): Promise<DebugState> {
  return (await page.evaluate('window.__tessera.state()')) as DebugState;
}

/** Polls the page's state until `cond` holds; fails naming `what` after `ms`. */
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

async function shot(name: string): Promise<PNG> {
  const bytes = await page.screenshot({ type: 'png' });
  writeFileSync(join(ARTIFACTS, name), bytes);
  return PNG.sync.read(bytes);
}

function clientMap(zone: string): ClientMapJson {
  return JSON.parse(readFileSync(join(server.contentHash ? join(build, 'client', server.contentHash) : '', 'maps', `${zone}.json`), 'utf8')) as ClientMapJson;
}

function gidAt(map: ClientMapJson, layer: string, tx: number, ty: number): number {
  const l = map.layers.find((x) => x.name === layer && x.kind === 'tile') as Extract<ClientMapJson['layers'][number], { kind: 'tile' }> | undefined;
  if (!l) return 0;
  return Buffer.from(l.data, 'base64').readUInt32LE((ty * map.width + tx) * 4);
}

/**
 * Compares the screenshot with the tileset image at a ground tile near the
 * player that nothing covers (no wall, no roof, no entity): mean absolute
 * difference per channel, 0..255.
 */
function groundTileDifference(png: PNG, s: DebugState, zone: string): { tile: [number, number]; diff: number } {
  const map = clientMap(zone);
  const ts = map.tilesets[0];
  const atlas = PNG.sync.read(readFileSync(join(build, 'client', server.contentHash!, ts.image!.path)));
  const me = s.me!;
  const px = s.tile * s.scale;
  const busy = [me, ...s.others].map((e) => [e.x, e.y]);
  for (let r = 2; r < 10; r++) {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        const tx = Math.floor(me.x) + dx;
        const ty = Math.floor(me.y) + dy;
        if (tx < 0 || ty < 0 || tx >= map.width || ty >= map.height) continue;
        const gid = gidAt(map, 'ground', tx, ty);
        if (gid === 0 || gid >>> 28 !== 0 || gidAt(map, 'walls', tx, ty) !== 0 || gidAt(map, 'above', tx, ty) !== 0) continue;
        if (busy.some(([x, y]) => Math.abs(x - (tx + 0.5)) < 1.6 && Math.abs(y - (ty + 0.5)) < 1.6)) continue;
        const sx = Math.round(s.worldX + tx * px);
        const sy = Math.round(s.worldY + ty * px);
        // On screen, clear of the HUD panels (top 230 px, bottom-left button).
        if (sx < 0 || sy < 230 || sx + px > png.width || sy + px > png.height - 60) continue;
        const id = (gid & 0x0fffffff) - ts.firstGid;
        const ax = (id % ts.columns) * ts.tileWidth;
        const ay = Math.floor(id / ts.columns) * ts.tileHeight;
        let sum = 0;
        let n = 0;
        for (let y = 2; y < ts.tileHeight - 2; y++) {
          for (let x = 2; x < ts.tileWidth - 2; x++) {
            const a = ((ay + y) * atlas.width + ax + x) * 4;
            const b = ((sy + Math.floor((y * px) / ts.tileHeight)) * png.width + sx + Math.floor((x * px) / ts.tileWidth)) * 4;
            for (let c = 0; c < 3; c++) sum += Math.abs(atlas.data[a + c] - png.data[b + c]);
            n += 3;
          }
        }
        return { tile: [tx, ty], diff: sum / n };
      }
    }
  }
  throw new Error('no uncovered ground tile near the player on screen');
}

/** Share of screenshot pixels (below the HUD's top bar) that are not the page's background. */
function drawnShare(png: PNG): number {
  let drawn = 0;
  let n = 0;
  for (let y = 240; y < png.height - 60; y += 4) {
    for (let x = 0; x < png.width; x += 4) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      if (Math.abs(r - 0x10) + Math.abs(g - 0x10) + Math.abs(b - 0x10) > 24) drawn++;
      n++;
    }
  }
  return drawn / n;
}

/** True when a point walking straight from a to b never enters a blocked tile (the server's per-axis rule, sampled finely). */
function clearLine(map: GameMap, ax: number, ay: number, bx: number, by: number): boolean {
  const steps = Math.ceil(Math.hypot(bx - ax, by - ay) / 0.05);
  let x0 = ax;
  let y0 = ay;
  for (let i = 1; i <= steps; i++) {
    const x = ax + ((bx - ax) * i) / steps;
    const y = ay + ((by - ay) * i) / steps;
    if (isBlocked(map, Math.floor(x), Math.floor(y0)) || isBlocked(map, Math.floor(x), Math.floor(y))) return false;
    x0 = x;
    y0 = y;
  }
  return x0 === bx || true;
}

/** True for a screen point on the canvas and off the HUD (top bar, minimap panel, hotbar, controls button). */
function clickable(sx: number, sy: number): boolean {
  if (sx < 10 || sy < 90 || sx > VIEW.width - 10 || sy > VIEW.height - 10) return false;
  if (sy < 240 && sx > VIEW.width - 230) return false;
  if (sy > VIEW.height - 62 && sx > VIEW.width / 2 - 270 && sx < VIEW.width / 2 + 270) return false; // the hotbar (the bars over it let clicks through)
  return !(sy > VIEW.height - 60 && sx < 200);
}

/** Points every half unit along an A* path (its corners, tile centres) on `zone` from (x, y) to tile (gx, gy). */
function path(zone: ZoneMap, x: number, y: number, gx: number, gy: number): { x: number; y: number }[] {
  let out: { x: number; y: number }[] | undefined;
  const finder = new Pathfinder(
    gameMapOf(zone),
    (_id, found, p, length) => {
      if (found) out = Array.from(p.subarray(0, length), (t) => ({ x: (t % zone.width) + 0.5, y: Math.floor(t / zone.width) + 0.5 }));
    },
    { maxNodes: 100_000, maxPath: 4096 },
  );
  finder.request(1, Math.floor(x), Math.floor(y), gx, gy);
  finder.step(1_000_000);
  if (!out) throw new Error(`no path to ${gx},${gy}`);
  const dense: { x: number; y: number }[] = [];
  let prev = { x, y };
  for (const c of out) {
    const n = Math.max(1, Math.ceil(Math.hypot(c.x - prev.x, c.y - prev.y) / 0.5));
    for (let i = 1; i <= n; i++) dense.push({ x: prev.x + ((c.x - prev.x) * i) / n, y: prev.y + ((c.y - prev.y) * i) / n });
    prev = c;
  }
  return dense;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  build = mkdtempSync(join(tmpdir(), 'tessera-client-build-'));
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', ALLOW_GUESTS: '1', SPAWN_SPREAD: '0', CONTENT_BUILD_DIR: build });
  const content = prepareWorld(cfg, silentLog);
  if (!content) throw new Error('data/world.json is missing');
  for (const z of content.zones) maps.set(z.name, decodeZonePack(new Uint8Array(z.pack)));
  await ensureClientBuild(cfg.clientBuildDir, silentLog);
  server = await startTessera(cfg, { log: silentLog, content, clientDir: cfg.clientBuildDir, world, handlers: [charactersApi] });
  base = `http://127.0.0.1:${server.port}`;
  chromium = await launchChromium({ webgl: true, viewport: VIEW });
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  rmSync(build, { recursive: true, force: true });
});

describe('the browser client on the default world (headless Chromium)', () => {
  it('draws the town, walks with the keyboard, shows a bot walking past smoothly, and goes through the portal into the field', { timeout: 180_000 }, async () => {
    await page.goto(`${base}/client/?guest=Tester&debug=1`);
    let s = await until((x) => x.me !== null && !x.loading && (x.tilesDrawn.ground ?? 0) > 0 && x.frames > 5, 30_000, 'the town drawn with the player');
    expect(s.zone).toBe('town');
    await page.evaluate('window.__sameDocument = true');
    expect(s.zoneTitle).toBe('Emberwick');
    expect(await page.locator('#zone-name').textContent()).toBe('Emberwick');
    await until((x) => x.rtt > 0, 20_000, 'a round trip measured');
    // (Locators, not waitForFunction: the page's CSP refuses the eval that would need.)
    await expect.poll(() => page.locator('#conn-text').textContent(), { timeout: 20_000 }).toMatch(/^(Connected|Lagging) · \d+ ms$/);
    // Step 1: the canvas shows the town's own tiles.
    s = await state();
    let png = await shot('01-town.png');
    expect(drawnShare(png)).toBeGreaterThan(0.95);
    const town = groundTileDifference(png, s, 'town');
    expect(town.diff, `ground tile ${town.tile} against terrain.png`).toBeLessThan(10);

    // Step 2: walk east with the keyboard; the server's position follows.
    const start = { x: s.me!.serverX, y: s.me!.serverY };
    await page.getByRole('application', { name: /Game world/ }).focus();
    await page.keyboard.down('KeyD');
    await until((x) => x.me!.serverX >= start.x + 2, 20_000, 'the server moving the player east');
    await page.keyboard.up('KeyD');
    s = await until((x) => x.me!.serverX > start.x + 2 && (x.me!.flags & 1) === 0 && Math.abs(x.me!.x - x.me!.serverX) < 0.1, 15_000, 'the player at rest');
    const stopped = s.me!.serverX;
    expect(s.me!.serverY).toBeCloseTo(start.y, 5);
    // Still there five snapshots later: stopped, not passing by.
    const at = s.tick;
    expect((await until((x) => x.tick >= at + 5, 15_000, 'five more snapshots')).me!.serverX).toBe(stopped);
    await shot('02-walked-east.png');

    // Step 3: a bot walks past, west along the street from the spawn, in view; drawn positions move monotonically.
    const bot = await TestClient.connect(`ws://127.0.0.1:${server.port}/play`, 'Passerby', undefined, 0, server.contentHash ?? '');
    try {
      await bot.until(() => bot.positionOf(bot.me) !== undefined, 15_000, 'bot placed');
      await until((x) => x.others.some((o) => o.id === bot.me), 15_000, 'the bot in view');
      const from = bot.positionOf(bot.me)!;
      // Straight along a street: the longest clear way (west, east, south, north), up to 10 units.
      const grid = gameMapOf(maps.get('town')!);
      const reach = ([dx, dy]: number[]) => {
        let d = 0;
        while (d < 10 && clearLine(grid, from.x, from.y, from.x + dx * (d + 1), from.y + dy * (d + 1))) d++;
        return d;
      };
      const dir = [[-1, 0], [1, 0], [0, 1], [0, -1]].reduce((a, b) => (reach(b) > reach(a) ? b : a));
      const length = reach(dir);
      if (length < 4) throw new Error(`no straight walk from ${from.x},${from.y}`);
      const to = { x: from.x + dir[0] * length, y: from.y + dir[1] * length };
      const progress = (p: { x: number; y: number }) => (p.x - from.x) * dir[0] + (p.y - from.y) * dir[1];
      // Recording starts first, so every frame of the walk is in it.
      const frames = (await state()).frames;
      const tracking = page.evaluate(`window.__tessera.track(${bot.me}, ${Math.round((length / 6) * 1000) + 1500})`);
      await until((x) => x.frames > frames + 1, 15_000, 'a frame recorded');
      bot.moveTo(to.x, to.y);
      const track = (await tracking) as { t: number; x: number; y: number; tick: number }[];
      await shot('03-bot-walked.png');
      // Every frame drawn while it walked (a loaded 2-core box with software WebGL may draw only a few a second).
      const moving = track.filter((p) => progress(p) > 0.01 && progress(p) < length - 0.01);
      expect(moving.length, `frames drawn while the bot walked (of ${track.length})`).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < track.length; i++) expect(progress(track[i]), `frame ${i}: ${JSON.stringify(track.slice(Math.max(0, i - 2), i + 1))}`).toBeGreaterThanOrEqual(progress(track[i - 1]) - 1e-6);
      // On the line, and drawn between snapshots rather than stepped from one to the next (snapshot positions are whole 1/16 units).
      for (const p of track) expect(Math.abs((p.x - from.x) * dir[1] - (p.y - from.y) * dir[0])).toBeLessThan(1e-6);
      expect(moving.some((p) => Math.abs(progress(p) * 16 - Math.round(progress(p) * 16)) > 1e-3), JSON.stringify(moving)).toBe(true);
      expect(progress(track.at(-1)!)).toBeCloseTo(length, 1);
    } finally {
      bot.close();
    }

    // Step 4: click ahead along the way to the town gate's portal; the field is drawn in the same page.
    const townMap = maps.get('town')!;
    const townGrid = gameMapOf(townMap);
    const portal = townMap.portals.find((p) => p.zone === 'field')!;
    const goal = { x: Math.floor(portal.x + portal.width / 2), y: Math.floor(portal.y + portal.height / 2) };
    for (let clicks = 0; clicks < 40; clicks++) {
      // At rest (drawn where the server says), so the camera stands still while the click is aimed.
      s = await until((x) => x.zone !== 'town' || (x.me !== null && (x.me.flags & 1) === 0 && Math.hypot(x.me.x - x.me.serverX, x.me.y - x.me.serverY) < 0.05), 20_000, 'the player at rest');
      if (s.zone !== 'town') break;
      const at = { x: s.me!.serverX, y: s.me!.serverY };
      const route = path(townMap, at.x, at.y, goal.x, goal.y);
      // The farthest point of the route in a straight line and on screen, clear of the HUD.
      const px = s.tile * s.scale;
      let target: { x: number; y: number } | undefined;
      for (const p of route) {
        const sx = s.worldX + p.x * px;
        const sy = s.worldY + p.y * px;
        if (!clickable(sx, sy)) continue;
        if (!clearLine(townGrid, at.x, at.y, p.x, p.y)) continue;
        if (Math.hypot(p.x - at.x, p.y - at.y) > (target ? Math.hypot(target.x - at.x, target.y - at.y) : 0)) target = p;
      }
      if (!target) throw new Error(`no clickable step toward the portal from ${at.x},${at.y}`);
      await page.mouse.click(s.worldX + target.x * px, s.worldY + target.y * px);
      const t = target;
      await until((x) => x.zone !== 'town' || Math.hypot(x.me!.serverX - t.x, x.me!.serverY - t.y) < 0.3 || (x.me!.flags & 1) === 1, 15_000, `setting off to ${t.x},${t.y}`);
    }
    s = await until((x) => x.zone === 'field' && !x.loading && x.me !== null && (x.tilesDrawn.ground ?? 0) > 0 && x.zoneTitle === 'The Ashen Fields', 20_000, 'the field drawn');
    await until((x) => x.me !== null && x.me.sx > 0, 15_000, 'the player placed in the field');
    await expect.poll(() => page.locator('#zone-name').textContent(), { timeout: 15_000 }).toBe('The Ashen Fields');
    // Two frames drawn with the player at rest there, for the picture.
    const placed = (await until((x) => x.me !== null && (x.me.flags & 1) === 0, 15_000, 'the player at rest in the field')).frames;
    s = await until((x) => x.frames > placed + 1, 15_000, 'two more frames');
    png = await shot('04-field.png');
    expect(drawnShare(png)).toBeGreaterThan(0.95);
    const field = groundTileDifference(png, s, 'field');
    expect(field.diff, `ground tile ${field.tile} against terrain.png`).toBeLessThan(10);
    // Same document all along: the zone changed without a page load.
    expect(await page.evaluate('window.__sameDocument')).toBe(true);

    // The HUD at 1920×1080 too.
    await page.setViewportSize({ width: 1920, height: 1080 });
    const before = (await state()).frames;
    await until((x) => x.frames > before + 2, 15_000, 'frames drawn at 1080p');
    await shot('05-field-1080p.png');
    const boxes = (await page.evaluate("['player-frame', 'zone-name', 'status-frame', 'help-button'].map((id) => document.getElementById(id).getBoundingClientRect().toJSON())")) as { right: number; bottom: number; width: number }[];
    for (const b of boxes) expect(b.right <= 1920 && b.bottom <= 1080 && b.width > 0).toBe(true);
    expect(pageErrors).toEqual([]);
  });
  it('plays a character with the session token the account page keeps in the tab', { timeout: 90_000 }, async () => {
    // Where the account page keeps its token and where its Play links lead (web/account/app.js).
    const app = readFileSync(join(REPO_ROOT, 'web/account/app.js'), 'utf8');
    expect(app).toContain("sessionStorage.setItem('tessera.token', token)");
    expect(app).toContain("'/client/?character={id}'");
    const tab = await chromium.context.newPage();
    tab.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      // As after logging in on the account page at /: the token in this tab's sessionStorage, then its Play link.
      await tab.goto(`${base}/content/manifest.json`); // any page of the origin
      await tab.evaluate(`sessionStorage.setItem('tessera.token', '${ACCOUNT.token}'); localStorage.setItem('tessera.debug', '1')`);
      await tab.goto(`${base}/client/?character=${ACCOUNT.characterId}`);
      page = tab;
      const s = await until((x) => x.me !== null && !x.loading && (x.tilesDrawn.ground ?? 0) > 0, 20_000, 'the character in the world');
      expect(s.zone).toBe('town');
      await expect.poll(() => tab.locator('#player-name').textContent(), { timeout: 15_000 }).toBe(ACCOUNT.name);
      await shot('06-character.png');
      // Without the token (another tab, or logged out), the page says where to log in and offers a guest.
      await tab.evaluate("sessionStorage.removeItem('tessera.token')");
      await tab.goto(`${base}/client/?character=${ACCOUNT.characterId}`);
      await expect.poll(() => tab.locator('#start-note').textContent(), { timeout: 20_000 }).toMatch(/log in on the account page/);
      expect(await tab.getByRole('button', { name: 'Play as guest' }).isVisible()).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
