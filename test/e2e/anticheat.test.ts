/**
 * The anti-cheat end to end: a real server process (embedded PGlite, the
 * default world's content) and the `cheat` bot on real WebSocket clients.
 * Each cheat the bot tries is refused and counted by its check in
 * tessera_anticheat_violations_total; past ANTICHEAT_WARN_AT the player is
 * warned, past ANTICHEAT_KICK_AT closed with CHEATING, and past
 * ANTICHEAT_BAN_AT (across its reconnects) banned with CHEAT_BANNED: the
 * ban is stored, so its next login is refused, at the gate and at the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_SCHEMAS } from '../../src/content/schema/index.ts';
import { ItemCatalogue } from '../../src/main/items/catalogue.ts';
import { ItemStore } from '../../src/main/items/item-store.ts';
import { openStorage } from '../../src/main/persistence/storage.ts';
import { loginBot } from '../../src/bots/accounts.ts';
import { CHEATS, CheatBot, playUrlOf } from '../../src/bots/cheat.ts';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { CloseCode } from '../../src/protocol/errors.ts';
import { NoticeCode } from '../../src/protocol/notices.ts';

let server: ServerProcess;
let dir: string;
const bots: CheatBot[] = [];

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
  // A victim with an item (characters start with none; the game hands them out as loot): made
  // through the API, the item put in its bag while the server is down, then the server again.
  const first = await startServer(ENV(dir), { timeoutMs: 120_000 });
  const victim = await loginBot(first.url, 'victim', 'pw-victim-anticheat', 'victim').finally(() => first.stop());
  const storage = await openStorage({ dataDir: join(dir, 'data') });
  const items = FILE_SCHEMAS.items.parse(JSON.parse(readFileSync(new URL('../../data/items.json', import.meta.url), 'utf8'))).items;
  const looted = await new ItemStore(storage.db, new ItemCatalogue(items)).loot(victim.characterId, 'item.bread', 2, 'test:victim', 0);
  await storage.close();
  if (!looted.ok) throw new Error(`the victim's bread: ${looted.message}`);
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
});
