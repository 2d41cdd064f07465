import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Barrier, BarrierBrokenError } from '../../src/shared/barrier.ts';
import { BarrierFields } from '../../src/shared/layout.ts';
import type { BarrierPartyData } from './workers/barrier-party.ts';

describe('Barrier in one thread', () => {
  it('validates the party count', () => {
    expect(() => Barrier.create(0)).toThrow(/positive integer/);
    expect(() => Barrier.create(1.5)).toThrow(RangeError);
  });

  it('a single party is always last and runs onLast once per round', () => {
    const b = Barrier.create(1);
    let runs = 0;
    for (let i = 0; i < 10; i++) expect(b.arriveAndWait(10, () => runs++)).toBe(true);
    expect(runs).toBe(10);
    expect(b.generation).toBe(10);
  });

  it('a broken barrier makes a waiter throw BarrierBrokenError', () => {
    const b = Barrier.create(2);
    b.break();
    expect(b.isBroken).toBe(true);
    expect(() => b.arriveAndWait(5)).toThrow(BarrierBrokenError);
  });

  it('an onLast that throws breaks the barrier and rethrows', () => {
    const b = Barrier.create(1);
    expect(() =>
      b.arriveAndWait(5, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(b.isBroken).toBe(true);
  });
});

describe('Barrier across worker threads', () => {
  it('holds 4 parties in lockstep over 20,000 rounds: nobody passes early, one last per round', async () => {
    const parties = 4;
    const rounds = 20_000;
    const barrier = Barrier.create(parties);
    const reached = new SharedArrayBuffer(parties * 4);
    const lastCount = new SharedArrayBuffer((rounds + 1) * 4);
    const onLastBad = new SharedArrayBuffer((rounds + 1) * 4);
    const workers = Array.from({ length: parties }, (_, me) => {
      const data: BarrierPartyData = { barrier: barrier.buffer, parties, me, rounds, reached, lastCount, onLastBad };
      return new Worker(new URL('./workers/barrier-party.ts', import.meta.url), { workerData: data });
    });
    const timer = setTimeout(() => barrier.break(), 25_000);
    try {
      const results = await Promise.all(
        workers.map(
          (w) =>
            new Promise<{ early: number; ahead: number; generation: number }>((resolve, reject) => {
              w.once('message', resolve);
              w.once('error', reject);
            }),
        ),
      );
      for (const r of results) {
        expect(r.early).toBe(0);
        expect(r.ahead).toBe(0);
        expect(r.generation).toBeGreaterThanOrEqual(rounds);
      }
      expect(barrier.generation).toBe(rounds);
      expect(barrier.isBroken).toBe(false);
      const last = new Int32Array(lastCount);
      const bad = new Int32Array(onLastBad);
      for (let r = 1; r <= rounds; r++) {
        if (last[r] !== 1) expect.fail(`round ${r} had ${last[r]} last arrivers`);
        if (bad[r] !== 0) expect.fail(`round ${r}: onLast ran before every party arrived`);
      }
    } finally {
      clearTimeout(timer);
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  it('breaking the barrier releases parked parties with BarrierBrokenError', async () => {
    const barrier = Barrier.create(3);
    const workers = [0, 1].map(
      () => new Worker(new URL('./workers/barrier-waiter.ts', import.meta.url), { workerData: { barrier: barrier.buffer, parties: 3 } }),
    );
    const outcomes = workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      barrier.break();
      await expect(Promise.all(outcomes)).resolves.toEqual(['broken', 'broken']);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  it('releases two parked parties when the third arrives', async () => {
    const barrier = Barrier.create(3);
    const workers = [0, 1].map(
      () => new Worker(new URL('./workers/barrier-waiter.ts', import.meta.url), { workerData: { barrier: barrier.buffer, parties: 3 } }),
    );
    const outcomes = workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );
    try {
      // Wait until both workers have arrived (worker start-up is slow on a busy box).
      const words = new Int32Array(barrier.buffer, 0, BarrierFields.words);
      const deadline = Date.now() + 20_000;
      while (Atomics.load(words, BarrierFields.arrived) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(barrier.arriveAndWait(50)).toBe(true);
      await expect(Promise.all(outcomes)).resolves.toEqual(['released', 'released']);
      expect(barrier.generation).toBe(1);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });
});
