import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RING_PAD_MARKER, RING_POSITION_MASK, RING_PREFIX_BYTES, RingHeader } from '../../src/shared/layout.ts';
import { Ring, ringBytes } from '../../src/shared/ring.ts';

/** Puts both positions of an empty ring at `pos` (30-bit), as after a long run. */
function startAt(ring: Ring, pos: number): void {
  const h = new Int32Array(ring.buffer, 0, RingHeader.words);
  Atomics.store(h, RingHeader.writePos, pos | 0);
  Atomics.store(h, RingHeader.readPos, pos | 0);
}

function positions(ring: Ring): { write: number; read: number } {
  const h = new Int32Array(ring.buffer, 0, RingHeader.words);
  return { write: Atomics.load(h, RingHeader.writePos) >>> 0, read: Atomics.load(h, RingHeader.readPos) >>> 0 };
}

function fill(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

/** Pops one message as a copy, or null. */
function pop(ring: Ring): Uint8Array | null {
  const at = ring.peek();
  if (at < 0) {
    ring.done(); // hands back a pad the peek skipped
    return null;
  }
  const out = ring.bytes.slice(at, at + ring.messageLength);
  ring.release();
  ring.done();
  return out;
}

describe('Ring construction', () => {
  it('needs a power-of-two data area of at least 64 bytes', () => {
    expect(() => new Ring(new SharedArrayBuffer(ringBytes(32)))).toThrow(RangeError);
    expect(() => new Ring(new SharedArrayBuffer(ringBytes(100)))).toThrow(RangeError);
    expect(Ring.create(64).capacity).toBe(64);
    expect(Ring.create(64).maxMessage).toBe(32 - RING_PREFIX_BYTES);
  });

  it('refuses a message over maxMessage or negative, whatever the free space', () => {
    const r = Ring.create(256);
    expect(() => r.reserve(r.maxMessage + 1)).toThrow(RangeError);
    expect(() => r.reserve(-1)).toThrow(RangeError);
    expect(r.reserve(r.maxMessage)).toBeGreaterThanOrEqual(0);
  });
});

describe('Ring reserve / commit / flush', () => {
  it('publishes nothing until flush, then every staged message at once, in order', () => {
    const r = Ring.create(1024);
    for (let k = 0; k < 3; k++) {
      const at = r.reserve(10);
      r.bytes.set(fill(10, k), at);
      r.commit(10);
    }
    expect(r.peek()).toBe(-1);
    expect(r.used).toBe(0);
    r.flush();
    expect(r.used).toBe(3 * (RING_PREFIX_BYTES + 12));
    for (let k = 0; k < 3; k++) expect(pop(r)).toEqual(fill(10, k));
    expect(pop(r)).toBeNull();
    expect(r.used).toBe(0);
  });

  it('commits a shorter length than reserved and reports it as messageLength', () => {
    const r = Ring.create(256);
    const at = r.reserve(100);
    r.bytes.set(fill(5, 9), at);
    r.commit(5);
    r.flush();
    expect(r.peek()).toBe(at);
    expect(r.messageLength).toBe(5);
    expect(r.peek()).toBe(at); // peek is idempotent until release
    r.release();
    r.done();
    expect(r.used).toBe(0);
  });

  it('zero-length messages are delivered', () => {
    const r = Ring.create(64);
    expect(r.push(new Uint8Array(0))).toBe(true);
    expect(pop(r)).toEqual(new Uint8Array(0));
  });

  it('rejects misuse of the reservation protocol', () => {
    const r = Ring.create(256);
    expect(() => r.commit(1)).toThrow(/without a reservation/);
    r.reserve(8);
    expect(() => r.reserve(8)).toThrow(/open/);
    expect(() => r.commit(9)).toThrow(RangeError);
    expect(() => r.commit(-1)).toThrow(RangeError);
    r.commit(8);
    expect(() => r.commit(8)).toThrow(/without a reservation/);
  });

  it('cancel abandons the reservation: nothing is published', () => {
    const r = Ring.create(256);
    r.reserve(50);
    r.cancel();
    r.flush();
    expect(r.peek()).toBe(-1);
    expect(r.used).toBe(0);
    // and the ring keeps working
    expect(r.push(fill(7, 1))).toBe(true);
    expect(pop(r)).toEqual(fill(7, 1));
  });

  it('release without done keeps the space; done hands it back in one store', () => {
    const r = Ring.create(256);
    r.push(fill(4, 1));
    r.push(fill(4, 2));
    expect(r.peek()).toBeGreaterThanOrEqual(0);
    r.release();
    expect(r.used).toBe(16);
    expect(r.peek()).toBeGreaterThanOrEqual(0);
    expect(r.bytes.slice(r.peek(), r.peek() + r.messageLength)).toEqual(fill(4, 2));
    r.release();
    r.done();
    expect(r.used).toBe(0);
  });
});

describe('Ring wrap-around and pad marker', () => {
  it('pads to the end when a message does not fit before it and resumes at offset 0', () => {
    const r = Ring.create(128);
    // 64 + 40 bytes: leaves 24 at the end.
    expect(r.push(fill(60, 1))).toBe(true);
    expect(r.push(fill(36, 1))).toBe(true);
    expect(pop(r)).toEqual(fill(60, 1));
    expect(pop(r)).toEqual(fill(36, 1));
    const at = r.reserve(28); // 32 bytes needed, 24 left: pad
    expect(at).toBe(RING_PREFIX_BYTES);
    expect(r.view.getUint32(104, true)).toBe(RING_PAD_MARKER);
    r.bytes.set(fill(28, 2), at);
    r.commit(28);
    r.flush();
    expect(r.used).toBe(24 + 32);
    expect(pop(r)).toEqual(fill(28, 2));
    expect(r.used).toBe(0);
    expect(positions(r)).toEqual({ write: 160, read: 160 });
  });

  it('a cancelled padded reservation publishes only the pad, which the consumer skips', () => {
    const r = Ring.create(128);
    r.push(fill(60, 1));
    r.push(fill(36, 1));
    pop(r);
    pop(r);
    r.reserve(28);
    r.cancel();
    r.flush();
    expect(pop(r)).toBeNull();
    expect(r.used).toBe(0);
    expect(r.push(fill(3, 3))).toBe(true);
    expect(pop(r)).toEqual(fill(3, 3));
  });

  it('counts a full event, changes nothing, and accepts once space is released', () => {
    const r = Ring.create(64);
    expect(r.push(fill(28, 1))).toBe(true); // 32
    expect(r.push(fill(24, 2))).toBe(true); // 28 -> 60 used
    expect(r.fullEvents).toBe(0);
    expect(r.push(fill(4, 3))).toBe(false); // needs 8, 4 free
    expect(r.reserve(0)).toBeGreaterThanOrEqual(0); // a bare prefix fits
    r.cancel();
    expect(r.fullEvents).toBe(1);
    expect(r.highWater).toBe(60);
    expect(pop(r)).toEqual(fill(28, 1));
    expect(r.push(fill(4, 3))).toBe(true);
    expect(pop(r)).toEqual(fill(24, 2));
    expect(pop(r)).toEqual(fill(4, 3));
  });

  it('an empty ring always takes a maxMessage, at any offset', () => {
    for (let off = 0; off < 256; off += 4) {
      const r = Ring.create(256);
      startAt(r, off);
      expect(r.push(fill(r.maxMessage, off))).toBe(true);
      expect(pop(r)).toEqual(fill(r.maxMessage, off));
    }
  });

  it('keeps working when the positions wrap past 2^30', () => {
    const r = Ring.create(512);
    startAt(r, RING_POSITION_MASK - 200 + 1);
    for (let k = 0; k < 200; k++) {
      const size = (k * 13) % 50;
      expect(r.push(fill(size, k))).toBe(true);
      if (k % 3 !== 0) continue;
      // let up to three pile up so used spans the wrap
      for (let m = 0; m < 3; m++) {
        const got = pop(r);
        if (!got) break;
      }
    }
    while (pop(r)) {
      /* drain */
    }
    const p = positions(r);
    expect(p.write).toBe(p.read);
    expect(p.write).toBeLessThan(RING_POSITION_MASK - 200); // it did wrap
    expect(r.used).toBe(0);
  });
});

type Op =
  | { t: 'push'; size: number; extra: number }
  | { t: 'cancel'; size: number }
  | { t: 'flush' }
  | { t: 'pop'; n: number; done: boolean };

const opArb = (max: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ t: fc.constant('push' as const), size: fc.integer({ min: 0, max }), extra: fc.integer({ min: 0, max: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), size: fc.integer({ min: 0, max }) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('flush' as const) }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('pop' as const), n: fc.integer({ min: 1, max: 6 }), done: fc.boolean() }) },
  );

describe('Ring against a queue model (fast-check)', () => {
  it('delivers exactly the flushed messages, in order, for any interleaving and start position', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(64, 128, 256),
        fc.integer({ min: 0, max: RING_POSITION_MASK }),
        fc.array(opArb(60), { maxLength: 300 }),
        (cap, start, ops) => {
          const r = Ring.create(cap);
          startAt(r, start & ~3);
          const max = r.maxMessage;
          const staged: Uint8Array[] = [];
          const published: Uint8Array[] = [];
          let seq = 0;
          let full = 0;
          let pendingDone = false;
          for (const op of ops) {
            if (op.t === 'push' || op.t === 'cancel') {
              const size = Math.min(op.size, max);
              const reserveLen = op.t === 'push' ? Math.min(size + op.extra, max) : size;
              const at = r.reserve(reserveLen);
              if (at < 0) {
                full++;
                continue;
              }
              expect(at + reserveLen).toBeLessThanOrEqual(cap);
              if (op.t === 'cancel') {
                r.cancel();
                continue;
              }
              const msg = fill(size, seq++);
              r.bytes.set(msg, at);
              r.commit(size);
              staged.push(msg);
            } else if (op.t === 'flush') {
              r.flush();
              published.push(...staged.splice(0));
            } else {
              for (let k = 0; k < op.n; k++) {
                const at = r.peek();
                if (at < 0) break;
                const want = published.shift();
                expect(want).toBeDefined();
                expect(r.bytes.slice(at, at + r.messageLength)).toEqual(want);
                r.release();
                pendingDone = true;
              }
              if (op.done && pendingDone) {
                r.done();
                pendingDone = false;
              }
            }
            expect(r.used).toBeLessThanOrEqual(cap);
          }
          // drain: everything flushed comes out, nothing else
          r.flush();
          published.push(...staged.splice(0));
          for (;;) {
            const at = r.peek();
            if (at < 0) break;
            expect(r.bytes.slice(at, at + r.messageLength)).toEqual(published.shift());
            r.release();
          }
          r.done();
          expect(published.length).toBe(0);
          expect(r.used).toBe(0);
          expect(r.fullEvents).toBe(full);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('Ring wake-ups', () => {
  it('notify bumps the signal so a waiter that saw the old value does not sleep', () => {
    const r = Ring.create(64);
    const seen = r.signal;
    r.notify();
    expect(r.signal).toBe(seen + 1);
    const t0 = performance.now();
    r.wait(seen, 2000); // value changed: returns at once
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('waitAsync resolves on notify', async () => {
    const r = Ring.create(64);
    const p = r.waitAsync(r.signal, 5000);
    expect(p).not.toBeNull();
    r.notify();
    await expect(p).resolves.toBe('ok');
  });
});

describe('Ring.done with a message peeked but not released', () => {
  it('keeps that message for the next peek, and the ones after it in order', () => {
    const r = Ring.create(256);
    for (let k = 0; k < 5; k++) expect(r.push(fill(10 + k, k))).toBe(true);
    // Consume two, peek the third, stop there (a consumer that yields mid-batch).
    for (let k = 0; k < 2; k++) {
      r.peek();
      r.release();
    }
    expect(r.peek()).toBeGreaterThanOrEqual(0);
    r.done();
    for (let k = 2; k < 5; k++) expect(pop(r)).toEqual(fill(10 + k, k));
    expect(pop(r)).toBeNull();
    expect(r.used).toBe(0);
  });
});
