import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { RING_POSITION_MASK, RingHeader } from '../../src/shared/layout.ts';
import { Ring } from '../../src/shared/ring.ts';
import { checkMessage } from './workers/ring-payload.ts';
import type { RingProducerData } from './workers/ring-producer.ts';

interface ProducerResult {
  sent: number;
  refused: number;
  cancels: number;
  error: string | null;
}

/**
 * Runs a producer worker against a consumer on this thread through a small
 * ring; checks every message's length, sequence, bytes and checksum.
 */
async function stress(count: number, capacity: number, maxSize: number, startPos: number) {
  const ring = Ring.create(capacity);
  const header = new Int32Array(ring.buffer, 0, RingHeader.words);
  Atomics.store(header, RingHeader.writePos, startPos | 0);
  Atomics.store(header, RingHeader.readPos, startPos | 0);
  const progress = new Int32Array(new SharedArrayBuffer(64));
  const data: RingProducerData = { ring: ring.buffer, progress: progress.buffer as SharedArrayBuffer, count, maxSize, deadlineMs: 25_000 };
  const worker = new Worker(new URL('./workers/ring-producer.ts', import.meta.url), { workerData: data });
  const result = new Promise<ProducerResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  let got = 0;
  let firstError: string | null = null;
  let waits = 0;
  const deadline = Date.now() + 25_000;
  try {
    while (got < count && Date.now() < deadline) {
      // Load the signal before looking: a notify after this load changes it,
      // so wait() below returns at once instead of sleeping through it.
      const seen = ring.signal;
      let batch = 0;
      for (let at = ring.peek(); at >= 0; at = ring.peek()) {
        if (firstError === null) firstError = checkMessage(ring.bytes, at, ring.messageLength, got, maxSize);
        got++;
        ring.release();
        if (++batch === 64) break;
      }
      ring.done();
      Atomics.add(progress, 0, 1);
      Atomics.notify(progress, 0);
      if (batch === 0) {
        waits++;
        ring.wait(seen, 20);
      }
    }
  } finally {
    // The producer may still be parked on a full ring if we bailed out.
    if (got < count) await worker.terminate();
  }
  const r = await result;
  await worker.terminate();
  return { got, firstError, waits, r, ring };
}

describe('ring between a producer worker and a consumer thread', () => {
  it('passes 2,000,000 variable-length messages (1..300 bytes) through a 4 KiB ring, in order, none lost or duplicated', async () => {
    const count = 2_000_000;
    const { got, firstError, r, ring } = await stress(count, 4096, 300, 0);
    expect(r.error).toBeNull();
    expect(firstError).toBeNull();
    expect(r.sent).toBe(count);
    expect(got).toBe(count);
    expect(ring.peek()).toBe(-1); // nothing extra
    expect(ring.used).toBe(0);
    // The ring really filled (and wrapped ~75,000 times: ~300 MB through 4 KiB).
    expect(r.refused).toBeGreaterThan(0);
    expect(ring.fullEvents).toBe(r.refused);
    expect(ring.highWater).toBeLessThanOrEqual(4096);
    expect(ring.highWater).toBeGreaterThan(4096 - 400);
  });

  it('survives the read/write positions wrapping past 2^30 mid-stream', async () => {
    const count = 200_000;
    const { got, firstError, r, ring } = await stress(count, 1024, 200, RING_POSITION_MASK - 500_000 + 1);
    expect(r.error).toBeNull();
    expect(firstError).toBeNull();
    expect(got).toBe(count);
    const header = new Int32Array(ring.buffer, 0, RingHeader.words);
    // ~20 MB went through, so the position is past the wrap.
    expect(Atomics.load(header, RingHeader.writePos)).toBeLessThan(1_000_000_000);
    expect(ring.used).toBe(0);
  });
});
