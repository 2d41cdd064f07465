import type { ConfigVar, EnvReader } from './env.ts';
import { Limits } from '../protocol/opcodes.ts';

/** Chat's limits (CHAT_*), read and checked with the rest of the configuration. */
export interface ChatConfig {
  /** Longest message, UTF-8 bytes (after NFC), at most Limits.maxChatTextBytes. */
  maxBytes: number;
  /** Longest message, characters (code points). */
  maxChars: number;
  /** Messages a player may send per minute, sustained (a token bucket). */
  ratePerMinute: number;
  /** Messages a player may send at once above the rate. */
  burst: number;
  /** The same message this many times in a row within the window is allowed, once more is refused; 0 turns the check off. */
  repeatLimit: number;
  repeatWindowMs: number;
  /** Lines waiting for a player's next snapshot; past it the oldest are dropped (counted). */
  queueLines: number;
}

export const CHAT_CONFIG_VARS: ConfigVar[] = [
  { name: 'CHAT_MAX_BYTES', default: '200', doc: `Longest chat message in UTF-8 bytes, 1..${Limits.maxChatTextBytes} (the protocol's limit); a longer one is refused (TOO_LONG).` },
  { name: 'CHAT_MAX_CHARS', default: '160', doc: 'Longest chat message in characters (code points), 1..224; a longer one is refused (TOO_LONG).' },
  { name: 'CHAT_RATE_PER_MINUTE', default: '40', doc: 'Chat messages a player may send per minute, sustained (token bucket); past it and its burst they are refused (RATE_LIMITED), the connection stays.' },
  { name: 'CHAT_BURST', default: '5', doc: 'Chat messages a player may send at once above CHAT_RATE_PER_MINUTE, 1..100.' },
  { name: 'CHAT_REPEAT_LIMIT', default: '2', doc: 'The same chat message (ignoring case and spacing) this many times in a row within CHAT_REPEAT_WINDOW_MS is allowed; once more is refused (REPEATED). 0 turns the check off.' },
  { name: 'CHAT_REPEAT_WINDOW_MS', default: '30000', doc: 'Window of the repeated-message check, 1000..3600000 ms.' },
  { name: 'CHAT_QUEUE_LINES', default: '64', doc: 'Chat lines waiting for one player\'s next snapshot (8 go out per snapshot); past it the oldest are dropped and counted.' },
];

/** Reads the chat limits; problems go to `r` (thrown together by loadConfig). */
export function readChatConfig(r: EnvReader): ChatConfig {
  return {
    maxBytes: r.int('CHAT_MAX_BYTES', 200, 1, Limits.maxChatTextBytes),
    maxChars: r.int('CHAT_MAX_CHARS', 160, 1, Limits.maxChatTextBytes),
    ratePerMinute: r.int('CHAT_RATE_PER_MINUTE', 40, 1, 60_000),
    burst: r.int('CHAT_BURST', 5, 1, 100),
    repeatLimit: r.int('CHAT_REPEAT_LIMIT', 2, 0, 1000),
    repeatWindowMs: r.int('CHAT_REPEAT_WINDOW_MS', 30_000, 1000, 3_600_000),
    queueLines: r.int('CHAT_QUEUE_LINES', 64, Limits.maxChatLinesPerRun, 4096),
  };
}

/** The defaults, for code that runs without a configuration (tests, tools). */
export const DEFAULT_CHAT_CONFIG: ChatConfig = { maxBytes: 200, maxChars: 160, ratePerMinute: 40, burst: 5, repeatLimit: 2, repeatWindowMs: 30_000, queueLines: 64 };
