import { CellMsg, GateMsg, InputLayout, encodeJoin } from '../../../src/shared/cell-messages.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { mulberry32 } from '../../../src/shared/random.ts';
import type { Ring } from '../../../src/shared/ring.ts';
import type { ZoneHandle } from '../../../src/main/zones/supervisor.ts';

/**
 * Stands in for the gate on the coordinator side of a zone's rings, without
 * sockets: joins players, steers them with direction inputs, and drains the
 * cells' outbound rings (counting frames) so they never fill. For metric
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
      const m = encodeJoin(conn, conn, x, y, 1, 0);
      const at = ring.reserve(m.length);
      if (at < 0) break;
      this.nextConn++;
      ring.bytes.set(m, at);
      ring.commit(m.length);
      this.cellOf.set(conn, cell);
      sent++;
    }
    for (const r of this.toCell) r.flush();
    return sent;
  }

  /** Gives every joined player a new random walking direction. */
  steer(): void {
    for (const [conn, cell] of this.cellOf) {
      const ring = this.toCell[cell];
      const at = ring.reserve(InputLayout.bytes);
      if (at < 0) continue;
      const angle = this.rnd() * Math.PI * 2;
      const v = ring.view;
      v.setUint8(at, GateMsg.INPUT);
      v.setUint32(at + InputLayout.conn, conn, true);
      v.setUint32(at + InputLayout.seq, ++this.seq, true);
      v.setUint32(at + InputLayout.ackTick, 0, true);
      v.setUint8(at + InputLayout.move, MoveKind.DIRECTION);
      v.setFloat32(at + InputLayout.a, Math.cos(angle), true);
      v.setFloat32(at + InputLayout.b, Math.sin(angle), true);
      ring.commit(InputLayout.bytes);
    }
    for (const r of this.toCell) r.flush();
  }

  /** Consumes everything the cells sent; returns the number of messages. */
  drain(): number {
    let n = 0;
    for (const ring of this.fromCell) {
      const v = ring.view;
      for (let at = ring.peek(); at >= 0; at = ring.peek()) {
        const op = v.getUint8(at);
        if (op === CellMsg.FRAME) {
          this.frames++;
          this.frameBytes += ring.messageLength;
        } else if (op === CellMsg.JOINED) {
          this.joined++;
        } else if (op === CellMsg.MOVED) {
          this.cellOf.set(v.getUint32(at + 1, true), v.getUint8(at + 5));
        } else if (op === CellMsg.LEFT) {
          this.cellOf.delete(v.getUint32(at + 1, true));
        }
        ring.release();
        n++;
      }
      ring.done();
    }
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
