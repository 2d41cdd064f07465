/**
 * Barrier stress party: for each round it publishes the round it reached,
 * arrives, and after release checks that every other party reached the round
 * too (nobody passed early) and that none is two rounds ahead.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Barrier } from '../../../src/shared/barrier.ts';

export interface BarrierPartyData {
  barrier: SharedArrayBuffer;
  parties: number;
  me: number;
  rounds: number;
  /** Int32 per party: the round it has reached. */
  reached: SharedArrayBuffer;
  /** Int32 per round: parties that were told they arrived last. */
  lastCount: SharedArrayBuffer;
  /** Int32 per round: onLast runs that saw a party not yet at this round. */
  onLastBad: SharedArrayBuffer;
}

const d = workerData as BarrierPartyData;
const barrier = new Barrier(d.barrier, d.parties);
const reached = new Int32Array(d.reached);
const lastCount = new Int32Array(d.lastCount);
const onLastBad = new Int32Array(d.onLastBad);
let early = 0;
let ahead = 0;
let rnd = d.me * 7919 + 1;
let round = 0;
const onLast = (): void => {
  // Every party is parked: all of them must have published this round.
  for (let p = 0; p < d.parties; p++) if (Atomics.load(reached, p) !== round) Atomics.add(onLastBad, round, 1);
};
for (round = 1; round <= d.rounds; round++) {
  // Jitter so arrival order changes from round to round.
  rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0;
  const spin = (rnd >>> 16) % 8 === 0 ? (rnd >>> 8) % 2000 : 0;
  let x = 0;
  for (let i = 0; i < spin; i++) x += i;
  if (x < 0) break;
  Atomics.store(reached, d.me, round);
  if (barrier.arriveAndWait(100, onLast)) Atomics.add(lastCount, round, 1);
  for (let p = 0; p < d.parties; p++) {
    const r = Atomics.load(reached, p);
    if (r < round) early++;
    if (r > round + 1) ahead++;
  }
}
parentPort!.postMessage({ early, ahead, generation: barrier.generation });
