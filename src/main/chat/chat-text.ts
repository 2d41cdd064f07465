import { hasInvisibleCharacters } from '../accounts/validate.ts';
import { ChatReason, type ChatReasonValue } from '../../protocol/chat-codes.ts';
import type { ChatConfig } from '../chat-config.ts';

/** A message that passed the text checks: as it will be shown (NFC, trimmed), and its key for the repeat check. */
export interface CleanText {
  text: string;
  /** Lower-case, white space collapsed: "Hello  there" and "hello there" repeat each other. */
  key: string;
  bytes: number;
  chars: number;
}

const utf8 = new TextEncoder();

/**
 * Checks a message's text: the same characters character names refuse
 * (control, bidi overrides and isolates, zero-width and other invisible
 * format characters: accounts/validate.ts), then NFC, trimmed, not empty,
 * within CHAT_MAX_BYTES and CHAT_MAX_CHARS. Returns the clean text or the
 * reason it is refused.
 */
export function checkChatText(raw: string, cfg: Pick<ChatConfig, 'maxBytes' | 'maxChars'>): CleanText | ChatReasonValue {
  if (hasInvisibleCharacters(raw)) return ChatReason.FORBIDDEN_CHARACTERS;
  const text = raw.normalize('NFC').trim();
  if (text.length === 0) return ChatReason.EMPTY;
  const bytes = utf8.encode(text).length;
  let chars = 0;
  for (const _ of text) chars++;
  if (bytes > cfg.maxBytes || chars > cfg.maxChars) return ChatReason.TOO_LONG;
  return { text, key: text.toLowerCase().replace(/\s+/gu, ' '), bytes, chars };
}

/** A character name's key for finding it (whispers): NFC, lower-case, as accounts/validate.ts keys names. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase().normalize('NFC');
}
