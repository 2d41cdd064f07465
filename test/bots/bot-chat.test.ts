import { describe, expect, it } from 'vitest';
import { chatDelay, chatLine } from '../../src/bots/behavior.ts';
import { chatRateOf, defaultBotOptions, OptionError, parseBotArgs } from '../../src/bots/options.ts';
import { DEFAULT_CHAT_CONFIG } from '../../src/main/chat-config.ts';
import { checkChatText } from '../../src/main/chat/chat-text.ts';
import { ChatChannel } from '../../src/protocol/chat-codes.ts';
import { decodeClientMessage } from '../../src/protocol/decode.ts';
import { encodeChat } from '../../src/protocol/encode.ts';
import { mulberry32 } from '../../src/shared/random.ts';

describe('bot chat', () => {
  it('says ordinary lines on say and zone, each one the server takes and none a repeat of the last', () => {
    const rnd = mulberry32(5);
    const channels = new Set<number>();
    let last = '';
    for (let i = 1; i <= 200; i++) {
      const l = chatLine(rnd, i);
      channels.add(l.channel);
      const m = decodeClientMessage(encodeChat(l.channel, '', l.text));
      expect(m).toMatchObject({ op: 'chat', channel: l.channel, text: l.text });
      const clean = checkChatText(l.text, DEFAULT_CHAT_CONFIG);
      expect(typeof clean).toBe('object');
      expect(l.text).not.toBe(last);
      last = l.text;
    }
    expect([...channels].sort()).toEqual([ChatChannel.SAY, ChatChannel.ZONE]);
  });

  it('waits an exponential time of the rate\'s mean, and forever at rate 0', () => {
    const rnd = mulberry32(9);
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) sum += chatDelay(rnd, 6);
    expect(sum / n).toBeGreaterThan(9_000);
    expect(sum / n).toBeLessThan(11_000);
    expect(chatDelay(rnd, 0)).toBe(Infinity);
  });

  it('is off by default, on at 0.6 a minute for mixed, and set by --chat-per-minute', () => {
    expect(chatRateOf(defaultBotOptions())).toBe(0);
    expect(chatRateOf({ ...defaultBotOptions(), behavior: 'fight' })).toBe(0);
    expect(chatRateOf({ ...defaultBotOptions(), behavior: 'mixed' })).toBe(0.6);
    const o = parseBotArgs(['--url', 'http://x', '--count', '2', '--chat-per-minute', '3']);
    expect(chatRateOf(o)).toBe(3);
    expect(chatRateOf(parseBotArgs(['--url', 'http://x', '--count', '2', '--behavior', 'mixed', '--chat-per-minute', '0']))).toBe(0);
    for (const bad of ['-1', '61', 'often', '']) {
      expect(() => parseBotArgs(['--url', 'http://x', '--count', '2', '--chat-per-minute', bad])).toThrow(OptionError);
    }
  });
});
