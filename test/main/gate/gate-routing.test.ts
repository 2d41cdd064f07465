/**
 * The gate routes a player's messages by the owner word in the shared
 * store, so it can never settle on a wrong cell: not when MOVED notices
 * from two cells' rings are handled out of order, and not long after.
 * The zone's cells run in this thread (driven tick by tick), the socket is
 * a stand-in, and the gate is the real one.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { loadConfig } from '../../../src/main/config.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import { noGateMetrics } from '../../../src/main/metrics/gate-metrics.ts';
import type { ZoneHandle } from '../../../src/main/zones/supervisor.ts';
import { encodeHello, encodeInput } from '../../../src/protocol/encode.ts';
import { MoveKind } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { StatSlot } from '../../../src/shared/layout.ts';
import { silentLog } from '../../helpers/zone.ts';
import { InThreadZone } from '../../workers/fixtures/in-thread-zone.ts';

/** The parts of a ws socket the gate touches, with 'message' events the test emits. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: Buffer[] = [];
  send(b: Uint8Array): void {
    this.sent.push(Buffer.from(b));
  }
  close(): void {
    this.readyState = 3;
  }
  ping(): void {}
  terminate(): void {}
}

describe('gate routing by the owner word', () => {
  let gate: Gate | undefined;
  afterEach(async () => {
    await gate?.shutdown(10);
    gate = undefined;
  });

  it('after A → B → A with MOVED notices handled out of order, inputs go straight to A, even 300 ticks later', () => {
    const z = new InThreadZone();
    const zone = { spec: z.views.init.spec, views: z.views, lost: false } as unknown as ZoneHandle;
    gate = new Gate(loadConfig({ ALLOW_GUESTS: '1', SPAWN_SPREAD: '0' }), null, noGateMetrics, silentLog);
    gate.attachZone(zone);
    const { link } = gate.linkOf(zone);
    const ws = new FakeSocket();
    // A connection as the gate opens one on an upgrade.
    (gate as unknown as { open(ws: WebSocket, remote: string): void }).open(ws as unknown as WebSocket, '127.0.0.1');
    const c = [...gate.connections.values()][0];
    let seq = 0;
    const send = (bytes: Uint8Array) => ws.emit('message', Buffer.from(bytes), true);
    const walkTo = (x: number) => send(encodeInput({ seq: ++seq, ackTick: 0, move: MoveKind.DESTINATION, x, y: 16, dx: 0, dy: 0 }));

    send(encodeHello('ann'));
    expect(c.phase).toBe('joining');
    z.tick();
    link.drainNow();
    expect(c.phase).toBe('playing');
    const slot = indexOf(c.handle);
    expect(z.ownerOf(c.handle)).toBe(1); // spawned at the centre, x = 32: cell 1

    // Keep every MOVED notice, to hand them to the gate out of order afterwards.
    const moves: [number, number][] = [];
    const realMoved = gate.reports.moved.bind(gate.reports);
    gate.reports.moved = (_zone, _conn, cell, tick) => void moves.push([cell, tick]);
    walkTo(10);
    for (let i = 0; i < 200 && z.ownerOf(c.handle) !== 0; i++) z.tick();
    walkTo(50);
    for (let i = 0; i < 200 && z.ownerOf(c.handle) !== 1; i++) z.tick();
    walkTo(10);
    for (let i = 0; i < 200 && z.ownerOf(c.handle) !== 0; i++) z.tick();
    link.drainNow(); // ring by ring: cell 0's notice (to 1) comes before cell 1's two (to 0)
    expect([...moves].sort((a, b) => a[1] - b[1]).map(([cell]) => cell)).toEqual([0, 1, 0]);
    gate.reports.moved = realMoved;
    for (const [cell, tick] of [...moves].sort((a, b) => b[1] - a[1])) realMoved(0, c.id, cell, tick); // newest first
    expect(c.cell).toBe(0); // the newest notice wins, whatever the order

    // Long after any forwarding entry of the old design would have expired.
    send(encodeInput({ seq: ++seq, ackTick: 0, move: MoveKind.STOP, x: 0, y: 0, dx: 0, dy: 0 }));
    for (let i = 0; i < 300; i++) z.tick();
    const forwardedBefore = z.cells[1].stats[StatSlot.inputsForwarded];
    c.cell = 1; // even a stale idea of the cell does not matter
    walkTo(3);
    z.ticks(2);
    expect(z.cells[0].intents.move[slot]).toBe(MoveKind.DESTINATION);
    expect(z.cells[0].intents.a[slot]).toBe(3);
    expect(z.cells[1].stats[StatSlot.inputsForwarded]).toBe(forwardedBefore); // went straight to A
    expect(z.violations).toBe(0);
  });

  it('JOINs and LEAVEs that find the cell ring full wait at the gate, in order, and all arrive', async () => {
    // A 1 KiB gate-to-cell ring: about 36 JOINs fit; 120 are sent at once.
    const z = new InThreadZone({ spec: { capacity: 1024 }, ringSizes: { gateToCell: 1 << 10, cellToGate: 1 << 20, cellToCell: 1 << 18 } });
    const zone = { spec: z.views.init.spec, views: z.views, lost: false } as unknown as ZoneHandle;
    const joined: number[] = [];
    const left: number[] = [];
    const { ZoneLink } = await import('../../../src/main/gate/zone-link.ts');
    const link = new ZoneLink(zone, {
      frame() {},
      checkpoint() {},
      joined: (_zone, conn) => void joined.push(conn),
      moved() {},
      left: (_zone, conn) => void left.push(conn),
      state() {},
      portal() {},
      questFact() {},
    });
    try {
      for (let conn = 1; conn <= 120; conn++) link.join(0, conn, conn, 5 + (conn % 20), 5 + (conn % 7), 1, 0);
      for (let conn = 1; conn <= 120; conn += 3) link.leave(0, conn);
      expect(link.waiting).toBeGreaterThan(0);
      for (let i = 0; i < 100 && (link.waiting > 0 || left.length < 40); i++) {
        z.tick();
        // The link's pump drains the cell's ring and then moves waiting messages in.
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
      }
      expect(link.waiting).toBe(0);
      expect(joined.sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(left.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => 1 + i * 3));
      expect(z.views.store.liveCount).toBe(80);
    } finally {
      link.close();
    }
  });
});
