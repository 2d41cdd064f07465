/**
 * The gate's side of a zone change, driven deterministically: the real Gate
 * over two zones whose cells run in this thread (tick by tick, the gate
 * draining their rings only when the test says so), with stand-in sockets.
 * Covers the orders a live server only hits by chance: a socket that closes
 * while its player steps into a portal, a JOINED drained after the PORTAL of
 * the same entity, late frames and acks of the zone left behind, target and
 * home zones that are down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { loadConfig } from '../../../src/main/config.ts';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import { PromGateMetrics } from '../../../src/main/metrics/gate.ts';
import { encodeAck, encodeHello, encodeInput } from '../../../src/protocol/encode.ts';
import { CloseCode, ErrorCode } from '../../../src/protocol/errors.ts';
import { NoticeCode } from '../../../src/protocol/notices.ts';
import { AuthKind, MoveKind, ServerOp } from '../../../src/protocol/opcodes.ts';
import { indexOf } from '../../../src/shared/entity-store.ts';
import { FrameKind } from '../../../src/shared/messages/cell-to-gate.ts';
import { FakeSocket, FakeWorld, handleOf, zones } from '../../helpers/gate-harness.ts';
import { silentLog } from '../../helpers/zone.ts';

describe('the gate through a zone change', () => {
  let gate: Gate | undefined;
  afterEach(async () => {
    await gate?.shutdown(10);
    gate = undefined;
  });

  /** The gate over both zones and one connected client. */
  function setup(o: { bCapacity?: number; token?: boolean } = {}) {
    const { a, b } = zones(o.bCapacity);
    const world = new FakeWorld();
    const metrics = new PromGateMetrics();
    gate = new Gate(loadConfig({ ALLOW_GUESTS: '1', SPAWN_SPREAD: '0' }), world, metrics, silentLog, { contentHash: 'abc' });
    const za = handleOf(a);
    const zb = handleOf(b);
    gate.attachZone(za);
    gate.attachZone(zb);
    const g = gate;
    const ws = new FakeSocket();
    (g as unknown as { open(ws: WebSocket, remote: string): void }).open(ws as unknown as WebSocket, '127.0.0.1');
    const c: Connection = [...g.connections.values()][0];
    const send = (bytes: Uint8Array) => ws.emit('message', Buffer.from(bytes), true);
    /** One tick of both zones, then the gate handles everything they published (cell 0's ring first). */
    const step = (n = 1, drain = true) => {
      for (let i = 0; i < n; i++) {
        a.tick();
        b.tick();
        if (drain) {
          g.linkOf(za).link.drainNow();
          g.linkOf(zb).link.drainNow();
        }
      }
    };
    return { a, b, za, zb, world, metrics, ws, c, send, step };
  }

  async function playing(t: ReturnType<typeof setup>, token = false): Promise<void> {
    t.send(token ? encodeHello('tok', 7, AuthKind.TOKEN) : encodeHello('ann'));
    await new Promise((r) => setImmediate(r)); // a token login resolves its world entry first
    for (let i = 0; i < 5 && t.c.phase !== 'playing'; i++) t.step();
    expect(t.c.phase).toBe('playing');
  }

  it('a socket that closes while its player steps into a portal: released and saved next to the portal, nothing joined in the target', async () => {
    const t = setup();
    await playing(t, true);
    expect(t.c.characterId).toBe(7);
    const old = t.c.handle;
    t.send(encodeInput({ seq: 1, ackTick: 0, move: MoveKind.DESTINATION, x: 41, y: 10.5, dx: 0, dy: 0 }));
    // Tick without draining until the cell has freed the entity: its PORTAL waits in the ring.
    for (let i = 0; i < 100 && t.a.views.store.isValid(old); i++) t.step(1, false);
    expect(t.a.views.store.isValid(old)).toBe(false);
    t.ws.emit('close', 1000);
    t.step(3);
    expect(gate!.connections.size).toBe(0);
    const last = t.world.saves.at(-1)!;
    expect(last).toMatchObject({ zone: 'a', hp: 55 });
    expect(last.x).toBeGreaterThan(39.5);
    expect(last.x).toBeLessThan(40);
    expect(t.b.views.store.liveCount).toBe(0);
  });

  it('drops the left zone\'s late frames and acks, and saves the character in its new zone at once', async () => {
    const t = setup();
    await playing(t, true);
    t.step(20); // a few snapshots (and ticks) of zone a behind it
    const aTick = t.c.lastFrameTick;
    t.send(encodeInput({ seq: 1, ackTick: 0, move: MoveKind.DESTINATION, x: 41, y: 10.5, dx: 0, dy: 0 }));
    for (let i = 0; i < 100 && t.c.zone === 0; i++) t.step();
    for (let i = 0; i < 5 && t.c.phase !== 'playing'; i++) t.step();
    const zc = t.ws.messages().find((m) => m.op === 'zoneChange');
    expect(zc).toMatchObject({ op: 'zoneChange', zoneId: 2, zoneName: 'b', entity: t.c.handle, contentHash: 'abc' });
    // Its health came with it (and regenerates out of combat), its level and experience too.
    expect(t.world.saves.at(-1)).toMatchObject({ zone: 'b', x: 16, y: 16, level: 1, xp: 0 });
    expect(t.world.saves.at(-1)!.hp).toBeGreaterThanOrEqual(55);
    expect(t.metrics.zoneChanges.get('a\0b')).toBe(1);

    // A frame of zone a drained late, with a tick far ahead of b's: not sent.
    const sent = t.ws.sent.length;
    gate!.reports.frame(0, t.c.id, FrameKind.SNAPSHOT, aTick + 1000, Buffer.from([ServerOp.SNAPSHOT]), 0, 1);
    gate!.reports.frame(0, t.c.id, FrameKind.EVENT, aTick + 1000, Buffer.from([ServerOp.SNAPSHOT]), 0, 1);
    expect(t.ws.sent.length).toBe(sent);
    // An ack of a zone a snapshot, sent before the client saw ZONE_CHANGE: not passed on to b's cell.
    t.step(3);
    const p = t.b.cells[0].players.bySlot[indexOf(t.c.handle)]!;
    expect(t.c.firstFrameTick).toBeGreaterThan(0);
    t.send(encodeAck(t.c.firstFrameTick - 1));
    t.step();
    expect(p.ackTick).toBe(0);
    // One of b's own snapshots is.
    t.send(encodeAck(t.c.firstFrameTick));
    t.step();
    expect(p.ackTick).toBe(t.c.firstFrameTick);
    // A late STATE of zone a does not overwrite the new zone's state.
    gate!.reports.state(0, t.c.id, 1, 1, 1, 1, 0, 0);
    expect(t.c.lastState?.zone).toBe('b');
  });

  it('a player whose JOINED is drained after its PORTAL still gets a WELCOME, of the zone it ends up in', async () => {
    const t = setup();
    // Join in cell 1 of zone a (a guest: at the centre, 32, 16), then, straight through the cell's ring (the gate
    // drops inputs before WELCOME), walk west across the border into the portal at x 29..31 in cell 0. Nothing is
    // drained meanwhile.
    t.send(encodeHello('ann'));
    expect(t.c.phase).toBe('joining');
    t.step(1, false);
    t.a.input(1, t.c.id, 1, MoveKind.DESTINATION, 26, 16);
    for (let i = 0; i < 200 && t.a.views.store.liveCount > 0; i++) t.step(1, false);
    expect(t.a.views.store.liveCount).toBe(0);
    // Ring by ring: cell 0's PORTAL comes before cell 1's JOINED.
    t.step(3);
    expect(t.c.phase).toBe('playing');
    expect(t.c.zone).toBe(1);
    const msgs = t.ws.messages();
    expect(msgs.map((m) => m.op)).toEqual(['welcome', 'resumeToken']);
    expect(msgs[0]).toMatchObject({ zoneId: 2, entity: t.c.handle });
    expect(t.ws.snapshots()).toBeGreaterThan(0);
  });

  it('a target zone that is down: told, and back next to the portal in the old zone', async () => {
    const t = setup();
    await playing(t);
    (t.zb as { lost: boolean }).lost = true;
    t.send(encodeInput({ seq: 1, ackTick: 0, move: MoveKind.DESTINATION, x: 41, y: 10.5, dx: 0, dy: 0 }));
    for (let i = 0; i < 100 && !t.ws.messages().some((m) => m.op === 'zoneChange'); i++) t.step();
    const msgs = t.ws.messages();
    expect(msgs.find((m) => m.op === 'notice')).toMatchObject({ code: NoticeCode.PORTAL_ZONE_DOWN });
    expect(msgs.find((m) => m.op === 'zoneChange')).toMatchObject({ zoneId: 1, zoneName: 'a', entity: t.c.handle });
    expect(t.c.zone).toBe(0);
    const slot = indexOf(t.c.handle);
    expect(t.a.views.store.f.x[slot]).toBeLessThan(40);
    expect(t.metrics.portalRefusals.get('zone_down')).toBe(1);
    // Its new entity walks; it can step in again (and is refused again).
    t.send(encodeInput({ seq: 2, ackTick: 0, move: MoveKind.DESTINATION, x: 41, y: 10.5, dx: 0, dy: 0 }));
    for (let i = 0; i < 100 && t.metrics.portalRefusals.get('zone_down') === 1; i++) t.step();
    expect(t.metrics.portalRefusals.get('zone_down')).toBe(2);
  });

  it('refused by a full target while its own zone went down: saved next to the portal and closed with ZONE_DOWN', async () => {
    const t = setup({ bCapacity: 1 });
    // The one slot of b is taken.
    t.b.join(0, 999, 10, 10);
    t.step(2);
    await playing(t, true);
    t.send(encodeInput({ seq: 1, ackTick: 0, move: MoveKind.DESTINATION, x: 41, y: 10.5, dx: 0, dy: 0 }));
    for (let i = 0; i < 100 && t.c.zone === 0; i++) t.step();
    (t.za as { lost: boolean }).lost = true; // before b's answer comes back
    for (let i = 0; i < 5 && t.ws.closeCode === undefined; i++) t.step();
    const msgs = t.ws.messages();
    expect(msgs.find((m) => m.op === 'notice')).toMatchObject({ code: NoticeCode.PORTAL_ZONE_FULL });
    expect(msgs.find((m) => m.op === 'error')).toMatchObject({ code: ErrorCode.ZONE_DOWN });
    expect(t.ws.closeCode).toBe(CloseCode.ZONE_DOWN);
    expect(t.world.saves.at(-1)).toMatchObject({ zone: 'a', hp: 55 });
    expect(gate!.connections.size).toBe(0);
  });
});
