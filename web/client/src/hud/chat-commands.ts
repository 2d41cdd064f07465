import { ChatChannel, ChatReason, type ChatReasonValue } from '../../../../src/protocol/chat-codes.ts';

/** What a typed line asks for: a message on a channel (a whisper names its target), or a problem to show. */
export type Typed = { channel: number; target: string; text: string } | { problem: string } | null;

/**
 * Reads what the player typed in the chat box. Commands: `/s` or `/say`,
 * `/z` or `/zone`, `/w NAME` or `/whisper NAME`, `/r` (answer the last
 * whisper); without one the line goes on `channel` (to `whisperTo` for a
 * whisper). Null for an empty line.
 */
export function parseTyped(line: string, channel: number, whisperTo: string, lastWhisperer: string): Typed {
  const s = line.trim();
  if (s === '') return null;
  if (!s.startsWith('/')) {
    if (channel === ChatChannel.WHISPER && whisperTo.trim() === '') return { problem: 'Whisper to whom? Type a name in the "to" field, or /w NAME message.' };
    return { channel, target: channel === ChatChannel.WHISPER ? whisperTo.trim() : '', text: s };
  }
  const [command, ...rest] = s.split(/\s+/u);
  const body = s.slice(command.length).trim();
  switch (command.toLowerCase()) {
    case '/s':
    case '/say':
      return body ? { channel: ChatChannel.SAY, target: '', text: body } : null;
    case '/z':
    case '/zone':
      return body ? { channel: ChatChannel.ZONE, target: '', text: body } : null;
    case '/w':
    case '/whisper': {
      const name = rest[0] ?? '';
      const text = body.slice(name.length).trim();
      if (!name || !text) return { problem: 'Usage: /w NAME message' };
      return { channel: ChatChannel.WHISPER, target: name, text };
    }
    case '/r':
    case '/reply':
      if (!lastWhisperer) return { problem: 'Nobody has whispered to you yet.' };
      return body ? { channel: ChatChannel.WHISPER, target: lastWhisperer, text: body } : null;
    default:
      return { problem: `Unknown command ${command}. Try /s, /z, /w NAME or /r.` };
  }
}

/**
 * What the player is told when the server refuses a message, by reason. For
 * MUTED and NOT_ONLINE the server's own line says more (how long, whom), so
 * it is shown instead. A test checks every ChatReason has its words here.
 */
export const REFUSAL_MESSAGES: Record<ChatReasonValue, string | null> = {
  [ChatReason.TOO_LONG]: 'That message is too long; say it in shorter parts.',
  [ChatReason.EMPTY]: 'Type something first.',
  [ChatReason.FORBIDDEN_CHARACTERS]: 'That message has characters chat does not allow (control, invisible or direction-changing ones).',
  [ChatReason.RATE_LIMITED]: 'You are sending messages too fast. Wait a moment.',
  [ChatReason.REPEATED]: 'You just said that.',
  [ChatReason.MUTED]: null,
  [ChatReason.NOT_ONLINE]: null,
  [ChatReason.UNAVAILABLE]: 'Your message did not go through. Try again.',
};
