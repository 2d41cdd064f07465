import { Limits } from '../../protocol/opcodes.ts';

/**
 * The chat lines the coordinator routed to each player (zone, whisper,
 * system, its own info lines), waiting for its next snapshot. The gate puts
 * them into that snapshot as it sends it (frame()): a cell ends every
 * snapshot with the empty second chat run, one 0 byte (protocol/chat-lines.ts),
 * which the gate replaces with the count and follows with the lines. So a
 * line costs no frame of its own, a player gets at most one frame a tick, and
 * a line encoded once is shared by all its receivers. Lines wait through a
 * skipped snapshot (backpressure) and a zone change; past `max` waiting the
 * oldest are dropped and counted.
 */
export class ChatOutbox {
  private readonly queues = new WeakMap<object, Uint8Array[]>();
  private readonly max: number;
  private readonly onDropped: (n: number) => void;

  constructor(max: number, onDropped: (n: number) => void = () => {}) {
    this.max = max;
    this.onDropped = onDropped;
  }

  /** Queues a line (wire bytes, chat-lines.ts) for connection `c`. */
  push(c: object, line: Uint8Array): void {
    let q = this.queues.get(c);
    if (!q) this.queues.set(c, (q = []));
    q.push(line);
    if (q.length > this.max) {
      q.shift();
      this.onDropped(1);
    }
  }

  /** Lines waiting for `c`. */
  waiting(c: object): number {
    return this.queues.get(c)?.length ?? 0;
  }

  /**
   * The frame `src[start, end)` as it goes to `c`: a copy, and for a
   * snapshot with lines waiting, with up to Limits.maxChatLinesPerRun of them
   * in its last run. A snapshot whose last byte is not the empty run (never,
   * from a cell) goes as it is. The frame starts `headroom` bytes into the
   * buffer, which are left for the caller (the gate's frame header). The
   * buffer comes from `alloc` (the gate's reusable scratch, frame-scratch.ts).
   */
  frame(c: object, snapshot: boolean, src: Uint8Array, start: number, end: number, headroom = 0, alloc: (n: number) => Buffer = Buffer.allocUnsafe): Buffer {
    const q = snapshot ? this.queues.get(c) : undefined;
    const len = end - start;
    if (!q || q.length === 0 || len === 0 || src[end - 1] !== 0) {
      const buf = alloc(headroom + len);
      buf.set(src.subarray(start, end), headroom);
      return buf;
    }
    const k = q.length < Limits.maxChatLinesPerRun ? q.length : Limits.maxChatLinesPerRun;
    let extra = 0;
    for (let i = 0; i < k; i++) extra += q[i].length;
    const buf = alloc(headroom + len + extra);
    buf.set(src.subarray(start, end), headroom);
    buf[headroom + len - 1] = k;
    let at = headroom + len;
    for (let i = 0; i < k; i++) {
      buf.set(q[i], at);
      at += q[i].length;
    }
    q.splice(0, k);
    return buf;
  }
}
