import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ChatService, type ChatHost } from '../../../src/main/chat/chat-service.ts';
import { DEFAULT_CHAT_CONFIG, type ChatConfig } from '../../../src/main/chat-config.ts';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { ChatChannel, ChatReason } from '../../../src/protocol/chat-codes.ts';
import { ChatLines, readChatLine } from '../../../src/protocol/chat-lines.ts';
import { Reader } from '../../../src/protocol/reader.ts';

type Peer = Pick<Connection, 'id' | 'phase' | 'zone' | 'handle' | 'characterId' | 'name'>;

/** A chat service over fake connections; lines are read back from the outbox as the gate would send them. */
function setup(cfg: Partial<ChatConfig> = {}, level = 'info') {
  const peers = new Map<number, Connection>();
  const add = (p: Partial<Peer> & { id: number; name: string }) => {
    const c = { phase: 'playing', zone: 0, handle: 100 + p.id, characterId: p.id, ...p } as unknown as Connection;
    peers.set(p.id, c);
    return c;
  };
  const said: { conn: number; bytes: Uint8Array }[] = [];
  let ringFull = false;
  const host: ChatHost = {
    connections: peers,
    zoneNames: () => ['meadow', 'crypt'],
    say: (c, line) => (ringFull ? false : (said.push({ conn: c.id, bytes: line }), true)),
  };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(JSON.parse(String(chunk)));
      done();
    },
  });
  let now = 1_000_000;
  const counts = { messages: new Map<string, number>(), refusals: new Map<string, number>(), floods: [] as number[] };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const chat = new ChatService({ ...DEFAULT_CHAT_CONFIG, ...cfg }, host, pino({ level }, sink), {
    now: () => now,
    metrics: { message: (ch) => bump(counts.messages, ch), refused: (r) => bump(counts.refusals, r), linesDropped() {} },
    flood: (c) => counts.floods.push(c.id),
  });
  /** What `c` would get in its next snapshots. */
  const heard = (c: Connection) => {
    const out: string[] = [];
    while (chat.outbox.waiting(c) > 0) {
      const empty = Buffer.from([0]);
      const frame = chat.outbox.frame(c, true, empty, 0, 1);
      const r = new Reader().reset(frame.subarray(1));
      const lines = new ChatLines();
      for (let i = 0; i < frame[0]; i++) readChatLine(r, lines.next());
      for (const l of lines.toArray()) out.push(`${l.channel}/${l.code} ${l.name}: ${l.text}`);
    }
    return out;
  };
  return { chat, add, said, heard, logs, counts, tick: (ms: number) => (now += ms), setRingFull: (v: boolean) => (ringFull = v) };
}

const msg = (channel: number, text: string, target = '') => ({ op: 'chat' as const, channel, target, text });

describe('ChatService', () => {
  it('passes a say to the speaker\'s cell, zone chat to its zone, a whisper to the named character in any zone', () => {
    const t = setup();
    const ann = t.add({ id: 1, name: 'Ann' });
    const bob = t.add({ id: 2, name: 'Bob' });
    const cyd = t.add({ id: 3, name: 'Cyd', zone: 1 });
    t.chat.receive(ann, msg(ChatChannel.SAY, 'hi'));
    expect(t.said.map((s) => s.conn)).toEqual([1]);
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'anyone?'));
    expect(t.heard(bob)).toEqual(['2/0 Ann: anyone?']);
    expect(t.heard(cyd)).toEqual([]);
    t.chat.receive(bob, msg(ChatChannel.WHISPER, 'psst', 'cYD'));
    expect(t.heard(cyd)).toEqual(['3/0 Bob: psst']);
    expect(t.heard(bob)).toEqual(['4/0 Cyd: psst']);
    expect(t.heard(ann)).toEqual(['2/0 Ann: anyone?']);
    expect(Object.fromEntries(t.counts.messages)).toEqual({ say: 1, zone: 1, whisper: 1 });
  });

  it('refuses with a reason told to the sender: not online, forbidden characters, too long, repeated, muted, unavailable', () => {
    const t = setup({ maxChars: 20 });
    const ann = t.add({ id: 1, name: 'Ann' });
    t.chat.receive(ann, msg(ChatChannel.WHISPER, 'hello', 'Nobody'));
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'evil \u202Etxt.exe'));
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'x'.repeat(21)));
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'same'));
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'SAME'));
    t.tick(2000);
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'Same '));
    const codes = t.heard(ann).filter((l) => l.startsWith('6/')).map((l) => Number(l.split(' ')[0].split('/')[1]));
    expect(codes).toEqual([ChatReason.NOT_ONLINE, ChatReason.FORBIDDEN_CHARACTERS, ChatReason.TOO_LONG, ChatReason.REPEATED]);
    t.tick(2000);
    t.setRingFull(true);
    t.chat.receive(ann, msg(ChatChannel.SAY, 'lost'));
    expect(t.heard(ann)).toEqual([`6/${ChatReason.UNAVAILABLE} : Message not delivered; try again.`]);
    t.chat.mute = { mutedUntil: (id) => (id === 1 ? 1_000_000 + 4000 + 5 * 60_000 : 0) };
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'let me speak'));
    expect(t.heard(ann)).toEqual([`6/${ChatReason.MUTED} : You are muted for 5 more minutes.`]);
  });

  it('refuses chat from a connection still logging in (no zone yet), which hears nothing of zone 0', () => {
    const t = setup();
    const ann = t.add({ id: 1, name: 'Ann' });
    const newcomer = t.add({ id: 2, name: 'New', phase: 'entering' });
    t.chat.receive(newcomer, msg(ChatChannel.ZONE, 'early'));
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'hi all'));
    expect(t.heard(ann)).toEqual(['2/0 Ann: hi all']);
    expect(t.heard(newcomer)).toEqual([`6/${ChatReason.UNAVAILABLE} : Message not delivered; try again.`]);
  });

  it('a flood is refused message by message, told once, and the others chat on', () => {
    const t = setup({ ratePerMinute: 60, burst: 3, repeatLimit: 0 });
    const ann = t.add({ id: 1, name: 'Ann' });
    const bob = t.add({ id: 2, name: 'Bob' });
    for (let i = 0; i < 20; i++) t.chat.receive(ann, msg(ChatChannel.ZONE, `spam ${i}`));
    t.chat.receive(bob, msg(ChatChannel.ZONE, 'calm'));
    const annHeard = t.heard(ann);
    expect(annHeard.filter((l) => l.startsWith(`6/${ChatReason.RATE_LIMITED}`))).toHaveLength(1);
    expect(annHeard.filter((l) => l.includes('spam'))).toHaveLength(3);
    expect(annHeard).toContain('2/0 Bob: calm');
    expect(t.counts.refusals.get('rate_limited')).toBe(17);
    // The anti-cheat hears of each message sent on after the flood was told: not the first refusal (an honest burst).
    expect(t.counts.floods).toEqual(new Array(16).fill(1));
    t.tick(1000);
    t.chat.receive(ann, msg(ChatChannel.ZONE, 'sorry'));
    expect(t.heard(ann)).toEqual(['2/0 Ann: sorry']);
  });

  it('announces to a zone or to all, and refuses an unknown zone or a bad text', () => {
    const t = setup();
    const ann = t.add({ id: 1, name: 'Ann' });
    const cyd = t.add({ id: 3, name: 'Cyd', zone: 1 });
    const away = t.add({ id: 4, name: 'Dee', phase: 'closed' });
    expect(t.chat.announce('crypt', 'The lich stirs')).toBe(1);
    expect(t.chat.announce('all', 'Restart in 5 minutes')).toBe(2);
    expect(t.heard(cyd)).toEqual(['5/0 : The lich stirs', '5/0 : Restart in 5 minutes']);
    expect(t.heard(ann)).toEqual(['5/0 : Restart in 5 minutes']);
    expect(t.heard(away)).toEqual([]);
    expect(() => t.chat.announce('nowhere', 'x')).toThrow(/no zone named "nowhere"/);
    expect(() => t.chat.announce('all', '\u202Ebad')).toThrow(RangeError);
    expect(() => t.chat.announce('all', '   ')).toThrow(RangeError);
  });

  it('logs ids for moderation at info and the words only at debug', () => {
    const info = setup();
    const ann = info.add({ id: 1, name: 'Ann' });
    info.chat.receive(ann, msg(ChatChannel.ZONE, 'secret words'));
    info.chat.receive(ann, msg(ChatChannel.ZONE, 'bad \u0007 bell'));
    expect(info.logs.map((l) => l.msg)).toEqual(['chat', 'chat refused']);
    expect(info.logs[0]).toMatchObject({ part: 'chat', id: 1, conn: 1, character: 1, channel: 'zone', bytes: 12 });
    expect(info.logs[1]).toMatchObject({ id: 2, reason: 'forbidden_characters' });
    expect(JSON.stringify(info.logs)).not.toContain('secret');
    const debug = setup({}, 'debug');
    debug.chat.receive(debug.add({ id: 1, name: 'Ann' }), msg(ChatChannel.ZONE, 'secret words'));
    expect(debug.logs.find((l) => l.msg === 'chat text')).toMatchObject({ id: 1, text: 'secret words' });
  });
});
