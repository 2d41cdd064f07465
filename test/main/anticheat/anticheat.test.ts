/**
 * The anti-cheat service with a fake gate and ban store: every violation is
 * counted by check (the coordinator's own; the cells' are counted in their
 * slots), logged with ids only and within a budget, and weighed per
 * player: a warning NOTICE, a close with CHEATING, then a ban stored before
 * the CHEAT_BANNED close. A guest is counted and banned by its address.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANTICHEAT_CONFIG, type AnticheatConfig } from '../../../src/main/anticheat-config.ts';
import { Anticheat, offenderKey, type Suspect } from '../../../src/main/anticheat/anticheat.ts';
import type { BanTarget } from '../../../src/main/moderation/bans.ts';
import { CloseCode } from '../../../src/protocol/errors.ts';
import { NoticeCode } from '../../../src/protocol/notices.ts';
import { ServerOp } from '../../../src/protocol/opcodes.ts';

function setup(c: Partial<AnticheatConfig> = {}, o: { banFails?: boolean; noBanStore?: boolean; exempt?: string; live?: Suspect[] } = {}) {
  const cfg = { ...DEFAULT_ANTICHEAT_CONFIG, warnAt: 2, kickAt: 4, banAt: 6, banMs: 3_600_000, ...c };
  const sent: { id: number; op: number; code: number }[] = [];
  const closed: { id: number; code: number; reason: string }[] = [];
  const bans: { target: BanTarget; reason: string; untilMs: number }[] = [];
  const counted = new Map<string, number>();
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(JSON.parse(String(chunk)));
      done();
    },
  });
  let now = 1_700_000_000_000;
  let settle: () => void = () => {};
  const ac = new Anticheat<Suspect>(
    cfg,
    {
      send: (s, bytes) => sent.push({ id: s.id, op: bytes[0]!, code: bytes[1]! | (bytes[2]! << 8) }),
      close: (s, code, reason) => closed.push({ id: s.id, code, reason }),
      // What the gate host does (gate-host.ts coveredBy), over the connections the test says are live.
      covered: o.live ? (target) => o.live!.filter((s) => ('accountId' in target ? s.accountId === target.accountId : s.remote === target.address)) : undefined,
      ban: o.noBanStore
        ? undefined
        : (target, reason, untilMs) =>
            new Promise<void>((resolve, reject) => {
              bans.push({ target, reason, untilMs });
              settle = o.banFails ? () => reject(new Error('database down')) : resolve;
            }),
    },
    pino({ level: 'info' }, sink),
    { metrics: { violation: (check) => counted.set(check, (counted.get(check) ?? 0) + 1) }, now: () => now, exempt: (a) => a === o.exempt },
  );
  const player = (id: number, accountId: number, remote = '203.0.113.7'): Suspect => ({ id, accountId, characterId: accountId * 10, remote, name: `hero${id}` });
  return { ac, sent, closed, bans, counted, logs, player, tick: (ms: number) => (now += ms), settleBan: () => settle(), now: () => now };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('Anticheat', () => {
  it('warns, then kicks, then after a reconnect bans: stored first, then closed with CHEAT_BANNED', async () => {
    const t = setup();
    const first = t.player(1, 42);
    expect(['item_not_owned', 'item_not_owned', 'quest_not_earned', 'chat_flood'].map((c) => t.ac.report(first, c))).toEqual(['count', 'warn', 'count', 'kick']);
    expect(t.sent).toEqual([{ id: 1, op: ServerOp.NOTICE, code: NoticeCode.CHEAT_WARNING }]);
    expect(t.closed).toEqual([{ id: 1, code: CloseCode.CHEATING, reason: 'too many impossible actions (chat_flood)' }]);
    // What the closed connection still sends is counted, not acted on again.
    expect(t.ac.report(first, 'chat_flood')).toBe('count');
    expect(t.closed).toHaveLength(1);

    // The same account again: its count goes on; the next one kicks, the one after bans.
    const again = t.player(2, 42);
    expect(t.ac.report(again, 'destination', 'cell')).toBe('kick');
    const third = t.player(3, 42);
    expect(t.ac.report(third, 'out_of_range', 'cell')).toBe('ban');
    expect(t.bans).toEqual([{ target: { accountId: 42 }, reason: 'anti-cheat: too many impossible actions (out_of_range)', untilMs: t.now() + 3_600_000 }]);
    // Closed only once the ban is stored: a login right after the close meets it.
    expect(t.closed.map((c) => c.id)).toEqual([1, 2]);
    t.settleBan();
    await flush();
    expect(t.closed.at(-1)).toMatchObject({ id: 3, code: CloseCode.CHEAT_BANNED });
    expect(t.closed.at(-1)!.reason).toMatch(/^banned until \d{4}-\d\d-\d\d \d\d:\d\d UTC: anti-cheat/);

    // The coordinator's checks are counted here; the cells' in their stat slots (not twice).
    expect(Object.fromEntries(t.counted)).toEqual({ item_not_owned: 2, quest_not_earned: 1, chat_flood: 2 });
  });

  it('a ban closes every connection of the account it covers (its other characters), once stored; another account plays on', async () => {
    const live: Suspect[] = [];
    const t = setup({ warnAt: 0, kickAt: 2, banAt: 3 }, { live });
    const cheat = t.player(1, 42);
    const twin = { ...t.player(2, 42), characterId: 421 };
    const other = t.player(3, 43);
    live.push(cheat, twin, other);
    expect(t.ac.report(cheat, 'destination', 'cell')).toBe('count');
    // A kick is the cheating session's alone.
    expect(t.ac.report(cheat, 'destination', 'cell')).toBe('kick');
    expect(t.closed).toEqual([{ id: 1, code: CloseCode.CHEATING, reason: 'too many impossible actions (destination)' }]);
    live.splice(live.indexOf(cheat), 1);
    const back = t.player(4, 42);
    live.push(back);
    expect(t.ac.report(back, 'destination', 'cell')).toBe('ban');
    expect(t.closed).toHaveLength(1);
    t.settleBan();
    await flush();
    expect(t.closed.slice(1).map((c) => [c.id, c.code])).toEqual([
      [4, CloseCode.CHEAT_BANNED],
      [2, CloseCode.CHEAT_BANNED],
    ]);
    expect(t.closed[2]!.reason).toMatch(/^banned until .* UTC: anti-cheat/);
    // What the twin still sends (queued in rings) is counted, not acted on again; the other account is untouched.
    expect(t.ac.report(twin, 'destination', 'cell')).toBe('count');
    expect(t.closed.some((c) => c.id === 3)).toBe(false);
    expect(t.logs.some((l) => l.msg === 'anti-cheat ban closed every connection it covers' && l.closed === 2)).toBe(true);
  });

  it('counts a guest by its address and bans the address (an IPv6 one by its /64)', async () => {
    const t = setup({ warnAt: 0, kickAt: 0, banAt: 2 });
    const a = t.player(1, 0, '2001:db8:1:2::5');
    const b = t.player(2, 0, '2001:db8:1:2::9');
    expect(offenderKey(a)).toBe(offenderKey(b));
    t.ac.report(a, 'malformed');
    expect(t.ac.report(b, 'malformed')).toBe('ban');
    expect(t.bans[0]!.target).toEqual({ address: '2001:db8:1:2::9' });
    t.settleBan();
    await flush();
    expect(t.closed).toMatchObject([{ id: 2, code: CloseCode.CHEAT_BANNED }]);
  });

  it('counts but never warns, kicks or bans the guests of an exempt address (a load generator); its accounts it does', () => {
    const t = setup({}, { exempt: '127.0.0.3' });
    const fuzzer = t.player(1, 0, '127.0.0.3');
    for (let i = 0; i < 20; i++) expect(t.ac.report(fuzzer, 'malformed')).toBe('count');
    expect(t.counted.get('malformed')).toBe(20);
    expect(t.sent).toEqual([]);
    expect(t.closed).toEqual([]);
    expect(t.bans).toEqual([]);
    expect(t.logs[0]).toMatchObject({ action: 'exempt', address: '127.0.0.3' });
    const account = t.player(2, 5, '127.0.0.3');
    expect([1, 2, 3, 4].map(() => t.ac.report(account, 'malformed'))).toEqual(['count', 'warn', 'count', 'kick']);
  });

  it('closes anyway when the ban cannot be stored, and says so in the log', async () => {
    const t = setup({ warnAt: 0, kickAt: 0, banAt: 1 }, { banFails: true });
    t.ac.report(t.player(1, 7), 'flood');
    t.settleBan();
    await flush();
    expect(t.closed).toMatchObject([{ id: 1, code: CloseCode.CHEAT_BANNED }]);
    expect(t.logs.some((l) => l.msg === 'anti-cheat ban could not be stored; closing only' && l.level === 50)).toBe(true);
    const bare = setup({ warnAt: 0, kickAt: 0, banAt: 1 }, { noBanStore: true });
    bare.ac.report(bare.player(1, 7), 'flood');
    expect(bare.closed).toMatchObject([{ id: 1, code: CloseCode.CHEAT_BANNED }]);
  });

  it('logs each violation with ids and the check, never the name; a flood of them within the budget, with what was left out', () => {
    const t = setup({ warnAt: 0, kickAt: 0, banAt: 0, logPerMinute: 3 });
    const p = t.player(5, 9);
    for (let i = 0; i < 1000; i++) t.ac.report(p, 'action_rate', 'cell', { zone: 0 });
    expect(t.logs).toHaveLength(3);
    expect(t.logs[0]).toMatchObject({ part: 'anticheat', conn: 5, account: 9, character: 90, check: 'action_rate', action: 'count', zone: 0, msg: 'anti-cheat violation' });
    expect(JSON.stringify(t.logs)).not.toContain('hero5');
    expect(JSON.stringify(t.logs)).not.toContain('203.0.113.7'); // an account's address stays out; a guest's is its key
    t.tick(20_000);
    t.ac.report(p, 'action_rate', 'cell');
    expect(t.logs.at(-1)).toMatchObject({ skipped: 997 });
  });

  it('always logs a warning, kick or ban, even past the log budget', () => {
    const t = setup({ logPerMinute: 1 });
    const p = t.player(1, 3);
    for (let i = 0; i < 4; i++) t.ac.report(p, 'cooldown', 'cell');
    expect(t.logs.map((l) => l.action)).toEqual(['count', 'warn', 'kick']);
  });
});
