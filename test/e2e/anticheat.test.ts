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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-anticheat-'));
  server = await startServer(
    {
      DATA_DIR: join(dir, 'data'),
      CONTENT_BUILD_DIR: join(dir, 'build'),
      CLIENT_BUILD_DIR: join(dir, 'client'),
      ALLOW_GUESTS: '1',
      LOG_LEVEL: 'warn',
      GATE_IP_LIMIT_EXEMPT: 'loopback',
      // High enough that every cheat of the first pass is seen before a kick; a warning early.
      ANTICHEAT_WARN_AT: '3',
      ANTICHEAT_KICK_AT: '100',
      ANTICHEAT_BAN_AT: '130',
      ANTICHEAT_BAN_MS: '600000',
    },
    { timeoutMs: 120_000 },
  );
}, 150_000);

afterAll(async () => {
  for (const b of bots) b.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the anti-cheat against the cheat bot', () => {
  it('refuses and counts each cheat by check, warns, kicks, then bans (the ban refuses the next login)', async () => {
    const before = await violations();
    for (const c of CHEATS) expect(before[c], `series for ${c}`).toBe(0);
    // A victim first: its starting items get the ids just below the cheater's.
    await loginBot(server.url, 'victim', 'pw-victim-anticheat', 'victim');
    const cheater = await loginBot(server.url, 'cheater', 'pw-cheater-anticheat', 'cheater');

    const first = await connect(cheater.token, cheater.characterId);
    const outcomes = await first.tryAll();
    expect(outcomes.map((o) => o.cheat)).toEqual([...CHEATS]);
    for (const o of outcomes) expect(o.refused, `${o.cheat}: ${o.evidence}`).toBe(true);
    expect(first.notices).toContain(NoticeCode.CHEAT_WARNING);
    // The last cheats closed it: a malformed frame (4000) ends the tries before the flood; the flood is tried on a guest.
    const guest = await connect('floodguest');
    expect(await guest.attempt('flood')).toMatchObject({ refused: true, evidence: `closed ${CloseCode.RATE_LIMITED}` });

    const counted = await violations();
    for (const c of CHEATS) expect(counted[c], `violations of ${c}`).toBeGreaterThan(0);

    // Cheating on: closed with CHEATING at ANTICHEAT_KICK_AT...
    const second = await connect(cheater.token, cheater.characterId);
    expect(await second.cheatUntilClosed(30_000)).toBe(CloseCode.CHEATING);
    // ...and, back again, banned at ANTICHEAT_BAN_AT: stored before the close.
    const third = await connect(cheater.token, cheater.characterId);
    expect(await third.cheatUntilClosed(30_000)).toBe(CloseCode.CHEAT_BANNED);
    expect(third.closeReason).toMatch(/^banned until .* UTC: anti-cheat/);

    // The ban holds: the gate refuses the session's next HELLO, the account API its next login.
    const refused = await connect(cheater.token, cheater.characterId).catch((err: unknown) => err);
    const last = bots.at(-1)!;
    expect(refused === last || refused instanceof Error).toBe(true);
    expect(last.closeCode).toBe(CloseCode.BANNED);
    const login = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cheater', password: 'pw-cheater-anticheat' }) });
    expect(login.status).toBe(403);
    // Others still play.
    const honest = await connect('honestguest');
    expect(honest.closeCode).toBeUndefined();
  }, 150_000);
});
