import type { ChatMessage } from '../../protocol/messages.ts';
import type { Connection } from './connection.ts';

/**
 * What the gate asks of chat (src/main/chat/, which sits above the gate and
 * plugs itself in: start-tessera.ts): take a client's CHAT, and write the
 * frame that goes to a connection, a snapshot with the chat lines routed to
 * that player in its last run (chat/chat-outbox.ts).
 */
export interface GateChat {
  receive(c: Connection, m: ChatMessage): void;
  /**
   * `src[start, end)` as sent to `c`, a copy (the ring's bytes are reused)
   * starting `headroom` bytes into the buffer returned: the gate writes the
   * WebSocket frame header there (ws-frame.ts), so header and payload go in
   * one write. The buffer comes from `alloc` when given (the gate's
   * reusable scratch, frame-scratch.ts).
   */
  frame(c: Connection, snapshot: boolean, src: Buffer, start: number, end: number, headroom?: number, alloc?: (n: number) => Buffer): Buffer;
}

/** No chat: CHAT messages are ignored and frames go as the cells wrote them. */
export const NO_CHAT: GateChat = {
  receive() {},
  frame(_c, _snapshot, src, start, end, headroom = 0, alloc = Buffer.allocUnsafe) {
    const buf = alloc(headroom + end - start);
    src.copy(buf, headroom, start, end);
    return buf;
  },
};
