/** Arrives at a barrier and reports whether it was released or found it broken. */
import { parentPort, workerData } from 'node:worker_threads';
import { Barrier, BarrierBrokenError } from '../../../src/shared/barrier.ts';

const d = workerData as { barrier: SharedArrayBuffer; parties: number };
const b = new Barrier(d.barrier, d.parties);
try {
  b.arriveAndWait(50);
  parentPort!.postMessage('released');
} catch (e) {
  parentPort!.postMessage(e instanceof BarrierBrokenError ? 'broken' : String(e));
}
