import { Counter, type Registry } from 'prom-client';
import { CHAT_REASON_NAMES } from '../../protocol/chat-codes.ts';

/** What the chat service (src/main/chat/) reports. */
export interface ChatMetrics {
  /** A message accepted on `channel` (a ChatChannel label: say, zone, whisper, system). */
  message(channel: string): void;
  /** A message refused for `reason` (a ChatReason label). */
  refused(reason: string): void;
  /** Lines dropped from a player's full queue. */
  linesDropped(n: number): void;
}

export const noChatMetrics: ChatMetrics = { message() {}, refused() {}, linesDropped() {} };

/**
 * Registers tessera_chat_messages_total{channel}, tessera_chat_refusals_total{reason}
 * and tessera_chat_lines_dropped_total; every label starts at zero, so a
 * dashboard has its series from the start.
 */
export function registerChatMetrics(registry: Registry): ChatMetrics {
  const messages = new Counter({ name: 'tessera_chat_messages_total', help: 'Chat messages accepted, by channel (system: announcements).', labelNames: ['channel'], registers: [registry] });
  const refusals = new Counter({ name: 'tessera_chat_refusals_total', help: 'Chat messages refused, by reason (ChatReason).', labelNames: ['reason'], registers: [registry] });
  const dropped = new Counter({ name: 'tessera_chat_lines_dropped_total', help: 'Chat lines dropped from a player\'s full queue (CHAT_QUEUE_LINES) before a snapshot could carry them.', registers: [registry] });
  for (const channel of ['say', 'zone', 'whisper', 'system']) messages.inc({ channel }, 0);
  for (const reason of CHAT_REASON_NAMES.slice(1)) refusals.inc({ reason }, 0);
  return {
    message: (channel) => messages.inc({ channel }),
    refused: (reason) => refusals.inc({ reason }),
    linesDropped: (n) => dropped.inc(n),
  };
}
