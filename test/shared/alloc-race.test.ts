import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { EntityStore, indexOf } from '../../src/shared/entity-store.ts';
import { SlotState } from '../../src/shared/layout.ts';
import type { AllocRacerData } from './workers/alloc-racer.ts';

interface RacerResult {
  held: number[];
  doubleHanded: number;
  lostClaim: number;
  staleValid: number;
  freeRefused: number;
  full: number;
  allocated: number;
}

async function race(racers: number, capacity: number, hold: number, iterations: number) {
  const store = EntityStore.create(capacity);
  const owner = new Int32Array(new SharedArrayBuffer(capacity * 4)).fill(-1);
  const start = new SharedArrayBuffer(4);
  const workers = Array.from({ length: racers }, (_, me) => {
    const data: AllocRacerData = { store: store.buffer, capacity, owner: owner.buffer as SharedArrayBuffer, start, racers, me, iterations, hold };
    return new Worker(new URL('./workers/alloc-racer.ts', import.meta.url), { workerData: data });
  });
  try {
    const results = await Promise.all(
      workers.map(
        (w) =>
          new Promise<RacerResult>((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    return { store, owner, results };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

describe('lock-free slot allocation under concurrent workers', () => {
  for (const [label, capacity, hold] of [
    ['a contended store (64 slots, 4 racers holding up to 24 each: often full)', 64, 24],
    ['a roomy store (4096 slots)', 4096, 200],
  ] as const) {
    it(`never hands one slot out twice: ${label}`, async () => {
      const racers = 4;
      const { store, owner, results } = await race(racers, capacity, hold, 1_500_000);
      let heldTotal = 0;
      const seen = new Set<number>();
      for (const [me, r] of results.entries()) {
        expect(r.doubleHanded).toBe(0);
        expect(r.lostClaim).toBe(0);
        expect(r.staleValid).toBe(0);
        expect(r.freeRefused).toBe(0);
        expect(r.allocated).toBeGreaterThan(10_000);
        heldTotal += r.held.length;
        for (const h of r.held) {
          const slot = indexOf(h);
          expect(seen.has(slot)).toBe(false);
          seen.add(slot);
          expect(owner[slot]).toBe(me);
          expect(store.isValid(h)).toBe(true);
        }
      }
      if (capacity === 64) expect(results.some((r) => r.full > 0)).toBe(true);
      // The live count matches what the racers hold, and the slot states agree.
      expect(store.liveCount).toBe(heldTotal);
      let notFree = 0;
      for (let s = 0; s < capacity; s++) {
        if (store.f.state[s] !== SlotState.FREE) notFree++;
        if (owner[s] === -1) expect(store.f.state[s]).toBe(SlotState.FREE);
      }
      expect(notFree).toBe(heldTotal);
    });
  }
});
