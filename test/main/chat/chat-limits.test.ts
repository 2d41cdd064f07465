import { describe, expect, it } from 'vitest';
import { ChatLimits } from '../../../src/main/chat/chat-limits.ts';
import { DEFAULT_CHAT_CONFIG } from '../../../src/main/chat-config.ts';
import { ChatReason } from '../../../src/protocol/chat-codes.ts';

describe('ChatLimits', () => {
  it('allows a burst, then the rate, on a driven clock', () => {
    const l = new ChatLimits({ ...DEFAULT_CHAT_CONFIG, ratePerMinute: 60, burst: 3 }, 0);
    expect([0, 0, 0, 0].map(() => l.takeRate(0))).toEqual([0, 0, 0, ChatReason.RATE_LIMITED]);
    expect(l.secondsUntilNext(0)).toBeCloseTo(1);
    expect(l.takeRate(999)).toBe(ChatReason.RATE_LIMITED);
    expect(l.takeRate(1000)).toBe(0);
  });

  it('refuses the same message past the repeat limit within the window, and forgets it after', () => {
    const l = new ChatLimits({ ...DEFAULT_CHAT_CONFIG, repeatLimit: 2, repeatWindowMs: 10_000 }, 0);
    expect(l.checkRepeat('buy gold', 0)).toBe(0);
    expect(l.checkRepeat('buy gold', 1000)).toBe(0);
    expect(l.checkRepeat('buy gold', 2000)).toBe(ChatReason.REPEATED);
    expect(l.checkRepeat('buy gold', 2500)).toBe(ChatReason.REPEATED);
    // Something else in between starts the count again.
    expect(l.checkRepeat('hi', 3000)).toBe(0);
    expect(l.checkRepeat('buy gold', 3100)).toBe(0);
    // The window runs from the last message said.
    expect(l.checkRepeat('buy gold', 3200)).toBe(0);
    expect(l.checkRepeat('buy gold', 3200 + 10_001)).toBe(0);
  });

  it('a repeat limit of 0 turns the check off', () => {
    const l = new ChatLimits({ ...DEFAULT_CHAT_CONFIG, repeatLimit: 0 }, 0);
    for (let i = 0; i < 10; i++) expect(l.checkRepeat('same', i)).toBe(0);
  });
});
