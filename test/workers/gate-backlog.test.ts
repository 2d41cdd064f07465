/**
 * A cell sheds its frames while the gate has not read those of
 * GATE_BACKLOG_MS ago: a stalled gate finds a few ticks of frames waiting,
 * not seconds of them, and its players' next frames are deltas again.
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../src/shared/ring.ts';
import { RingHeader, StatSlot } from '../../src/shared/layout.ts';
import { maxFrameInterval } from '../../src/shared/send-rate.ts';
import { backlogTicks, GATE_BACKLOG_MS, GateBacklog } from '../../src/workers/gate-backlog.ts';
import { AckingClients } from './fixtures/acking-clients.ts';
import { InThreadZone } from './fixtures/in-thread-zone.ts';

function drain(ring: Ring): void {
  while (ring.peek() >= 0) ring.release();
  ring.done();
}

describe('GateBacklog', () => {
  it('spans GATE_BACKLOG_MS in ticks, at least two', () => {
    expect(backlogTicks(20)).toBe(Math.ceil((GATE_BACKLOG_MS * 20) / 1000));
    expect(backlogTicks(60)).toBe(Math.ceil((GATE_BACKLOG_MS * 60) / 1000));
    expect(backlogTicks(1)).toBe(2);
    expect(() => new GateBacklog(0)).toThrow(RangeError);
  });

  it('is behind only once the consumer has not read what was written by the end of the tick `ticks` ago', () => {
    const ring = Ring.create(1024);
    const b = new GateBacklog(3);
    for (let t = 1; t <= 10; t++) {
      expect(b.behind(ring, t)).toBe(false);
      ring.push(new Uint8Array(8));
      b.mark(ring, t);
      drain(ring); // a prompt consumer
    }
    // The consumer stops after tick 10: ticks 11 to 13 still write, tick 14 finds tick 11's end unread.
    for (let t = 11; t <= 13; t++) {
      expect(b.behind(ring, t)).toBe(false);
      ring.push(new Uint8Array(8));
      b.mark(ring, t);
    }
    expect(b.behind(ring, 14)).toBe(true);
    b.mark(ring, 14); // nothing written: the same position
    expect(b.behind(ring, 15)).toBe(true);
    drain(ring);
    expect(b.behind(ring, 16)).toBe(false);
  });

  it('reads positions across the 30-bit wrap (Ring.readPast)', () => {
    const ring = Ring.create(256);
    const h = new Int32Array(ring.buffer, 0, RingHeader.words);
    // Both positions just below the wrap.
    const start = (1 << 30) - 16;
    Atomics.store(h, RingHeader.writePos, start);
    Atomics.store(h, RingHeader.readPos, start);
    ring.push(new Uint8Array(40));
    const end = ring.writePosition;
    expect(end).toBeLessThan(start); // wrapped
    expect(ring.readPast(end)).toBe(false);
    drain(ring);
    expect(ring.readPast(end)).toBe(true);
    expect(ring.readPast(start)).toBe(true);
  });
});

describe('a cell while the gate is behind', () => {
  it('writes backlogTicks of frames into a stalled gate, then a frame per player only as often as its events need, and deltas again once it reads', () => {
    const z = new InThreadZone({ spec: { tickHz: 20, sendHz: 20 }, cell: { wanderers: 20, wanderSpeed: 3 } });
    const cl = new AckingClients(z);
    cl.join(1, 20, 16);
    cl.join(2, 24, 16);
    cl.ticks(30);
    const sum = (slot: number) => z.cells.reduce((n, c) => n + c.stats[slot], 0);
    expect(sum(StatSlot.framesShed)).toBe(0);
    const before = cl.frames.get(1)!.length;
    expect(cl.frames.get(2)!.length).toBe(before);
    const lastTick = cl.frames.get(1)![before - 1].tick;

    const stall = 24;
    cl.stalled = true;
    cl.ticks(stall);
    cl.stalled = false;
    cl.ticks(1); // the gate reads what waited
    const n = backlogTicks(20);
    const longest = maxFrameInterval(1);
    let sent = 0;
    for (const conn of [1, 2]) {
      const during = cl.frames.get(conn)!.slice(before);
      // The stall's first ticks in full, then one frame every `longest` ticks at most.
      expect(during.slice(0, n).map((f) => f.tick - lastTick)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(during.length).toBeLessThanOrEqual(n + Math.ceil((stall - n) / longest));
      let prev = lastTick;
      for (const f of during) {
        expect(f.tick - prev).toBeLessThanOrEqual(longest);
        prev = f.tick;
      }
      sent += during.length;
    }
    // Most of the stall's due frames were shed (fewer fall due once the players' missing acks pace them).
    const shed = sum(StatSlot.framesShed);
    expect(sent).toBeLessThanOrEqual(2 * (n + Math.ceil((stall - n) / longest)));
    expect(shed).toBeGreaterThan(sent);

    const resumed = cl.frames.get(1)!.length;
    cl.ticks(20);
    for (const conn of [1, 2]) {
      const after = cl.frames.get(conn)!.slice(resumed);
      expect(after).toHaveLength(20);
      // Deltas against acknowledged states, as before the stall: no full snapshot for a gap.
      expect(after.every((f) => f.baseTick !== 0)).toBe(true);
    }
    expect(sum(StatSlot.framesShed)).toBe(shed);
    // Every frame found every tick's events and say lines since the player's last one still in the logs.
    expect(sum(StatSlot.logTicksMissed)).toBe(0);
  });
});
