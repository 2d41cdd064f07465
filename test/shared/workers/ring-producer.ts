/**
 * Ring stress producer: writes `count` messages (see ring-payload.ts) into
 * the ring in random batches, sometimes over-reserving and sometimes
 * cancelling, and blocks on the consumer's progress word when the ring is full.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Ring } from '../../../src/shared/ring.ts';
import { sizeOf, writeMessage } from './ring-payload.ts';

export interface RingProducerData {
  ring: SharedArrayBuffer;
  /** Int32 words: [0] consumer progress (bumped and notified after each done()). */
  progress: SharedArrayBuffer;
  count: number;
  maxSize: number;
  deadlineMs: number;
}

const d = workerData as RingProducerData;
const ring = new Ring(d.ring);
const progress = new Int32Array(d.progress);
let refused = 0;
let cancels = 0;
let rnd = 12345;
const next = (): number => {
  rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0;
  return rnd >>> 8;
};
const deadline = Date.now() + d.deadlineMs;
let seq = 0;
let error: string | null = null;
outer: while (seq < d.count) {
  const batch = 1 + (next() % 16);
  for (let k = 0; k < batch && seq < d.count; k++) {
    const size = sizeOf(seq, d.maxSize);
    const slack = next() % 4 === 0 ? next() % 64 : 0;
    const reserveLen = Math.min(size + slack, ring.maxMessage);
    for (;;) {
      // Read the progress word *before* trying: a done() after this load
      // changes it, so the wait below cannot miss the space being freed.
      const seen = Atomics.load(progress, 0);
      const at = ring.reserve(reserveLen);
      if (at >= 0) {
        if (next() % 97 === 0) {
          ring.cancel();
          cancels++;
          continue;
        }
        writeMessage(ring.bytes, at, seq, size);
        ring.commit(size);
        seq++;
        break;
      }
      refused++;
      ring.flush();
      ring.notify();
      Atomics.wait(progress, 0, seen, 20);
      if (Date.now() > deadline) {
        error = `producer timed out at message ${seq}`;
        break outer;
      }
    }
  }
  ring.flush();
  ring.notify();
}
ring.flush();
ring.notify();
parentPort!.postMessage({ sent: seq, refused, cancels, error });
