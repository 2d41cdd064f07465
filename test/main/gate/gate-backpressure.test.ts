import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../../src/protocol/errors.ts';
import { FrameKind } from '../../../src/shared/messages/cell-to-gate.ts';
import { loadConfig } from '../../../src/main/config.ts';
import { Connection } from '../../../src/main/gate/connection.ts';
import { Gate } from '../../../src/main/gate/gate.ts';
import { noGateMetrics } from '../../../src/main/metrics/gate-metrics.ts';
import { silentLog } from '../../helpers/zone.ts';

/** The parts of a ws socket the gate's send path touches. */
function fakeSocket() {
  return {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as Buffer[],
    closed: undefined as number | undefined,
    send(b: Buffer) {
      this.sent.push(Buffer.from(b));
    },
    close(code: number) {
      this.closed = code;
      this.readyState = 2;
    },
    terminate() {},
  };
}

describe('gate backpressure', () => {
  afterEach(() => vi.useRealTimers());

  it('skips snapshots but not events for a client over the send-buffer bound, then kicks it with 4005', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cfg = loadConfig({ SEND_BUFFER_LIMIT_BYTES: '4096', SLOW_CLIENT_KICK_MS: '3000' });
    const counts = { skips: 0, kicks: 0 };
    const gate = new Gate(cfg, null, { ...noGateMetrics, backpressureSkip: () => counts.skips++, backpressureKick: () => counts.kicks++ }, silentLog);
    const ws = fakeSocket();
    const c = new Connection(7, ws as unknown as WebSocket, '127.0.0.1', silentLog);
    c.phase = 'playing';
    gate.connections.set(7, c);
    const frame = Buffer.from([65, 1, 2, 3]);

    gate.reports.frame(0, 7, FrameKind.SNAPSHOT, 1, frame, 0, 4);
    expect(ws.sent).toHaveLength(1);

    ws.bufferedAmount = 10_000; // the client stopped reading
    gate.reports.frame(0, 7, FrameKind.SNAPSHOT, 2, frame, 0, 4);
    gate.reports.frame(0, 7, FrameKind.EVENT, 3, frame, 1, 3);
    expect(ws.sent).toHaveLength(2);
    expect([...ws.sent[1]]).toEqual([1, 2]);
    expect(counts.skips).toBe(1);

    vi.advanceTimersByTime(2000);
    gate.reports.frame(0, 7, FrameKind.SNAPSHOT, 4, frame, 0, 4);
    expect(ws.closed).toBeUndefined();

    ws.bufferedAmount = 100; // caught up: the clock resets
    gate.reports.frame(0, 7, FrameKind.SNAPSHOT, 5, frame, 0, 4);
    expect(ws.sent).toHaveLength(3);

    ws.bufferedAmount = 10_000;
    gate.reports.frame(0, 7, FrameKind.SNAPSHOT, 6, frame, 0, 4);
    vi.advanceTimersByTime(3500);
    gate.reports.frame(0, 7, FrameKind.SNAPSHOT, 7, frame, 0, 4);
    expect(ws.closed).toBe(CloseCode.SLOW_CONSUMER);
    expect(counts.kicks).toBe(1);
    void gate.shutdown(10);
  });

  it('never sends a snapshot older than one already sent (the old and new owner drain apart)', () => {
    const gate = new Gate(loadConfig({}), null, noGateMetrics, silentLog);
    const ws = fakeSocket();
    const c = new Connection(8, ws as unknown as WebSocket, '127.0.0.1', silentLog);
    c.phase = 'playing';
    gate.connections.set(8, c);
    const frame = Buffer.from([65, 1, 2, 3]);
    gate.reports.frame(0, 8, FrameKind.SNAPSHOT, 10, frame, 0, 4); // from the new owner
    gate.reports.frame(0, 8, FrameKind.SNAPSHOT, 9, frame, 0, 4); // the old owner's last, drained later
    gate.reports.frame(0, 8, FrameKind.SNAPSHOT, 10, frame, 0, 4); // a duplicate tick
    gate.reports.frame(0, 8, FrameKind.EVENT, 9, frame, 1, 3); // events are never dropped for order
    gate.reports.frame(0, 8, FrameKind.SNAPSHOT, 11, frame, 0, 4);
    expect(ws.sent.map((b) => b.length)).toEqual([4, 2, 4]);
    expect(gate.staleFrames).toBe(2);
    void gate.shutdown(10);
  });
});
