/**
 * A real zone cell in the test's thread (test/workers/fixtures/in-thread-zone.ts)
 * with one player in it, for the browser client's movement tests: inputs go
 * in as the gate would pass them (direction normalised to f32, destination
 * quantised), ticks run on demand, and what comes out is the authoritative
 * state (the store's f32 position) and the snapshot frames the client gets.
 */
import { decodeZonePack } from '../../../../src/content/pack/zone-pack.ts';
import { generateZonePack } from '../../../../src/content/map-generate.ts';
import { gameMapOf } from '../../../../src/content/zone-map.ts';
import { indexOf } from '../../../../src/shared/entity-store.ts';
import { CellMsg } from '../../../../src/shared/messages/cell-to-gate.ts';
import { writeAck } from '../../../../src/shared/messages/gate-to-cell.ts';
import type { Walkability, Intent } from '../../../../web/client/src/net/movement.ts';
import { InThreadZone } from '../../../workers/fixtures/in-thread-zone.ts';

export const CONN = 7;

export class SimZone {
  readonly zone: InThreadZone;
  readonly map: Walkability;
  handle = -1;
  tick = 0;

  constructor(width = 48, height = 48, seed = 5, obstacles = 0.12) {
    const pack = generateZonePack('sim', width, height, seed, obstacles);
    this.map = gameMapOf(decodeZonePack(pack));
    this.zone = new InThreadZone({ spec: { name: 'sim', width, height, cellCols: 1, cellRows: 1, aoiTile: 16 }, pack });
  }

  /** Joins the player at (x, y) and returns its handle once the cell spawned it. */
  join(x: number, y: number): number {
    this.zone.join(0, CONN, x, y);
    for (let i = 0; i < 5 && this.handle < 0; i++) {
      this.step();
      for (const m of this.frames) if (m.op === CellMsg.JOINED) this.handle = m.handle;
    }
    if (this.handle < 0) throw new Error('player did not join');
    return this.handle;
  }

  /** Frames of the last step. */
  frames: ReturnType<InThreadZone['drain']> = [];

  /** One server tick; its frames are in `frames`. */
  step(): void {
    this.zone.tick();
    this.tick++;
    this.frames = this.zone.drain(0);
  }

  /** An ACK as the gate passes it on. */
  ack(tick: number): void {
    if (!writeAck(this.zone.gateIn[0], CONN, tick)) throw new Error('gate ring full');
    this.zone.gateIn[0].flush();
  }

  /** An input as the gate passes it on (the intent the client computed is the gate's, to the bit). */
  input(seq: number, intent: Intent, ackTick = 0): void {
    this.zone.input(0, CONN, seq, intent.move, intent.a, intent.b, ackTick);
  }

  /** The authoritative position (f32, full precision). */
  get position(): { x: number; y: number } {
    const f = this.zone.views.store.f;
    const slot = indexOf(this.handle);
    return { x: f.x[slot], y: f.y[slot] };
  }

  /** Snapshot frames for the player in the last step. */
  snapshots(): Uint8Array[] {
    return this.frames.filter((m) => m.op === CellMsg.FRAME && m.conn === CONN).map((m) => m.body);
  }
}
