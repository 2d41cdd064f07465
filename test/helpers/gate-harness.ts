/**
 * The real Gate over zones whose cells run in this thread (InThreadZone),
 * with stand-in sockets and world: for gate tests that drive the order of
 * events tick by tick (zone-change.test.ts, resume-transfer.test.ts).
 */
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { Connection } from '../../src/main/gate/connection.ts';
import type { Gate } from '../../src/main/gate/gate.ts';
import { ClientView } from '../../src/protocol/client-view.ts';
import type { ResumeClock } from '../../src/main/gate/resume.ts';
import type { ZoneHandle } from '../../src/main/zones/supervisor.ts';
import type { EnteredCharacter, World, WorldState } from '../../src/main/gate/world.ts';
import { decodeServerMessage } from '../../src/protocol/decode.ts';
import type { ServerMessage } from '../../src/protocol/messages.ts';
import { ServerOp } from '../../src/protocol/opcodes.ts';
import { InThreadZone } from '../workers/fixtures/in-thread-zone.ts';
import { fieldPack, portal } from './zone-maps.ts';

/** The parts of a ws socket the gate touches, with events the test emits. */
export class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: Buffer[] = [];
  closeCode: number | undefined;
  send(b: Uint8Array): void {
    this.sent.push(Buffer.from(b));
  }
  close(code: number): void {
    this.closeCode = code;
    this.readyState = 3;
  }
  ping(): void {}
  terminate(): void {}
  /** Every message but snapshots, decoded. */
  messages(): ServerMessage[] {
    return this.sent.filter((b) => b[0] !== ServerOp.SNAPSHOT).map((b) => decodeServerMessage(b)!);
  }
  snapshots(): number {
    return this.sent.filter((b) => b[0] === ServerOp.SNAPSHOT).length;
  }
}

/** Records what the gate saves. */
export class FakeWorld implements World {
  readonly saves: WorldState[] = [];
  readonly updates: WorldState[] = [];
  async enterWorld(_token: string, characterId: number): Promise<EnteredCharacter> {
    return { accountId: 1, characterId, name: `c${characterId}`, classId: 1, zone: 'a', x: 36, y: 10.5, hp: 55 };
  }
  updateState(_id: number, s: WorldState): void {
    this.updates.push(s);
  }
  leaveWorld(_id: number, s: WorldState): void {
    this.saves.push(s);
  }
}

/** Zone a (64 × 32, two cells, border x = 32) with two portals to b, one just west of the border; zone b (32 × 32, one cell). */
export function zones(bCapacity = 256): { a: InThreadZone; b: InThreadZone } {
  const a = new InThreadZone({
    spec: { id: 1, name: 'a' },
    pack: fieldPack('a', { width: 64, height: 32, portals: [portal('to-b', 40, 10, 2, 2, 'b', 'in'), portal('west', 29, 15, 2, 2, 'b', 'in')] }),
  });
  const b = new InThreadZone({
    spec: { id: 2, name: 'b', width: 32, height: 32, cellCols: 1, capacity: bCapacity },
    pack: fieldPack('b', { width: 32, height: 32, points: [{ name: 'in', x: 16, y: 16 }] }),
  });
  return { a, b };
}

export const handleOf = (z: InThreadZone): ZoneHandle => ({ spec: z.views.init.spec, views: z.views, lost: false }) as unknown as ZoneHandle;

/** Grace timers the test fires by hand. */
export class ManualClock implements ResumeClock {
  private readonly timers = new Set<{ fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const t = { fn, ms };
    this.timers.add(t);
    return t;
  }
  clearTimeout(t: unknown): void {
    this.timers.delete(t as { fn: () => void; ms: number });
  }
  get pending(): number {
    return this.timers.size;
  }
  /** The grace runs out for every dropped connection. */
  elapse(): void {
    for (const t of [...this.timers]) {
      this.timers.delete(t);
      t.fn();
    }
  }
}

/**
 * A Gate over one in-thread zone whose cells tick when the test says, with
 * one stand-in client already connected: `step(n)` ticks the zone n times,
 * drains its rings into the gate and applies the snapshots the client got
 * to `view`; `send` is a client frame. The test says hello and waits.
 */
export function gateOverZone(gate: Gate, z: InThreadZone) {
  const zone = handleOf(z);
  gate.attachZone(zone);
  const ws = new FakeSocket();
  (gate as unknown as { open(ws: WebSocket, remote: string): void }).open(ws as unknown as WebSocket, '127.0.0.1');
  const c: Connection = [...gate.connections.values()][0];
  const view = new ClientView();
  let applied = 0;
  const step = (n: number) => {
    for (let i = 0; i < n; i++) {
      z.tick();
      gate.linkOf(zone).link.drainNow();
    }
    for (; applied < ws.sent.length; applied++) if (ws.sent[applied][0] === ServerOp.SNAPSHOT) view.apply(ws.sent[applied]);
  };
  const send = (bytes: Uint8Array) => ws.emit('message', Buffer.from(bytes), true);
  return { zone, ws, c, view, step, send };
}
