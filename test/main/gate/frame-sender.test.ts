import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatOutbox } from '../../../src/main/chat/chat-outbox.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { Connection } from '../../../src/main/gate/connection.ts';
import { FrameSender } from '../../../src/main/gate/frame-sender.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import { PlayerNames } from '../../../src/main/gate/player-names.ts';
import { noGateMetrics } from '../../../src/main/metrics/gate-metrics.ts';
import { ChatChannel } from '../../../src/protocol/chat-codes.ts';
import { encodeChatLine } from '../../../src/protocol/chat-lines.ts';
import { decodeServerMessage } from '../../../src/protocol/decode.ts';
import { Limits, ServerOp } from '../../../src/protocol/opcodes.ts';
import { encodeSnapshot } from '../../../src/protocol/snapshot-codec.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import { EntityKind } from '../../../src/shared/layout.ts';
import { FrameKind } from '../../../src/shared/messages/cell-to-gate.ts';
import { silentLog } from '../../helpers/zone.ts';
import { row, tableOf, type Row } from '../../protocol/arbitraries.ts';
import { openWsPair, type WsPair } from './fixtures/ws-pair.ts';

/** Where a frame sits in the stand-in ring: not at 0, as in the real one. */
const AT = 5;

/**
 * A snapshot-shaped frame of `n` bytes in a bigger buffer: no entities
 * entering (nothing for the names to do), a pattern, and the empty chat run
 * (a 0 byte) last, where the gate puts chat lines.
 */
function ringWith(n: number, seed: number): Buffer {
  const ring = Buffer.alloc(AT + n + 9, 0xee);
  for (let i = 19; i < n - 1; i++) ring[AT + i] = (i * 13 + seed) & 0xff;
  ring.fill(0, AT, AT + Math.min(n, 19));
  ring[AT + n - 1] = 0;
  return ring;
}

/** A full SNAPSHOT frame of `rows` for viewer `you`, at AT in a bigger buffer, as a cell encodes one. */
function snapshotRing(rows: Row[], you: number, tick: number): { ring: Buffer; end: number } {
  const ring = Buffer.alloc(AT + Limits.maxServerFrame, 0xee);
  const w = new Writer().reset(ring.subarray(AT));
  encodeSnapshot(w, tick, null, tableOf(rows, tick), 0, you);
  return { ring, end: AT + w.length };
}

const player = (id: number, x: number): Row => row({ id, kind: EntityKind.PLAYER, x: x * 16, y: 160, hp: 50, maxHp: 50 });

describe('FrameSender over a real socket', () => {
  let pair: WsPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it('sends each frame, with and without chat lines, as one direct write that a ws client decodes, counting its payload bytes', async () => {
    const counted: number[] = [];
    // A bound no test frame reaches: what the kernel has not taken yet must not skip a snapshot here.
    const gate = new Gate(loadConfig({ SEND_BUFFER_LIMIT_BYTES: String(1 << 24) }), null, { ...noGateMetrics, messageOut: (_t: string, n: number) => counted.push(n) }, silentLog);
    const outbox = new ChatOutbox(64);
    gate.chat = { receive() {}, frame: (c, s, src, start, end, headroom, alloc) => outbox.frame(c, s, src, start, end, headroom, alloc) };
    pair = await openWsPair();
    const sendSpy = vi.spyOn(pair.server, 'send');
    const c = new Connection(7, pair.server, '127.0.0.1', silentLog);
    c.phase = 'playing';
    gate.connections.set(7, c);
    const lines = [encodeChatLine(ChatChannel.ZONE, 0, 0, 'ann', 'hello'), encodeChatLine(ChatChannel.ZONE, 0, 0, 'bob', 'a longer line of chat')];
    const lineBytes = lines[0].length + lines[1].length;

    // Frame lengths in the ring, and whether lines go with it: 7-, 16- and 64-bit lengths,
    // and lines that carry a frame over from one length form into the next.
    const cases: [number, boolean][] = [
      [100, false],
      [100, true],
      [126 - lineBytes, true],
      [300, false],
      [300, true],
      [65536 - lineBytes, true],
      [70000, false],
      [70000, true],
    ];
    const expected: Buffer[] = [];
    cases.forEach(([n, withLines], i) => {
      const ring = ringWith(n, i);
      const frame = Buffer.from(ring.subarray(AT, AT + n));
      if (withLines) {
        for (const l of lines) outbox.push(c, l);
        frame[n - 1] = lines.length;
        expected.push(Buffer.concat([frame, ...lines]));
      } else {
        expected.push(frame);
      }
      gate.reports.frame(0, 7, FrameKind.SNAPSHOT, i + 1, ring, AT, AT + n);
    });
    // An event goes as it is, never with lines.
    for (const l of lines) outbox.push(c, l);
    const ring = ringWith(40, 99);
    gate.reports.frame(0, 7, FrameKind.EVENT, 100, ring, AT, AT + 40);
    expected.push(Buffer.from(ring.subarray(AT, AT + 40)));

    const seen = await pair.waitFor(expected.length);
    expect(sendSpy).not.toHaveBeenCalled();
    expect(seen.map((s) => (s.kind === 'message' ? s.bytes.length : -1))).toEqual(expected.map((e) => e.length));
    seen.forEach((s, i) => expect(s.kind === 'message' && s.bytes.equals(expected[i])).toBe(true));
    expect(counted).toEqual(expected.map((e) => e.length));
    expect(c.bytesOut).toBe(expected.reduce((sum, e) => sum + e.length, 0));
    expect(outbox.waiting(c)).toBe(2);
  });

  it('reuses its copy\'s bytes only once the kernel has taken a frame: frames a stalled socket holds arrive intact', async () => {
    const gate = new Gate(loadConfig({ SEND_BUFFER_LIMIT_BYTES: String(1 << 26) }), null, noGateMetrics, silentLog);
    pair = await openWsPair();
    const c = new Connection(9, pair.server, '127.0.0.1', silentLog);
    c.phase = 'playing';
    gate.connections.set(9, c);
    // The client stops reading: the kernel's buffers fill and the socket starts queueing the frames behind them.
    pair.client.pause();
    const N = 60_000;
    const expected: Buffer[] = [];
    let queuedAt = -1;
    for (let i = 0; i < 400 && (queuedAt < 0 || i < queuedAt + 8); i++) {
      const ring = ringWith(N, i);
      expected.push(Buffer.from(ring.subarray(AT, AT + N)));
      gate.reports.frame(0, 9, FrameKind.SNAPSHOT, i + 1, ring, AT, AT + N);
      if (queuedAt < 0 && pair.socket.writableLength > 0) queuedAt = i;
    }
    // The socket held frames while later ones were built: had their bytes been reused, the client would get the later ones' bytes.
    expect(queuedAt).toBeGreaterThanOrEqual(0);
    expect(pair.socket.writableLength).toBeGreaterThan(0);
    pair.client.resume();
    const seen = await pair.waitFor(expected.length);
    expect(seen.map((m) => (m.kind === 'message' ? m.bytes.length : -1))).toEqual(expected.map((e) => e.length));
    const wrong = seen.flatMap((m, i) => (m.kind === 'message' && m.bytes.equals(expected[i]) ? [] : [i]));
    expect(wrong).toEqual([]);
  });

  it('sends the gate\'s small messages as direct writes too, counted alike', async () => {
    const counted: string[] = [];
    const gate = new Gate(loadConfig({}), null, { ...noGateMetrics, messageOut: (t: string, n: number) => counted.push(`${t}:${n}`) }, silentLog);
    pair = await openWsPair();
    const sendSpy = vi.spyOn(pair.server, 'send');
    const c = new Connection(8, pair.server, '127.0.0.1', silentLog);
    const small = Uint8Array.from([9, 8, 7]);
    const big = new Uint8Array(200).fill(3);
    gate.send(c, small, 'notice');
    gate.send(c, big, 'names');
    const seen = await pair.waitFor(2);
    expect(sendSpy).not.toHaveBeenCalled();
    expect(seen.map((s) => (s.kind === 'message' ? [...s.bytes] : []))).toEqual([[...small], [...big]]);
    expect(counted).toEqual(['notice:3', 'names:200']);
    expect(c.bytesOut).toBe(203);
  });

  it('sends the NAMES of players entering view in the same socket write as their snapshot, each a message of its own, counted as names', async () => {
    const counted: string[] = [];
    const names = new PlayerNames();
    const outbox = new ChatOutbox(64);
    const sender = new FrameSender({
      cfg: loadConfig({}),
      metrics: { ...noGateMetrics, messageOut: (t: string) => counted.push(t) },
      names,
      chat: () => ({ receive() {}, frame: (c, s, src, start, end, headroom, alloc) => outbox.frame(c, s, src, start, end, headroom, alloc) }),
      kickSlow: () => {
        throw new Error('not slow');
      },
    });
    pair = await openWsPair();
    const sendSpy = vi.spyOn(pair.server, 'send');
    const writeSpy = vi.spyOn(pair.socket, 'write');
    const viewer = new Connection(7, pair.server, '127.0.0.1', silentLog);
    viewer.phase = 'playing';
    viewer.handle = 1;
    // More players than fit one NAMES message, each with a name long enough to carry the frames past a 7-bit length.
    const others = Array.from({ length: Limits.maxNamesPerMessage + 3 }, (_, i) => {
      const o = new Connection(100 + i, pair!.server, '127.0.0.1', silentLog);
      o.name = `player-${i}-${'x'.repeat(20)}`;
      o.handle = 10 + i;
      names.entered(o);
      return o;
    });
    const rows = [player(1, 10), ...others.map((o, i) => player(o.handle, 11 + (i % 5)))];
    const first = snapshotRing(rows, 1, 20);
    sender.send(viewer, 0, FrameKind.SNAPSHOT, 20, first.ring, AT, first.end);
    // The same view again: every name was told, so the snapshot goes alone.
    const again = snapshotRing(rows, 1, 21);
    sender.send(viewer, 0, FrameKind.SNAPSHOT, 21, again.ring, AT, again.end);

    const seen = await pair.waitFor(4);
    expect(sendSpy).not.toHaveBeenCalled();
    expect(writeSpy).toHaveBeenCalledTimes(2);
    const bytesOf = seen.map((s) => (s.kind === 'message' ? s.bytes : Buffer.alloc(0)));
    // Snapshots are read by ClientView, not decodeServerMessage: told apart by their first byte.
    expect(bytesOf.map((b) => (b[0] === ServerOp.SNAPSHOT ? 'snapshot' : decodeServerMessage(b)?.op))).toEqual(['names', 'names', 'snapshot', 'snapshot']);
    const decoded = bytesOf.map((b) => (b[0] === ServerOp.SNAPSHOT ? null : decodeServerMessage(b)));
    const told = decoded.flatMap((m) => (m?.op === 'names' ? m.entries : []));
    expect(told).toEqual(others.map((o) => ({ entity: o.handle, name: o.name })).sort((a, b) => a.entity - b.entity));
    expect(seen[2].kind === 'message' && seen[2].bytes.equals(first.ring.subarray(AT, first.end))).toBe(true);
    expect(counted).toEqual(['names', 'names', 'snapshot', 'snapshot']);
    const bytes = seen.reduce((n, s) => n + (s.kind === 'message' ? s.bytes.length : 0), 0);
    expect(viewer.bytesOut).toBe(bytes);
  });
});
