import { CellMessage, CellMsg } from '../../../src/shared/messages/cell-to-gate.ts';
import { writeAck, writeInput, writeJoin } from '../../../src/shared/messages/gate-to-cell.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { mulberry32 } from '../../../src/shared/random.ts';
import type { Ring } from '../../../src/shared/ring.ts';
import type { ZoneHandle } from '../../../src/main/zones/supervisor.ts';

/**
 * Stands in for the gate on the coordinator side of a zone's rings, without
 * sockets: joins players, steers them with direction inputs, and drains the
 * cells' outbound rings (counting frames, acknowledging each as a prompt
 * client does, so none is paced) so they never fill. For metric
 * tests and the metrics benchmark, where the real gate is not the subject.
 */
export class FakeGate {
  readonly zone: ZoneHandle;
  private readonly toCell: Ring[];
  private readonly fromCell: Ring[];
  /** Cell that owns each connection's entity, as the cells report it. */
  readonly cellOf = new Map<number, number>();
  joined = 0;
  frames = 0;
  frameBytes = 0;
  private nextConn = 1;
  private seq = 0;
  private readonly rnd = mulberry32(42);
  private readonly msg = new CellMessage();

  constructor(zone: ZoneHandle) {
    this.zone = zone;
    const n = zone.views.geometry.cellCount;
    this.toCell = Array.from({ length: n }, (_, c) => zone.views.gateToCell(c));
    this.fromCell = Array.from({ length: n }, (_, c) => zone.views.cellToGate(c));
  }

  /** Sends JOINs for `count` players at random positions; returns how many the rings took. */
  join(count: number): number {
    const { width, height } = this.zone.spec;
    const g = this.zone.views.geometry;
    let sent = 0;
    for (let i = 0; i < count; i++) {
      const x = 2 + this.rnd() * (width - 4);
      const y = 2 + this.rnd() * (height - 4);
      const cell = g.cellOf(x, y);
      const ring = this.toCell[cell];
      const conn = this.nextConn;
      if (!writeJoin(ring, conn, conn, x, y, 1, 0)) break;
      this.nextConn++;
      this.cellOf.set(conn, cell);
      sent++;
    }
    for (const r of this.toCell) r.flush();
    return sent;
  }

  /** Gives every joined player a new random walking direction. */
  steer(): void {
    for (const [conn, cell] of this.cellOf) {
      const angle = this.rnd() * Math.PI * 2;
      writeInput(this.toCell[cell], conn, ++this.seq, 0, MoveKind.DIRECTION, Math.cos(angle), Math.sin(angle));
    }
    for (const r of this.toCell) r.flush();
  }

  /** Consumes everything the cells sent; returns the number of messages. */
  drain(): number {
    let n = 0;
    const m = this.msg;
    for (const ring of this.fromCell) {
      for (let at = ring.peek(); at >= 0; at = ring.peek()) {
        if (!m.read(ring.view, at, ring.messageLength)) throw new Error('malformed cell message');
        if (m.op === CellMsg.FRAME) {
          this.frames++;
          this.frameBytes += ring.messageLength;
          const cell = this.cellOf.get(m.conn);
          if (cell !== undefined) writeAck(this.toCell[cell], m.conn, m.tick);
        } else if (m.op === CellMsg.JOINED) {
          this.joined++;
        } else if (m.op === CellMsg.MOVED) {
          this.cellOf.set(m.conn, m.cell);
        } else if (m.op === CellMsg.LEFT) {
          this.cellOf.delete(m.conn);
        }
        ring.release();
        n++;
      }
      ring.done();
    }
    for (const r of this.toCell) r.flush();
    return n;
  }

  /** Drains every `everyMs` until stopped; steers every `steerEveryMs`. */
  run(everyMs = 10, steerEveryMs = 1000): () => void {
    let lastSteer = 0;
    const timer = setInterval(() => {
      this.drain();
      const now = performance.now();
      if (steerEveryMs > 0 && now - lastSteer >= steerEveryMs) {
        lastSteer = now;
        this.steer();
      }
    }, everyMs);
    return () => clearInterval(timer);
  }
}
