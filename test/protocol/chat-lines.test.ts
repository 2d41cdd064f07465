import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatChannel, ChatReason } from '../../src/protocol/chat-codes.ts';
import { CHAT_LINE_MAX_BYTES, ChatLines, encodeChatLine, MAX_CHAT_SECTION_BYTES, readChatSection } from '../../src/protocol/chat-lines.ts';
import { ClientView } from '../../src/protocol/client-view.ts';
import { decodeClientMessage } from '../../src/protocol/decode.ts';
import { encodeChat } from '../../src/protocol/encode.ts';
import { ErrorCode, ProtocolError } from '../../src/protocol/errors.ts';
import { ClientOp, Limits } from '../../src/protocol/opcodes.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { maxSnapshotBytes } from '../../src/protocol/snapshot-codec.ts';
import { EventList } from '../../src/protocol/snapshot-events.ts';
import { ViewTable } from '../../src/protocol/view-table.ts';
import { snapshotFrameWith, wireString } from './arbitraries.ts';

/** A section of two runs made of the given encoded lines. */
function section(first: Uint8Array[], second: Uint8Array[]): Uint8Array {
  const parts = [Uint8Array.of(first.length), ...first, Uint8Array.of(second.length), ...second];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function read(bytes: Uint8Array): ChatLines {
  const out = new ChatLines();
  const r = new Reader().reset(bytes);
  readChatSection(r, out);
  r.finish();
  return out;
}

const codeOf = (f: () => unknown): number | 'ok' => {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (err instanceof ProtocolError) return err.code;
    throw err;
  }
};

const say = (text: string) => encodeChatLine(ChatChannel.SAY, 0, 7, 'Ann', text);

describe('chat lines', () => {
  it('round-trip in order over both runs, any text within the limits', () => {
    const line = fc.record({
      channel: fc.constantFrom(ChatChannel.SAY, ChatChannel.ZONE, ChatChannel.WHISPER, ChatChannel.WHISPER_SENT, ChatChannel.SYSTEM),
      entity: fc.integer({ min: 0, max: 0xffffffff }),
      name: wireString(Limits.maxNameBytes),
      text: wireString(Limits.maxChatTextBytes),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(line, { maxLength: 8 }), (a, b) => {
        const enc = (l: (typeof a)[number]) => encodeChatLine(l.channel, 0, l.entity, l.name, l.text);
        const got = read(section(a.map(enc), b.map(enc))).toArray();
        expect(got).toEqual([...a, ...b].map((l) => ({ ...l, code: 0 })));
      }),
    );
  });

  it('an INFO line carries its reason; the largest line is CHAT_LINE_MAX_BYTES', () => {
    const info = encodeChatLine(ChatChannel.INFO, ChatReason.RATE_LIMITED, 0, '', 'slow down');
    expect(read(section([], [info])).at(0)).toMatchObject({ channel: ChatChannel.INFO, code: ChatReason.RATE_LIMITED, text: 'slow down' });
    const big = encodeChatLine(ChatChannel.ZONE, 0, 1, 'n'.repeat(40), 'x'.repeat(400));
    expect(big.length).toBe(CHAT_LINE_MAX_BYTES);
    expect(maxSnapshotBytes(Limits.maxViewEntities)).toBeLessThanOrEqual(Limits.maxServerFrame);
    expect(section(Array(8).fill(big), Array(8).fill(big)).length).toBe(MAX_CHAT_SECTION_BYTES);
  });

  it('refuses unknown channels, codes a channel does not have, runs past the limit, oversized and broken strings', () => {
    const line = (channel: number, code: number, name: Uint8Array, text: Uint8Array) => Uint8Array.from([channel, code, 1, 0, 0, 0, name.length, ...name, text.length, ...text]);
    const ascii = (n: number) => new Uint8Array(n).fill(0x61);
    const cases: [Uint8Array, number][] = [
      [section([line(0, 0, ascii(1), ascii(1))], []), ErrorCode.BAD_VALUE],
      [section([line(7, 0, ascii(1), ascii(1))], []), ErrorCode.BAD_VALUE],
      [section([line(255, 0, ascii(1), ascii(1))], []), ErrorCode.BAD_VALUE],
      [section([], [line(ChatChannel.INFO, 0, ascii(0), ascii(1))]), ErrorCode.BAD_VALUE],
      [section([], [line(ChatChannel.INFO, 9, ascii(0), ascii(1))]), ErrorCode.BAD_VALUE],
      [section([line(ChatChannel.SAY, 1, ascii(1), ascii(1))], []), ErrorCode.BAD_VALUE],
      [section(Array(9).fill(say('hi')), []), ErrorCode.BAD_VALUE],
      [section([], Array(9).fill(say('hi'))), ErrorCode.BAD_VALUE],
      [section([line(ChatChannel.SAY, 0, ascii(25), ascii(1))], []), ErrorCode.BAD_STRING],
      [section([line(ChatChannel.SAY, 0, ascii(1), ascii(225))], []), ErrorCode.BAD_STRING],
      [section([line(ChatChannel.SAY, 0, ascii(1), Uint8Array.of(0xc3, 0x28))], []), ErrorCode.BAD_STRING],
      [section([line(ChatChannel.SAY, 0, Uint8Array.of(0xff), ascii(1))], []), ErrorCode.BAD_STRING],
      [section([say('hi').subarray(0, 5)], []), ErrorCode.TRUNCATED],
      [Uint8Array.of(1), ErrorCode.TRUNCATED],
      [Uint8Array.of(0), ErrorCode.TRUNCATED],
    ];
    for (const [bytes, code] of cases) expect(codeOf(() => read(bytes))).toBe(code);
  });

  it('a snapshot carries its chat to ClientView.chat, and a hostile one leaves the view unchanged', () => {
    const view = new ClientView();
    const cur = new ViewTable(4);
    cur.tick = 1;
    const plain = snapshotFrameWith(1, null, cur, new EventList(), null);
    // The empty chat section is the frame's last two bytes: replace it.
    const withChat = (chat: Uint8Array) => Uint8Array.from([...plain.subarray(0, plain.length - 2), ...chat]);
    view.apply(withChat(section([say('hello')], [encodeChatLine(ChatChannel.SYSTEM, 0, 0, '', 'welcome')])));
    expect(view.chat.toArray().map((l) => l.text)).toEqual(['hello', 'welcome']);
    const next = new ViewTable(4);
    next.tick = 2;
    const bad = snapshotFrameWith(2, null, next, new EventList(), null);
    const hostile = Uint8Array.from([...bad.subarray(0, bad.length - 2), 1, 99, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => view.apply(hostile)).toThrow(ProtocolError);
    expect(view.header.tick).toBe(1);
    expect(view.chat.toArray().map((l) => l.text)).toEqual(['hello', 'welcome']);
  });
});

describe('CHAT', () => {
  it('round-trips, within the largest client frame', () => {
    const m = decodeClientMessage(encodeChat(ChatChannel.WHISPER, 'Bob', 'psst'));
    expect(m).toEqual({ op: 'chat', channel: ChatChannel.WHISPER, target: 'Bob', text: 'psst' });
    expect(encodeChat(ChatChannel.WHISPER, 'n'.repeat(24), 'x'.repeat(300)).length).toBeLessThanOrEqual(Limits.maxClientFrame);
  });

  it('refuses channels a client cannot use, a whisper without a target, a target on say, oversized or broken strings', () => {
    const frame = (channel: number, target: Uint8Array, text: Uint8Array) => Uint8Array.from([ClientOp.CHAT, channel, target.length, ...target, text.length, ...text]);
    const a = (n: number) => new Uint8Array(n).fill(0x61);
    const cases: [Uint8Array, number][] = [
      [frame(0, a(0), a(1)), ErrorCode.BAD_VALUE],
      [frame(ChatChannel.WHISPER_SENT, a(3), a(1)), ErrorCode.BAD_VALUE],
      [frame(ChatChannel.SYSTEM, a(0), a(1)), ErrorCode.BAD_VALUE],
      [frame(ChatChannel.INFO, a(0), a(1)), ErrorCode.BAD_VALUE],
      [frame(200, a(0), a(1)), ErrorCode.BAD_VALUE],
      [frame(ChatChannel.WHISPER, a(0), a(1)), ErrorCode.BAD_VALUE],
      [frame(ChatChannel.SAY, a(3), a(1)), ErrorCode.BAD_VALUE],
      [frame(ChatChannel.WHISPER, a(25), a(1)), ErrorCode.BAD_STRING],
      [frame(ChatChannel.SAY, a(0), a(225)), ErrorCode.BAD_STRING],
      [frame(ChatChannel.SAY, a(0), Uint8Array.of(0xed, 0xa0, 0x80)), ErrorCode.BAD_STRING],
      [Uint8Array.from([...frame(ChatChannel.SAY, a(0), a(2)), 0]), ErrorCode.TRAILING_BYTES],
      [frame(ChatChannel.SAY, a(0), a(2)).subarray(0, 4), ErrorCode.TRUNCATED],
      [Uint8Array.of(ClientOp.CHAT), ErrorCode.TRUNCATED],
    ];
    for (const [bytes, code] of cases) expect(codeOf(() => decodeClientMessage(bytes)), `${[...bytes.subarray(0, 6)]}`).toBe(code);
  });

  it('any bytes after the opcode: a chat message or a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 260 }), (tail) => {
        try {
          const m = decodeClientMessage(Uint8Array.from([ClientOp.CHAT, ...tail]));
          expect(m.op).toBe('chat');
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});
