import { ChatReason, type ChatReasonValue } from '../../protocol/chat-codes.ts';
import type { ChatConfig } from '../chat-config.ts';

/** What a refusal's text may need to say. */
export interface RefusalFacts {
  cfg?: Pick<ChatConfig, 'maxBytes' | 'maxChars'>;
  /** MUTED: until when, and now (ms since the epoch). */
  until?: number;
  now?: number;
  /** RATE_LIMITED: seconds until the next message may go. */
  wait?: number;
  /** NOT_ONLINE: the name whispered to. */
  name?: string;
}

/** The text of the INFO line that tells a player why its message was refused (the client may show its own for the code). */
export function refusalText(reason: ChatReasonValue, f: RefusalFacts): string {
  switch (reason) {
    case ChatReason.TOO_LONG:
      return `Message too long: at most ${f.cfg?.maxChars ?? '?'} characters (${f.cfg?.maxBytes ?? '?'} bytes).`;
    case ChatReason.EMPTY:
      return 'Nothing to say.';
    case ChatReason.FORBIDDEN_CHARACTERS:
      return 'Message refused: it holds control, invisible or direction-changing characters.';
    case ChatReason.RATE_LIMITED:
      return `You are sending messages too fast; wait ${Math.max(1, Math.ceil(f.wait ?? 1))} s.`;
    case ChatReason.REPEATED:
      return 'You said that already.';
    case ChatReason.MUTED: {
      const minutes = Math.max(1, Math.ceil(((f.until ?? 0) - (f.now ?? 0)) / 60_000));
      return `You are muted for ${minutes} more minute${minutes === 1 ? '' : 's'}.`;
    }
    case ChatReason.NOT_ONLINE:
      return `${f.name ?? 'They'} is not online.`;
    case ChatReason.UNAVAILABLE:
      return 'Message not delivered; try again.';
  }
}
