/**
 * The client's session over a scripted socket: HELLO carries the login and
 * the content hash, snapshots are applied and acknowledged, inputs are
 * numbered and carry the ack, ZONE_CHANGE starts the view afresh, a close
 * reports the server's last ERROR, and the rate budget holds under a flood.
 */
import { describe, expect, it } from 'vitest';
import { decodeClientMessage } from '../../../../src/protocol/decode.ts';
import { encodeError, encodeResumeToken, encodeWelcome, encodeZoneChange } from '../../../../src/protocol/encode.ts';
import { CloseCode, ErrorCode } from '../../../../src/protocol/errors.ts';
import { AuthKind, Limits, MoveKind, PROTOCOL_VERSION } from '../../../../src/protocol/opcodes.ts';
import { encodeSnapshot } from '../../../../src/protocol/snapshot-codec.ts';
import { ViewTable } from '../../../../src/protocol/view-table.ts';
import { Writer } from '../../../../src/protocol/writer.ts';
import { encodeInventory } from '../../../../src/protocol/item-messages.ts';
import { ItemOp } from '../../../../src/protocol/item-codes.ts';
import { Session, SessionState, type SessionHandlers, type SocketLike } from '../../../../web/client/src/net/session.ts';

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: Uint8Array[] = [];
  closedWith: number | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: Uint8Array): void {
    this.sent.push(data.slice());
  }
  close(code?: number): void {
    this.closedWith = code;
    this.onclose?.({ code: code ?? 1000, reason: '' });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
  messages() {
    return this.sent.map((b) => decodeClientMessage(b));
  }
}

function snapshot(tick: number, you: number, x: number): Uint8Array {
  const t = new ViewTable(4);
  t.tick = tick;
  t.count = 1;
  t.ids[0] = you;
  t.kind[0] = 1;
  t.x[0] = x * 16;
  t.y[0] = 160;
  t.hp[0] = t.maxHp[0] = 100;
  const buf = new Uint8Array(Limits.maxServerFrame);
  const w = new Writer().reset(buf);
  encodeSnapshot(w, tick, null, t, 0, you);
  return buf.slice(0, w.length);
}

function session(now = { t: 0 }) {
  const socket = new FakeSocket();
  const seen = { welcome: 0, snapshots: 0, zones: [] as string[], closed: [] as [number, number | undefined][] };
  const handlers: SessionHandlers = {
    welcome: () => seen.welcome++,
    zoneChange: (z) => seen.zones.push(z.zoneName),
    snapshot: () => seen.snapshots++,
    notice: () => {},
    pong: () => {},
    closed: (code, _r, error) => seen.closed.push([code, error?.code]),
  };
  const s = new Session(socket, { kind: 'token', token: 'tok', characterId: 7 }, 'abc123', handlers, () => now.t);
  return { s, socket, seen, now };
}

const welcome = encodeWelcome({ version: PROTOCOL_VERSION, entity: 3, zoneId: 1, tickHz: 20, mapWidth: 64, mapHeight: 64, aoiTile: 16, serverTime: 0, contentHash: 'abc123', zoneName: 'town' });

describe('client session', () => {
  it('says HELLO with the login and the content hash, then plays: snapshots applied and acknowledged, inputs numbered', () => {
    const { s, socket, seen } = session();
    expect(socket.binaryType).toBe('arraybuffer');
    socket.open();
    expect(socket.messages()[0]).toEqual({ op: 'hello', version: PROTOCOL_VERSION, auth: AuthKind.TOKEN, credential: 'tok', characterId: 7, contentHash: 'abc123' });
    socket.receive(welcome);
    expect(s.state).toBe(SessionState.PLAYING);
    expect(seen.welcome).toBe(1);
    socket.receive(snapshot(5, 3, 10));
    expect(seen.snapshots).toBe(1);
    expect(s.view.current.count).toBe(1);
    expect(socket.messages().at(-1)).toEqual({ op: 'ack', ackTick: 5 });
    expect(s.input(MoveKind.DIRECTION, 127, 0, 0, 0)).toBe(1);
    expect(socket.messages().at(-1)).toMatchObject({ op: 'input', seq: 1, ackTick: 5, move: MoveKind.DIRECTION, dx: 127, dy: 0 });
  });

  it('starts the view afresh on ZONE_CHANGE and reports the close with the last ERROR', () => {
    const { s, socket, seen } = session();
    socket.open();
    socket.receive(welcome);
    socket.receive(snapshot(50, 3, 10));
    socket.receive(encodeZoneChange({ entity: 9, zoneId: 2, tickHz: 20, mapWidth: 128, mapHeight: 96, aoiTile: 16, zoneName: 'field', contentHash: 'abc123' }));
    expect(seen.zones).toEqual(['field']);
    expect(s.entity).toBe(9);
    expect(s.view.lastTick).toBe(0);
    socket.receive(snapshot(2, 9, 4)); // a lower tick: the new zone's
    expect(s.view.lastTick).toBe(2);
    socket.receive(encodeError(ErrorCode.ZONE_DOWN, 'zone field is down'));
    socket.close(CloseCode.ZONE_DOWN);
    expect(seen.closed).toEqual([[CloseCode.ZONE_DOWN, ErrorCode.ZONE_DOWN]]);
  });

  it('a resume login says RESUME with the token and the content hash, and passes on each RESUME_TOKEN', () => {
    const socket = new FakeSocket();
    const tokens: [string, number][] = [];
    const handlers: SessionHandlers = {
      welcome: () => {},
      zoneChange: () => {},
      snapshot: () => {},
      notice: () => {},
      pong: () => {},
      resumeToken: (token, graceMs) => tokens.push([token, graceMs]),
      closed: () => {},
    };
    const s = new Session(socket, { kind: 'resume', token: 'r'.repeat(43) }, 'abc123', handlers, () => 0);
    socket.open();
    expect(socket.messages()[0]).toEqual({ op: 'resume', version: PROTOCOL_VERSION, token: 'r'.repeat(43), contentHash: 'abc123' });
    socket.receive(welcome);
    socket.receive(encodeResumeToken('n'.repeat(43), 30_000));
    expect(s.state).toBe(SessionState.PLAYING);
    expect(tokens).toEqual([['n'.repeat(43), 30_000]]);
  });

  it('sends ITEMs numbered from 1 and passes each INVENTORY on; none before it plays', () => {
    const socket = new FakeSocket();
    const got: unknown[] = [];
    const s = new Session(socket, { kind: 'token', token: 'tok', characterId: 7 }, 'abc123', {
      welcome: () => {}, zoneChange: () => {}, snapshot: () => {}, notice: () => {}, pong: () => {}, closed: () => {},
      inventory: (m) => got.push(m),
    }, () => 0);
    socket.open();
    expect(s.item(ItemOp.USE, 5, 1)).toBe(-1);
    socket.receive(welcome);
    expect(s.item(ItemOp.MOVE, 5, 2, 7)).toBe(1);
    expect(s.item(ItemOp.SPLIT, 6, 3, 8, 2)).toBe(2);
    expect(socket.messages().slice(-2)).toEqual([
      { op: 'item', seq: 1, itemOp: ItemOp.MOVE, item: 5, version: 2, other: 0, otherVersion: 0, slot: 7, count: 0 },
      { op: 'item', seq: 2, itemOp: ItemOp.SPLIT, item: 6, version: 3, other: 0, otherVersion: 0, slot: 8, count: 2 },
    ]);
    const inv = { full: true, gold: 3, items: [{ id: 5, version: 2, template: 1, count: 1, container: 1, slot: 0 }], removed: [], results: [{ seq: 1, reason: 0 }] };
    socket.receive(encodeInventory(inv));
    expect(got).toEqual([{ op: 'inventory', ...inv }]);
  });

  it('closes with 4000 on a snapshot it cannot decode', () => {
    const { socket, seen } = session();
    socket.open();
    socket.receive(welcome);
    socket.receive(new Uint8Array([65, 1, 2]));
    expect(socket.closedWith).toBe(CloseCode.PROTOCOL_ERROR);
    expect(seen.closed[0]).toEqual([CloseCode.PROTOCOL_ERROR, ErrorCode.TRUNCATED]);
  });

  it('stays under the message rate limit: acks give way first, inputs wait', () => {
    const { s, socket, now } = session();
    socket.open();
    socket.receive(welcome);
    let accepted = 0;
    for (let i = 0; i < 200; i++) {
      socket.receive(snapshot(10 + i, 3, 10));
      if (s.input(MoveKind.DIRECTION, i % 2 ? 127 : -127, 0, 0, 0) > 0) accepted++;
    }
    expect(socket.sent.length).toBeLessThan(Limits.maxClientMessagesPerSecond);
    expect(accepted).toBeGreaterThan(0);
    expect(s.acksSkipped).toBeGreaterThan(0);
    now.t = 1001;
    expect(s.input(MoveKind.STOP, 0, 0, 0, 0)).toBeGreaterThan(0);
  });
});
