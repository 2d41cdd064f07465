import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReliableRing } from '../../src/shared/reliable-ring.ts';
import { Ring } from '../../src/shared/ring.ts';

/** Writes a message of `len` bytes whose first word is `seq`. */
function put(out: ReliableRing, seq: number, len: number): void {
  const at = out.reserve(len);
  expect(at).toBeGreaterThanOrEqual(0);
  out.view.setUint32(at, seq, true);
  out.commit(len);
}

/** Everything the consumer can read now, as sequence numbers. */
function take(ring: Ring, max = Infinity): number[] {
  const got: number[] = [];
  for (let at = ring.peek(); at >= 0 && got.length < max; at = ring.peek()) {
    got.push(ring.view.getUint32(at, true));
    ring.release();
  }
  ring.done();
  return got;
}

describe('ReliableRing: must-deliver messages in front of a ring', () => {
  it('writes straight into the ring while it has room', () => {
    const ring = Ring.create(1024);
    const out = new ReliableRing(ring);
    for (let i = 1; i <= 5; i++) put(out, i, 8);
    expect(out.waiting).toBe(0);
    expect(out.flush()).toBe(0);
    expect(take(ring)).toEqual([1, 2, 3, 4, 5]);
  });

  it('queues when the ring is full, never drops, and keeps order as the ring drains', () => {
    const ring = Ring.create(64); // room for a few 12-byte messages
    const out = new ReliableRing(ring, 16); // a tiny queue that must grow
    for (let i = 1; i <= 40; i++) put(out, i, 12);
    expect(out.waiting).toBeGreaterThan(30);
    expect(out.queuedTotal).toBe(out.waiting);
    const got: number[] = [];
    for (let round = 0; round < 100 && got.length < 40; round++) {
      out.flush();
      got.push(...take(ring, 2)); // a slow consumer
    }
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(out.waiting).toBe(0);
  });

  it('a message never overtakes one that waits, even when the ring has room again', () => {
    const ring = Ring.create(64);
    const out = new ReliableRing(ring);
    for (let i = 1; i <= 10; i++) put(out, i, 12);
    take(ring); // the consumer frees everything, but nothing was flushed yet
    put(out, 11, 12); // must queue behind 5..10, not jump into the ring
    const got: number[] = [];
    for (let round = 0; round < 20 && got.length < 11; round++) {
      out.flush();
      got.push(...take(ring));
    }
    expect(got).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });

  it('under any pattern of writes and partial drains, delivers every message once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 4, max: 40 })), { maxLength: 80 }),
        (steps) => {
          const ring = Ring.create(128);
          const out = new ReliableRing(ring, 8);
          let seq = 0;
          const got: number[] = [];
          for (const [writes, reads, len] of steps) {
            for (let k = 0; k < writes; k++) put(out, ++seq, len);
            if (reads > 0) {
              out.flush();
              got.push(...take(ring, reads));
            }
          }
          for (let k = 0; k < 1000 && got.length < seq; k++) {
            out.flush();
            got.push(...take(ring));
          }
          expect(got).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
        },
      ),
    );
  });

  it('refuses a message larger than the ring could ever hold, queue or not', () => {
    const ring = Ring.create(64);
    const out = new ReliableRing(ring);
    expect(() => out.reserve(1000)).toThrow(RangeError);
    for (let i = 1; i <= 10; i++) put(out, i, 12);
    expect(() => out.reserve(1000)).toThrow(RangeError);
  });

  it('clear() forgets what waits (the destination restarted)', () => {
    const ring = Ring.create(64);
    const out = new ReliableRing(ring);
    for (let i = 1; i <= 10; i++) put(out, i, 12);
    out.flush();
    expect(out.waiting).toBeGreaterThan(0);
    out.clear();
    expect(out.waiting).toBe(0);
    expect(take(ring)).toEqual([1, 2, 3, 4]); // what was already in the ring stays
    put(out, 99, 12);
    out.flush();
    expect(take(ring)).toEqual([99]);
  });
});
