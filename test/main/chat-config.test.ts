import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_CONFIG } from '../../src/main/chat-config.ts';
import { loadConfig } from '../../src/main/config.ts';
import { ConfigError } from '../../src/main/env.ts';

describe('CHAT_* configuration', () => {
  it('has safe defaults', () => {
    expect(loadConfig({}).chat).toEqual(DEFAULT_CHAT_CONFIG);
  });

  it('reads every limit', () => {
    const c = loadConfig({
      CHAT_MAX_BYTES: '100',
      CHAT_MAX_CHARS: '50',
      CHAT_RATE_PER_MINUTE: '10',
      CHAT_BURST: '2',
      CHAT_REPEAT_LIMIT: '0',
      CHAT_REPEAT_WINDOW_MS: '5000',
      CHAT_QUEUE_LINES: '16',
    }).chat;
    expect(c).toEqual({ maxBytes: 100, maxChars: 50, ratePerMinute: 10, burst: 2, repeatLimit: 0, repeatWindowMs: 5000, queueLines: 16 });
  });

  it('refuses values out of range or malformed, naming each variable', () => {
    const bad = {
      CHAT_MAX_BYTES: '225',
      CHAT_MAX_CHARS: '0',
      CHAT_RATE_PER_MINUTE: '-1',
      CHAT_BURST: '1e3',
      CHAT_REPEAT_LIMIT: 'many',
      CHAT_REPEAT_WINDOW_MS: '10',
      CHAT_QUEUE_LINES: '99999999999999999999',
    };
    try {
      loadConfig(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      for (const name of Object.keys(bad)) expect((err as Error).message).toContain(name);
    }
  });
});
