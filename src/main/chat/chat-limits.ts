import { ChatReason, type ChatReasonValue } from '../../protocol/chat-codes.ts';
import { TokenBucket } from '../gate/token-bucket.ts';
import type { ChatConfig } from '../chat-config.ts';

/**
 * One player's chat limits: a token bucket of CHAT_RATE_PER_MINUTE with
 * bursts of CHAT_BURST, and the repeated-message check (the same text, by
 * its key, more than CHAT_REPEAT_LIMIT times in a row within
 * CHAT_REPEAT_WINDOW_MS). The clock is passed in (ms), so tests drive it.
 */
export class ChatLimits {
  private readonly cfg: ChatConfig;
  private readonly bucket: TokenBucket;
  private lastKey = '';
  private repeats = 0;
  private lastAt = 0;
  /** True once a RATE_LIMITED refusal was told, until a message goes through: a flood is told once, not once per message. */
  floodTold = false;

  constructor(cfg: ChatConfig, now: number) {
    this.cfg = cfg;
    this.bucket = new TokenBucket(cfg.ratePerMinute / 60, cfg.burst, now);
  }

  /** Takes one message from the rate; RATE_LIMITED when none is left. Every attempt counts, refused ones too. */
  takeRate(now: number): ChatReasonValue | 0 {
    return this.bucket.take(now) ? 0 : ChatReason.RATE_LIMITED;
  }

  /** The repeat check for a message of key `key`; REPEATED past the limit. A refused repeat does not count as said. */
  checkRepeat(key: string, now: number): ChatReasonValue | 0 {
    const limit = this.cfg.repeatLimit;
    if (limit === 0) return 0;
    const same = key === this.lastKey && now - this.lastAt <= this.cfg.repeatWindowMs;
    if (same && this.repeats >= limit) return ChatReason.REPEATED;
    this.repeats = same ? this.repeats + 1 : 1;
    this.lastKey = key;
    this.lastAt = now;
    return 0;
  }

  /** Seconds until the next message would pass the rate. */
  secondsUntilNext(now: number): number {
    return this.bucket.secondsUntil(now);
  }
}
