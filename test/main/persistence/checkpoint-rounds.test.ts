/**
 * The checkpoint rounds (persistence/checkpoint-rounds.ts): a state that
 * must be durable before it is told resolves only after a round holding it
 * landed; callers asking while a round waits or runs share the next one
 * (group commit); a failed round is retried and resolves nobody falsely; a
 * character's leave checkpoint answers its callers. The store's puts are
 * driven by hand, so every interleaving is the test's choice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointRounds } from '../../../src/main/persistence/checkpoint-rounds.ts';
import type { Checkpoint, CheckpointStore } from '../../../src/main/persistence/checkpoints.ts';

/** A store whose puts wait until the test settles them, in order. */
class HandStore implements CheckpointStore {
  readonly kind = 'file' as const;
  readonly puts: { entries: Map<number, Checkpoint>; ok: () => void; fail: (e: Error) => void }[] = [];

  put(entries: ReadonlyMap<number, Checkpoint>): Promise<void> {
    return new Promise((ok, fail) => this.puts.push({ entries: new Map(entries), ok, fail }));
  }
  async get(): Promise<Checkpoint | undefined> {
    return undefined;
  }
  async all(): Promise<Map<number, Checkpoint>> {
    return new Map();
  }
  async remove(): Promise<void> {}
  async close(): Promise<void> {}

  /** Waits (bounded) until the rounds have asked for `n` puts. */
  async until(n: number): Promise<void> {
    for (let i = 0; i < 200 && this.puts.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    expect(this.puts.length).toBe(n);
  }
}

const state = (xp: number, at: number): Checkpoint => ({ zone: 'meadow', x: 1, y: 2, hp: 3, level: 1, xp, at });
const silent = { warn: () => {} };
const opened: CheckpointRounds[] = [];
function rounds(store: CheckpointStore, retryMs = 250): CheckpointRounds {
  // A long interval: only the rounds callers ask for run here.
  const r = new CheckpointRounds(store, { intervalMs: 60_000, minGapMs: 0, retryMs, log: silent });
  opened.push(r);
  return r;
}
afterEach(() => {
  for (const r of opened.splice(0)) r.stop();
});

/** Whether `p` has resolved, after letting pending callbacks run. */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe('checkpoint rounds', () => {
  it('resolve a confirmed state only once the round holding it landed; callers during a round share the next one', async () => {
    const store = new HandStore();
    const r = rounds(store);
    const a1 = r.confirm(1, state(10, 100));
    const b1 = r.confirm(2, state(5, 101));
    await store.until(1);
    expect([...store.puts[0].entries.keys()]).toEqual([1, 2]);
    expect(await settled(a1)).toBe(false);

    // Asked while the first round is being written: they wait for the next one.
    const a2 = r.confirm(1, state(20, 102));
    const c1 = r.confirm(3, state(7, 103));
    store.puts[0].ok();
    expect(await settled(a1)).toBe(true);
    expect(await settled(b1)).toBe(true);
    expect(await settled(a2)).toBe(false);
    await store.until(2);
    expect([...store.puts[1].entries]).toEqual([
      [1, state(20, 102)],
      [3, state(7, 103)],
    ]);
    store.puts[1].ok();
    expect(await settled(a2)).toBe(true);
    expect(await settled(c1)).toBe(true);
    expect(r.waiting).toBe(0);
    expect(r.rounds).toBe(2);
  });

  it('a failed round resolves nobody, keeps its states and is tried again; a newer state of the character goes instead', async () => {
    const store = new HandStore();
    const r = rounds(store, 0);
    const a = r.confirm(1, state(10, 100));
    await store.until(1);
    store.puts[0].fail(new Error('redis down'));
    expect(await settled(a)).toBe(false);
    await store.until(2);
    expect(store.puts[1].entries.get(1)).toEqual(state(10, 100));
    // Newer while the retry is written: the retry answers the older caller, the next round the newer.
    const b = r.confirm(1, state(30, 200));
    store.puts[1].ok();
    expect(await settled(a)).toBe(true);
    expect(await settled(b)).toBe(false);
    await store.until(3);
    expect(store.puts[2].entries.get(1)).toEqual(state(30, 200));
    store.puts[2].ok();
    expect(await settled(b)).toBe(true);
    expect(r.failures).toBe(1);
  });

  it('a character that left is answered by its leave checkpoint (or forgotten), and is out of the rounds', async () => {
    const store = new HandStore();
    const r = rounds(store);
    const a = r.confirm(1, state(10, 100));
    const b = r.confirm(2, state(10, 100));
    await store.until(1);
    // Both leave while the round runs; the round fails.
    r.remove(1);
    r.remove(2);
    store.puts[0].fail(new Error('disk full'));
    expect(await settled(a)).toBe(false);
    r.landed(1, 150); // its leave checkpoint, newer, landed
    expect(await settled(a)).toBe(true);
    r.forget(2); // its leave checkpoint failed: nobody to tell
    expect(r.waiting).toBe(0);
    expect(await settled(b)).toBe(false);
    // Nothing left to write: no retry round.
    await new Promise((res) => setTimeout(res, 30));
    expect(store.puts).toHaveLength(1);
    expect(r.has(1)).toBe(false);
  });

  it('the interval rounds write plain states without anyone waiting, and answer callers they happen to hold', async () => {
    const store = new HandStore();
    const r = rounds(store);
    r.set(1, state(10, 100));
    void r.round();
    await store.until(1);
    store.puts[0].ok();
    // Unchanged since: nothing to write.
    await r.round();
    expect(store.puts).toHaveLength(1);
    expect(r.takeAll()).toEqual(new Map([[1, state(10, 100)]]));
    expect(r.has(1)).toBe(false);
  });
});
