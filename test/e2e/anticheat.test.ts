/**
 * The anti-cheat end to end: a real server process (embedded PGlite, the
 * default world's content) and the `cheat` bot on real WebSocket clients.
 * Each cheat the bot tries is refused and counted by its check in
 * tessera_anticheat_violations_total; past ANTICHEAT_WARN_AT the player is
 * warned, past ANTICHEAT_KICK_AT closed with CHEATING, and past
 * ANTICHEAT_BAN_AT (across its reconnects) banned with CHEAT_BANNED: the
 * ban is stored, so its next login is refused, at the gate and at the API.
 * The cells' combat checks (out of range, cooldown, line of sight) are
 * tried by a mage in the open field, each with its honest near miss, which
 * is refused for the same reason but not counted. A ban is the account's:
 * its other characters' connections close with it, one waiting for a
 * resume cannot be resumed, and another account plays on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../../src/content/load-world.ts';
import { decodeZonePack } from '../../src/content/pack/zone-pack.ts';
import type { Rect, ZoneMap } from '../../src/content/zone-map.ts';
import { FILE_SCHEMAS } from '../../src/content/schema/index.ts';
import { runRolesCommand } from '../../src/main/admin/roles-command.ts';
import { ItemCatalogue } from '../../src/main/items/catalogue.ts';
import { ItemStore } from '../../src/main/items/item-store.ts';
import { openStorage } from '../../src/main/persistence/storage.ts';
import { loginBot } from '../../src/bots/accounts.ts';
import { CHEATS, CheatBot, playUrlOf } from '../../src/bots/cheat.ts';
import { COMBAT_CHEATS, COMBAT_REFUSAL, type CombatPlan } from '../../src/bots/cheat-combat.ts';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { CloseCode } from '../../src/protocol/errors.ts';
import { NoticeCode } from '../../src/protocol/notices.ts';
import { LOS_WALL_TILES, rockTilesAlong } from '../../src/workers/anticheat/wall-thickness.ts';
import { WalkGrid } from '../../src/workers/walk-grid.ts';
import { seedPglite } from '../helpers/pglite-template.ts';

let server: ServerProcess;
let dir: string;
const bots: CheatBot[] = [];
/** The mage's account and what it tries the combat cheats with, where (found on the field's map). */
const MAGE = { username: 'sorcerer', password: 'pw-sorcerer-anticheat', character: 'sorcerer' };
const WARDEN = { username: 'warden', password: 'pw-warden-anticheat' };
let mageClass = 0;
let plan: CombatPlan;
let spot: { x: number; y: number };

/** The tiles from `r` to (x, y), 0 inside it. */
function gap(r: Rect, x: number, y: number): number {
  return Math.hypot(Math.max(r.x - x, 0, x - (r.x + r.width)), Math.max(r.y - y, 0, y - (r.y + r.height)));
}

/**
 * The first quiet walkable tile of `map` (far from NPCs, safe areas and
 * portals) with, within `reach` tiles, a walkable tile behind a wall at
 * least LOS_WALL_TILES thick (a cheat to aim at) and one behind a single
 * rock tile (an honest mistake), as the cells measure walls.
 */
function findCombatSpot(map: ZoneMap, reach: number): { at: { x: number; y: number }; thickWall: { x: number; y: number }; thinWall: { x: number; y: number } } {
  // The terrain as the cells see it (their GameMap: no spawn point needed here).
  const terrain = { width: map.width, height: map.height, tiles: map.tiles, spawnX: 0, spawnY: 0 };
  const grid = new WalkGrid(terrain);
  const r = Math.floor(reach);
  const quiet = (x: number, y: number) =>
    map.spawnAreas.every((a) => gap(a, x, y) >= 15) &&
    map.npcs.every((n) => Math.hypot(n.x - x, n.y - y) >= 15) &&
    map.safeAreas.every((a) => gap(a, x, y) >= 3) &&
    (map.pvpAreas ?? []).every((a) => gap(a, x, y) >= 3) &&
    map.portals.every((p) => gap(p, x, y) >= 5);
  for (let py = 0; py < map.height; py++) {
    for (let px = 0; px < map.width; px++) {
      if (!grid.walkable(px, py) || !quiet(px + 0.5, py + 0.5)) continue;
      let thick: { x: number; y: number } | undefined;
      let thin: { x: number; y: number } | undefined;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const tx = px + dx;
          const ty = py + dy;
          if (Math.hypot(dx, dy) > reach || !grid.walkable(tx, ty)) continue;
          const n = rockTilesAlong(terrain, px, py, tx, ty, LOS_WALL_TILES + 1);
          if (!thick && n >= LOS_WALL_TILES) thick = { x: tx + 0.5, y: ty + 0.5 };
          if (!thin && n === 1 && !grid.straight(px, py, tx, ty)) thin = { x: tx + 0.5, y: ty + 0.5 };
        }
      }
      if (thick && thin) return { at: { x: px + 0.5, y: py + 0.5 }, thickWall: thick, thinWall: thin };
    }
  }
  throw new Error(`no spot on ${map.file} with a thick and a thin wall within ${reach} tiles`);
}

/** A metric's value from /metrics text (0 when absent). */
function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function admin(path: string, body: unknown, token: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** The violations counted so far, by check, from /metrics. */
async function violations(): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^tessera_anticheat_violations_total\{check="([a-z_]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function connect(credential: string, characterId = 0): Promise<CheatBot> {
  const bot = await CheatBot.connect(playUrlOf(server.url), credential, characterId);
  bots.push(bot);
  return bot;
}

const ENV = (dir: string): Record<string, string> => ({
  DATA_DIR: join(dir, 'data'),
  CONTENT_BUILD_DIR: join(dir, 'build'),
  ALLOW_GUESTS: '1',
  LOG_LEVEL: 'warn',
  GATE_IP_LIMIT_EXEMPT: 'loopback',
  // High enough that every cheat of the first pass is seen before a kick; a warning early.
  ANTICHEAT_WARN_AT: '3',
  ANTICHEAT_KICK_AT: '100',
  ANTICHEAT_BAN_AT: '104',
  ANTICHEAT_BAN_MS: '600000',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-anticheat-'));
  // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
  await seedPglite(join(dir, 'data', 'pglite'));
  // A victim with an item (characters start with none; the game hands them out as loot), a mage
  // of the level that knows a point skill, and an admin (to put the mage in the field): made
  // through the API, then the item, the level and the role written while the server is down,
  // then the server again.
  const first = await startServer(ENV(dir), { timeoutMs: 120_000 });
  const world = loadWorld(join(dir, 'build'));
  const content = world.catalogue;
  const mage = content.classes.find((k) => k.id === 'class.mage')!;
  mageClass = content.classes.indexOf(mage) + 1;
  const skillNumber = (id: string) => content.skills.findIndex((k) => k.id === id) + 1;
  const flameWave = content.skills.find((k) => k.id === 'skill.flame_wave')!;
  const level = Math.max(...mage.skills.filter((k) => k.skill === 'skill.flame_wave' || k.skill === 'skill.mend').map((k) => k.level ?? 1));
  const field = findCombatSpot(decodeZonePack(new Uint8Array(world.zones.find((z) => z.name === 'field')!.pack)), flameWave.range - 1.5);
  spot = field.at;
  // Flame Wave: a point skill, line of sight needed; Mend, cast on oneself, cools down 8 s.
  plan = { pointSkill: skillNumber('skill.flame_wave'), pointRange: flameWave.range, cooldownSkill: skillNumber('skill.mend'), thickWall: field.thickWall, thinWall: field.thinWall };
  let victim: { characterId: number };
  let mageId: number;
  try {
    victim = await loginBot(first.url, 'victim', 'pw-victim-anticheat', 'victim');
    mageId = (await loginBot(first.url, MAGE.username, MAGE.password, MAGE.character, mageClass)).characterId;
    await loginBot(first.url, WARDEN.username, WARDEN.password, 'warden');
  } finally {
    await first.stop();
  }
  const storage = await openStorage({ dataDir: join(dir, 'data') });
  try {
    const items = FILE_SCHEMAS.items.parse(JSON.parse(readFileSync(new URL('../../data/items.json', import.meta.url), 'utf8'))).items;
    const looted = await new ItemStore(storage.db, new ItemCatalogue(items)).loot(victim.characterId, 'item.bread', 2, 'test:victim', 0);
    if (!looted.ok) throw new Error(`the victim's bread: ${looted.message}`);
    await storage.db.query('UPDATE characters SET level = $1, xp = $2 WHERE id = $3', [level, mage.experience[level - 2], mageId]);
    const granted = await runRolesCommand(storage.db, ['grant', WARDEN.username, 'admin']);
    if (granted.code !== 0) throw new Error(granted.out);
  } finally {
    await storage.close();
  }
  server = await startServer(ENV(dir), { timeoutMs: 120_000 });
}, 240_000);

afterAll(async () => {
  for (const b of bots) b.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the anti-cheat against the cheat bot', () => {
  it('refuses and counts each cheat by check, warns, kicks, then bans (the ban refuses the next login)', async () => {
    const before = await violations();
    for (const c of CHEATS) expect(before[c], `series for ${c}`).toBe(0);
    // (A name of eight letters: the bots' accounts pick the class by the name's length, 8 a warrior.)
    const cheater = await loginBot(server.url, 'cheater', 'pw-cheater-anticheat', 'cheaters');

    const first = await connect(cheater.token, cheater.characterId);
    const outcomes = await first.tryAll();
    // The malformed frame closes the connection (4000): the flood is tried on a guest after.
    expect(outcomes.map((o) => o.cheat), JSON.stringify(outcomes)).toEqual(CHEATS.filter((c) => c !== 'flood'));
    expect(first.closeCode).toBe(CloseCode.PROTOCOL_ERROR);
    for (const o of outcomes) expect(o.refused, `${o.cheat}: ${o.evidence}`).toBe(true);
    expect(first.notices).toContain(NoticeCode.CHEAT_WARNING);
    const guest = await connect('floodguest');
    expect(await guest.attempt('flood')).toMatchObject({ refused: true, evidence: `closed ${CloseCode.RATE_LIMITED}` });

    const counted = await violations();
    for (const c of CHEATS) expect(counted[c], `violations of ${c}`).toBeGreaterThan(0);

    // Cheating on: closed with CHEATING at ANTICHEAT_KICK_AT...
    const second = await connect(cheater.token, cheater.characterId);
    expect(await second.cheatUntilClosed(30_000)).toBe(CloseCode.CHEATING);
    // ...and, back again, closed again at each violation past it, until banned at ANTICHEAT_BAN_AT: stored before the close.
    const closes: number[] = [];
    let last: CheatBot | undefined;
    while (closes.at(-1) !== CloseCode.CHEAT_BANNED && closes.length < 20) {
      last = await connect(cheater.token, cheater.characterId);
      closes.push((await last.cheatUntilClosed(30_000)) ?? 0);
    }
    expect(closes.at(-1)).toBe(CloseCode.CHEAT_BANNED);
    expect(closes.slice(0, -1).every((c) => c === CloseCode.CHEATING)).toBe(true);
    expect(last!.closeReason).toMatch(/^banned until .* UTC: anti-cheat/);

    // The ban holds: the gate refuses the session's next HELLO, the account API its next login.
    const refused = await connect(cheater.token, cheater.characterId);
    expect(refused.entity).toBe(-1);
    expect(refused.closeCode).toBe(CloseCode.BANNED);
    const login = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cheater', password: 'pw-cheater-anticheat' }) });
    expect(login.status).toBe(403);
    // Others still play.
    const honest = await connect('honestguest');
    expect(honest.closeCode).toBeUndefined();
  }, 150_000);

  it('refuses and counts out_of_range, cooldown and line_of_sight; the honest near miss of each is refused the same way but not counted', async () => {
    const mage = await loginBot(server.url, MAGE.username, MAGE.password, MAGE.character, mageClass);
    const warden = await loginBot(server.url, WARDEN.username, WARDEN.password, 'warden');
    const bot = await connect(mage.token, mage.characterId);
    // Out of the town (a safe area, where no skill is aimed) to a quiet spot of the field.
    const moved = await admin('/api/admin/teleport', { characterId: mage.characterId, zone: 'field', x: spot.x, y: spot.y, reason: 'anti-cheat test' }, warden.token);
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(await bot.until(() => {
      const at = bot.position();
      return at !== undefined && Math.floor(at.x) === Math.floor(spot.x) && Math.floor(at.y) === Math.floor(spot.y);
    }, 15_000)).toBe(true);

    /** One attempt, and what it added to each check's count. */
    const attempt = async (cheat: (typeof COMBAT_CHEATS)[number], nearMiss: boolean) => {
      const before = await violations();
      const outcome = await bot.attemptCombat(cheat, plan, { nearMiss });
      const after = await violations();
      const added = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]).filter(([, n]) => n !== 0));
      return { outcome, added };
    };
    // The cooldown first: its near miss waits for the cooldown's last second, after the others.
    const cheated = await attempt('cooldown', false);
    const rest = [];
    for (const cheat of ['out_of_range', 'line_of_sight'] as const) rest.push(await attempt(cheat, false), await attempt(cheat, true));
    const honestCooldown = await attempt('cooldown', true);
    const [range, rangeNear, sight, sightNear] = rest;
    for (const [r, cheat] of [[cheated, 'cooldown'], [range, 'out_of_range'], [sight, 'line_of_sight']] as const) {
      expect(r!.outcome, JSON.stringify(r!.outcome)).toMatchObject({ refused: true, reason: COMBAT_REFUSAL[cheat] });
      expect(r!.added, `${cheat}: ${r!.outcome.evidence}`).toEqual({ [cheat]: 1 });
    }
    for (const [r, cheat] of [[honestCooldown, 'cooldown'], [rangeNear, 'out_of_range'], [sightNear, 'line_of_sight']] as const) {
      expect(r!.outcome, JSON.stringify(r!.outcome)).toMatchObject({ refused: true, reason: COMBAT_REFUSAL[cheat] });
      expect(r!.added, `${cheat} near miss: ${r!.outcome.evidence}`).toEqual({});
    }
    expect(bot.closeCode).toBeUndefined();
  }, 90_000);

  it('bans the account, not only the connection: its other characters are closed with CHEAT_BANNED, a dropped one cannot resume, another account plays on', async () => {
    const pw = 'pw-twins-anticheat';
    const [cheat, twin, dropped] = [await loginBot(server.url, 'twins', pw, 'twinone'), await loginBot(server.url, 'twins', pw, 'twintwo'), await loginBot(server.url, 'twins', pw, 'twinthree')];
    const other = await loginBot(server.url, 'bystander', 'pw-bystander-anticheat', 'bystander');
    const second = await connect(twin.token, twin.characterId);
    const third = await connect(dropped.token, dropped.characterId);
    const bystander = await connect(other.token, other.characterId);
    const token = third.resumeToken;
    expect(token).toBeDefined();
    // Its network lost: the server keeps the character for a resume.
    const detached = async () => metric(await (await fetch(`${server.url}/metrics`)).text(), 'tessera_gate_detached');
    const waiting = await detached();
    third.drop();
    await expect.poll(detached, { timeout: 10_000 }).toBe(waiting + 1);

    // A kick is the cheating character's: its twin plays on...
    const kicked = await connect(cheat.token, cheat.characterId);
    expect(await kicked.cheatUntilClosed(30_000)).toBe(CloseCode.CHEATING);
    const tick = second.view.lastTick;
    expect(await second.until(() => second.view.lastTick > tick, 5000)).toBe(true);
    expect(second.closeCode).toBeUndefined();
    // ...until the ban: every connection of the account goes with it.
    let code: number | undefined;
    for (let i = 0; i < 20 && code !== CloseCode.CHEAT_BANNED; i++) code = await (await connect(cheat.token, cheat.characterId)).cheatUntilClosed(30_000);
    expect(code).toBe(CloseCode.CHEAT_BANNED);
    expect(await second.until(() => second.closeCode !== undefined, 10_000)).toBe(true);
    expect(second.closeCode).toBe(CloseCode.CHEAT_BANNED);
    expect(second.closeReason).toMatch(/^banned until .* UTC: anti-cheat/);
    // The dropped one left the world: no resume, and no login.
    await expect.poll(detached, { timeout: 10_000 }).toBe(waiting);
    const resumed = await CheatBot.resume(playUrlOf(server.url), token!);
    bots.push(resumed);
    expect(resumed.entity).toBe(-1);
    expect(resumed.closeCode).toBe(CloseCode.RESUME_REFUSED);
    const again = await connect(dropped.token, dropped.characterId);
    expect(again.closeCode).toBe(CloseCode.BANNED);
    // The other account was never touched.
    const seen = bystander.view.lastTick;
    expect(await bystander.until(() => bystander.view.lastTick > seen, 5000)).toBe(true);
    expect(bystander.closeCode).toBeUndefined();
  }, 120_000);
});
