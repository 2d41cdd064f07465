import { describe, expect, it } from 'vitest';
import { ChatChannel, ChatReason } from '../../../src/protocol/chat-codes.ts';
import { parseTyped, REFUSAL_MESSAGES } from '../../../web/client/src/hud/chat-commands.ts';

describe('the chat box\'s typed lines', () => {
  it('go on the picked channel, or the one a command names', () => {
    expect(parseTyped('  hello  ', ChatChannel.SAY, '', '')).toEqual({ channel: ChatChannel.SAY, target: '', text: 'hello' });
    expect(parseTyped('hello', ChatChannel.ZONE, 'ignored', '')).toEqual({ channel: ChatChannel.ZONE, target: '', text: 'hello' });
    expect(parseTyped('hello', ChatChannel.WHISPER, ' Bob ', '')).toEqual({ channel: ChatChannel.WHISPER, target: 'Bob', text: 'hello' });
    expect(parseTyped('/z anyone?', ChatChannel.SAY, '', '')).toEqual({ channel: ChatChannel.ZONE, target: '', text: 'anyone?' });
    expect(parseTyped('/SAY hi there', ChatChannel.ZONE, '', '')).toEqual({ channel: ChatChannel.SAY, target: '', text: 'hi there' });
    expect(parseTyped('/w Élise  meet me   at the gate', ChatChannel.SAY, '', '')).toEqual({ channel: ChatChannel.WHISPER, target: 'Élise', text: 'meet me   at the gate' });
    expect(parseTyped('/r on my way', ChatChannel.SAY, '', 'Bob')).toEqual({ channel: ChatChannel.WHISPER, target: 'Bob', text: 'on my way' });
  });

  it('says what is wrong with a line it cannot send, and ignores an empty one', () => {
    expect(parseTyped('   ', ChatChannel.SAY, '', '')).toBeNull();
    expect(parseTyped('/s', ChatChannel.SAY, '', '')).toBeNull();
    expect(parseTyped('/r thanks', ChatChannel.SAY, '', '')).toMatchObject({ problem: expect.stringMatching(/Nobody/) });
    expect(parseTyped('/w Bob', ChatChannel.SAY, '', '')).toMatchObject({ problem: expect.stringMatching(/Usage/) });
    expect(parseTyped('/dance', ChatChannel.SAY, '', '')).toMatchObject({ problem: expect.stringMatching(/Unknown command/) });
    expect(parseTyped('hi', ChatChannel.WHISPER, '', '')).toMatchObject({ problem: expect.stringMatching(/Whisper to whom/) });
  });

  it('has words for every refusal reason, or shows the server\'s', () => {
    for (const code of Object.values(ChatReason)) expect(code in REFUSAL_MESSAGES).toBe(true);
    expect(REFUSAL_MESSAGES[ChatReason.NOT_ONLINE]).toBeNull();
  });
});
