import { describe, expect, it } from 'vitest';
import { checkChatText, nameKey } from '../../../src/main/chat/chat-text.ts';
import { ChatReason } from '../../../src/protocol/chat-codes.ts';

const cfg = { maxBytes: 20, maxChars: 10 };

describe('checkChatText', () => {
  it('takes ordinary text in any script, trimmed and NFC', () => {
    expect(checkChatText('  hello  ', cfg)).toMatchObject({ text: 'hello', chars: 5, bytes: 5 });
    expect(checkChatText('cafe\u0301', cfg)).toMatchObject({ text: 'café', chars: 4, bytes: 5 });
    expect(checkChatText('日本語', cfg)).toMatchObject({ chars: 3, bytes: 9 });
    expect(checkChatText('😀😀', cfg)).toMatchObject({ chars: 2, bytes: 8 });
  });

  it('refuses control characters, bidi overrides and isolates, zero-width and other invisible format characters', () => {
    for (const bad of ['a\u0000b', 'line\nbreak', 'tab\there', '\u202Eevil', 'x\u2066y', 'zero\u200Bwidth', '\uFEFFbom', 'a\u2028b', '\u00ADsoft', '\u061Carabic mark', '\uE000private']) {
      expect(checkChatText(bad, cfg), JSON.stringify(bad)).toBe(ChatReason.FORBIDDEN_CHARACTERS);
    }
  });

  it('refuses empty text and text over either limit', () => {
    expect(checkChatText('', cfg)).toBe(ChatReason.EMPTY);
    expect(checkChatText('   ', cfg)).toBe(ChatReason.EMPTY);
    expect(checkChatText('a'.repeat(11), cfg)).toBe(ChatReason.TOO_LONG);
    expect(checkChatText('a'.repeat(10), cfg)).not.toBe(ChatReason.TOO_LONG);
    expect(checkChatText('日本語日本語日', cfg)).toBe(ChatReason.TOO_LONG); // 7 characters, 21 bytes
  });

  it('keys repeats by case and spacing', () => {
    const a = checkChatText('Hello   There', { maxBytes: 100, maxChars: 100 });
    const b = checkChatText('hello there', { maxBytes: 100, maxChars: 100 });
    expect(typeof a === 'object' && typeof b === 'object' && a.key === b.key).toBe(true);
  });

  it('keys names as the accounts do', () => {
    expect(nameKey(' Élise ')).toBe(nameKey('E\u0301LISE'));
  });
});
