/**
 * Resumes around a zone change, in the orders a live server only hits by
 * chance: the real Gate over two zones whose cells run in this thread, tick
 * by tick, with stand-in sockets; the gate drains the cells' rings only when
 * the test says so, and the resume grace runs on a clock the test fires.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { loadConfig } from '../../../src/main/config.ts';
import type { Connection } from '../../../src/main/gate/connection.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import { PromGateMetrics } from '../../../src/main/metrics/gate.ts';
import { encodeHello, encodeInput, encodeResume } from '../../../src/protocol/encode.ts';
import { CloseCode } from '../../../src/protocol/errors.ts';
import { AuthKind, MoveKind } from '../../../src/protocol/opcodes.ts';
import { FakeSocket, FakeWorld, handleOf, ManualClock, zones } from '../../helpers/gate-harness.ts';
import { silentLog } from '../../helpers/zone.ts';

describe('resume around a zone change', () => {
  let gate: Gate | undefined;
  afterEach(async () => {
    await gate?.shutdown(10);
    gate = undefined;
  });

  function setup() {
    const { a, b } = zones();
    const world = new FakeWorld();
    const metrics = new PromGateMetrics();
    const clock = new ManualClock();
    gate = new Gate(loadConfig({ ALLOW_GUESTS: '1', SPAWN_SPREAD: '0' }), world, metrics, silentLog, { contentHash: 'abc', resumeClock: clock });
    const za = handleOf(a);
    const zb = handleOf(b);
    gate.attachZone(za);
    gate.attachZone(zb);
    const g = gate;
    /** A new socket at the gate, and its connection. */
    const open = (): { ws: FakeSocket; c: Connection; send: (bytes: Uint8Array) => void } => {
      const ws = new FakeSocket();
      const before = new Set(g.connections.keys());
      (g as unknown as { open(ws: WebSocket, remote: string): void }).open(ws as unknown as WebSocket, '127.0.0.1');
      const c = [...g.connections.values()].find((x) => !before.has(x.id))!;
      return { ws, c, send: (bytes) => ws.emit('message', Buffer.from(bytes), true) };
    };
    const drainA = () => g.linkOf(za).link.drainNow();
    const drainB = () => g.linkOf(zb).link.drainNow();
    const step = (n = 1, drain = true) => {
      for (let i = 0; i < n; i++) {
        a.tick();
        b.tick();
        if (drain) {
          drainA();
          drainB();
        }
      }
    };
    return { a, b, world, metrics, clock, open, step, drainA, drainB };
  }

  /** A character (id 7) playing in zone a, then walked into the portal to b: its PORTAL handled, b's JOIN not yet answered. */
  async function midTransfer(t: ReturnType<typeof setup>) {
    const first = t.open();
    first.send(encodeHello('tok', 7, AuthKind.TOKEN));
    await new Promise((r) => setImmediate(r)); // the world entry resolves first
    for (let i = 0; i < 5 && first.c.phase !== 'playing'; i++) t.step();
    expect(first.c.phase).toBe('playing');
    const token = first.ws.messages().find((m) => m.op === 'resumeToken');
    if (token?.op !== 'resumeToken') throw new Error('no resume token');
    const old = first.c.handle;
    first.send(encodeInput({ seq: 1, ackTick: 0, move: MoveKind.DESTINATION, x: 41, y: 10.5, dx: 0, dy: 0 }));
    // Tick without draining until zone a's cell has freed the entity; then only a's PORTAL is handled.
    for (let i = 0; i < 100 && t.a.views.store.isValid(old); i++) t.step(1, false);
    expect(t.a.views.store.isValid(old)).toBe(false);
    t.drainA();
    expect(first.c.phase).toBe('joining');
    expect(first.c.transfer).toBeDefined();
    return { first, token: token.token };
  }

  it('a socket that drops mid-transfer, resumed before the new zone answers: WELCOME names the new zone and entity, the change is saved', async () => {
    const t = setup();
    const { first, token } = await midTransfer(t);
    first.ws.emit('close', 1006);
    expect(gate!.resumes.detached).toBe(1);
    const second = t.open();
    second.send(encodeResume(token));
    // Nothing yet: the player has no entity until zone b answers.
    expect(second.ws.messages()).toEqual([]);
    expect(gate!.connections.size).toBe(1);
    t.step();
    const msgs = second.ws.messages();
    expect(msgs.map((m) => m.op)).toEqual(['welcome', 'resumeToken']);
    expect(msgs[0]).toMatchObject({ op: 'welcome', zoneId: 2, entity: first.c.handle });
    expect(t.b.views.store.isValid(first.c.handle)).toBe(true);
    expect(first.c.ws).toBe(second.ws);
    // The change is counted and saved as any other, and the first socket was told nothing more.
    expect(t.metrics.zoneChanges.get('a\0b')).toBe(1);
    expect(t.world.saves.at(-1)).toMatchObject({ zone: 'b', x: 16, y: 16 });
    expect(first.ws.messages().some((m) => m.op === 'zoneChange')).toBe(false);
    t.step(3);
    expect(second.ws.snapshots()).toBeGreaterThan(0);
    expect(t.clock.pending).toBe(0);
  });

  it('a resume while the old socket still lives mid-transfer: the old one is closed 4008, the new one gets the new zone', async () => {
    const t = setup();
    const { first, token } = await midTransfer(t);
    const second = t.open();
    second.send(encodeResume(token));
    expect(first.ws.closeCode).toBe(CloseCode.TAKEN_OVER);
    // The old socket's close, arriving now, ends nothing.
    first.ws.emit('close', CloseCode.TAKEN_OVER);
    expect(gate!.resumes.detached).toBe(0);
    t.step();
    expect(second.ws.messages()[0]).toMatchObject({ op: 'welcome', zoneId: 2 });
    expect(gate!.connections.size).toBe(1);
  });

  it('the grace runs out mid-transfer: the character leaves, saved in the zone it was entering', async () => {
    const t = setup();
    const { first, token } = await midTransfer(t);
    first.ws.emit('close', 1006);
    t.clock.elapse();
    t.step(3);
    expect(gate!.connections.size).toBe(0);
    expect(t.metrics.resumes.get('expired')).toBe(1);
    expect(t.b.views.store.liveCount).toBe(0);
    expect(t.world.saves.at(-1)?.zone).toBe('b');
    const late = t.open();
    late.send(encodeResume(token));
    expect(late.ws.closeCode).toBe(CloseCode.RESUME_REFUSED);
  });
});
