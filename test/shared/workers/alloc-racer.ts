/**
 * Allocation race party: allocates and frees slots of a shared store as fast
 * as it can, claiming each slot in a shared owner array with compareExchange
 * so that a slot handed out twice is caught the moment it happens.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EntityStore, indexOf } from '../../../src/shared/entity-store.ts';

export interface AllocRacerData {
  store: SharedArrayBuffer;
  capacity: number;
  /** Int32 per slot: the racer holding it, or -1. */
  owner: SharedArrayBuffer;
  /** Int32 [0]: racers ready, spun on so all start together. */
  start: SharedArrayBuffer;
  racers: number;
  me: number;
  iterations: number;
  /** Handles each racer keeps at most before it frees one. */
  hold: number;
}

const d = workerData as AllocRacerData;
const store = new EntityStore(d.store, d.capacity);
const owner = new Int32Array(d.owner);
const start = new Int32Array(d.start);
const held: number[] = [];
let doubleHanded = 0;
let lostClaim = 0;
let staleValid = 0;
let freeRefused = 0;
let full = 0;
let allocated = 0;
let rnd = d.me * 2654435761 + 1;
const next = (): number => {
  rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0;
  return rnd >>> 8;
};

Atomics.add(start, 0, 1);
while (Atomics.load(start, 0) < d.racers) {
  /* spin: start together so the races are real */
}
for (let it = 0; it < d.iterations; it++) {
  if (held.length < d.hold && next() % 3 !== 0) {
    const h = store.allocate();
    if (h < 0) {
      full++;
      continue;
    }
    allocated++;
    const slot = indexOf(h);
    const prev = Atomics.compareExchange(owner, slot, -1, d.me);
    if (prev !== -1) doubleHanded++;
    if (!store.isValid(h)) staleValid++;
    if (next() % 2 === 0) store.publish(h);
    held.push(h);
  } else if (held.length > 0) {
    const k = next() % held.length;
    const h = held[k];
    held[k] = held[held.length - 1];
    held.pop();
    const slot = indexOf(h);
    // Release our claim before the slot can be handed out again.
    if (Atomics.compareExchange(owner, slot, d.me, -1) !== d.me) lostClaim++;
    if (!store.free(h)) freeRefused++;
    if (store.isValid(h)) staleValid++;
  }
}
parentPort!.postMessage({ held, doubleHanded, lostClaim, staleValid, freeRefused, full, allocated });
