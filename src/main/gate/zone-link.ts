import { CellMsg, encodeJoin, encodeLeave, FRAME_HEADER_BYTES, GATE_MSG_MAX_BYTES, GateMsg, InputLayout } from '../../shared/cell-messages.ts';
import type { Ring } from '../../shared/ring.ts';
import type { ZoneHandle } from '../zones/supervisor.ts';

/** Messages handled per turn of the event loop before it polls sockets again. */
const DRAIN_BATCH = 256;

/** What the gate does with what the cells send. */
export interface ZoneLinkHandler {
  /** An encoded server frame for one connection: `src[start, end)`, valid only during the call. */
  frame(conn: number, kind: number, src: Buffer, start: number, end: number): void;
  joined(conn: number, handle: number): void;
  moved(conn: number, cell: number): void;
  left(conn: number, x: number, y: number, hp: number): void;
  state(conn: number, x: number, y: number, hp: number): void;
}

/**
 * The coordinator's end of one zone: writes gate messages into each cell's
 * inbound ring, and drains each cell's outbound ring when the cell signals
 * (Atomics.waitAsync, so the event loop never blocks). Control messages
 * (join, leave) that find a ring full wait in a queue; they are never dropped.
 */
export class ZoneLink {
  readonly zone: ZoneHandle;
  private readonly inbound: Ring[];
  private readonly outbound: Ring[];
  /** Buffer views over the outbound rings' data, so frames copy out without a temporary. */
  private readonly outboundBytes: Buffer[];
  private readonly handler: ZoneLinkHandler;
  private readonly pending: Uint8Array[][];
  private closed = false;
  /** Inputs dropped because a cell's inbound ring was full. */
  droppedInputs = 0;

  constructor(zone: ZoneHandle, handler: ZoneLinkHandler) {
    this.zone = zone;
    this.handler = handler;
    const n = zone.views.geometry.cellCount;
    this.inbound = Array.from({ length: n }, (_, c) => zone.views.gateToCell(c));
    this.outbound = Array.from({ length: n }, (_, c) => zone.views.cellToGate(c));
    this.outboundBytes = this.outbound.map((r) => Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength));
    this.pending = Array.from({ length: n }, () => []);
    for (let c = 0; c < n; c++) void this.pump(c);
  }

  /** Cell that owns a position of this zone. */
  cellOf(x: number, y: number): number {
    return this.zone.views.geometry.cellOf(x, y);
  }

  join(cell: number, conn: number, characterId: number, x: number, y: number, template: number, hp: number): void {
    this.sendControl(cell, encodeJoin(conn, characterId, x, y, template, hp));
  }

  leave(cell: number, conn: number): void {
    this.sendControl(cell, encodeLeave(conn));
  }

  /** Writes an input in place; false (counted) when the ring is full: inputs are intents, the next one supersedes it. */
  input(cell: number, conn: number, seq: number, ackTick: number, move: number, a: number, b: number): boolean {
    const ring = this.inbound[cell];
    const at = ring.reserve(InputLayout.bytes);
    if (at < 0) {
      this.droppedInputs++;
      return false;
    }
    const v = ring.view;
    v.setUint8(at, GateMsg.INPUT);
    v.setUint32(at + InputLayout.conn, conn, true);
    v.setUint32(at + InputLayout.seq, seq, true);
    v.setUint32(at + InputLayout.ackTick, ackTick, true);
    v.setUint8(at + InputLayout.move, move);
    v.setFloat32(at + InputLayout.a, a, true);
    v.setFloat32(at + InputLayout.b, b, true);
    ring.commit(InputLayout.bytes);
    ring.flush();
    return true;
  }

  ack(cell: number, conn: number, ackTick: number): void {
    const ring = this.inbound[cell];
    const at = ring.reserve(9);
    if (at < 0) return;
    ring.view.setUint8(at, GateMsg.ACK);
    ring.view.setUint32(at + 1, conn, true);
    ring.view.setUint32(at + 5, ackTick, true);
    ring.commit(9);
    ring.flush();
  }

  private sendControl(cell: number, m: Uint8Array): void {
    if (m.length > GATE_MSG_MAX_BYTES) throw new RangeError('gate message too long');
    const queue = this.pending[cell];
    if (queue.length > 0 || !this.inbound[cell].push(m)) queue.push(m);
  }

  private retryPending(cell: number): void {
    const queue = this.pending[cell];
    while (queue.length > 0 && this.inbound[cell].push(queue[0])) queue.shift();
  }

  /** Drains a cell's outbound ring each time the cell signals, until close(). */
  private async pump(cell: number): Promise<void> {
    const ring = this.outbound[cell];
    while (!this.closed) {
      // Read the signal before draining: a notify that lands after the drain
      // changes it, so waitAsync returns at once instead of missing it.
      const seen = ring.signal;
      const more = this.drain(cell, ring, DRAIN_BATCH);
      this.retryPending(cell);
      if (more) {
        // Let the event loop poll sockets between batches: a ping or input
        // that arrived meanwhile is not kept waiting behind a whole tick's frames.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      const wait = ring.waitAsync(seen, 250);
      if (wait) await wait;
    }
  }

  /** Handles up to `max` messages; true when more are waiting. */
  private drain(cell: number, ring: Ring, max: number): boolean {
    const v = ring.view;
    const src = this.outboundBytes[cell];
    const h = this.handler;
    let n = 0;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      if (n++ === max) {
        ring.done();
        return true;
      }
      const len = ring.messageLength;
      const conn = v.getUint32(at + (v.getUint8(at) === CellMsg.FRAME ? 2 : 1), true);
      switch (v.getUint8(at)) {
        case CellMsg.FRAME:
          h.frame(conn, v.getUint8(at + 1), src, at + FRAME_HEADER_BYTES, at + len);
          break;
        case CellMsg.JOINED:
          h.joined(conn, v.getUint32(at + 5, true));
          break;
        case CellMsg.MOVED:
          h.moved(conn, v.getUint8(at + 5));
          break;
        case CellMsg.LEFT:
          h.left(conn, v.getFloat32(at + 5, true), v.getFloat32(at + 9, true), v.getUint16(at + 13, true));
          break;
        case CellMsg.STATE:
          h.state(conn, v.getFloat32(at + 5, true), v.getFloat32(at + 9, true), v.getUint16(at + 13, true));
          break;
        default:
          throw new Error(`zone ${this.zone.spec.name} cell ${cell}: unknown cell message ${v.getUint8(at)}`);
      }
      ring.release();
    }
    ring.done();
    return false;
  }

  /** Handles everything the cells have published, now (zone recovery). */
  drainNow(): void {
    for (let c = 0; c < this.outbound.length; c++) this.drain(c, this.outbound[c], Infinity);
  }

  /** Drops control messages queued for cells that are gone (zone recovery). */
  dropPending(): void {
    for (const q of this.pending) q.length = 0;
  }

  close(): void {
    this.closed = true;
  }
}
