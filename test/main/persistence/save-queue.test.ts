import { afterEach, describe, expect, it } from 'vitest';
import { SaveQueue, type SaveEntry } from '../../../src/main/persistence/save-queue.ts';

const st = (x: number) => ({ zone: 'z', x, y: 0, hp: 1 });
const queues: SaveQueue[] = [];
function make(write: (b: SaveEntry[]) => Promise<void>, extra: Partial<ConstructorParameters<typeof SaveQueue>[0]> = {}): SaveQueue {
  const q = new SaveQueue({ write, intervalMs: 20, baseBackoffMs: 10, maxBackoffMs: 40, ...extra });
  queues.push(q);
  return q;
}
afterEach(() => {
  for (const q of queues.splice(0)) q.stop();
});

describe('SaveQueue', () => {
  it('keeps only the newest state per character and writes it in one batch', async () => {
    const batches: SaveEntry[][] = [];
    const q = make(async (b) => void batches.push(b));
    q.mark({ characterId: 1, state: st(1), at: 1 });
    q.mark({ characterId: 1, state: st(2), at: 2 });
    q.mark({ characterId: 1, state: st(0), at: 0 }); // older: ignored
    q.mark({ characterId: 2, state: st(5), at: 3 });
    expect(q.depth).toBe(2);
    expect(await q.drain(2000)).toBe(true);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((e) => [e.characterId, e.state.x])).toEqual([[1, 2], [2, 5]]);
    expect(q.saved).toBe(2);
  });

  it('retries a failing write with backoff until it lands, never dropping an entry', async () => {
    let calls = 0;
    const landed: SaveEntry[] = [];
    const q = make(async (b) => {
      calls++;
      if (calls <= 4) throw new Error('db down');
      landed.push(...b);
    });
    for (let i = 1; i <= 50; i++) q.mark({ characterId: i, state: st(i), at: i }, true);
    expect(await q.drain(5000)).toBe(true);
    expect(q.failures).toBe(4);
    expect(landed.map((e) => e.characterId).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('does not let a failed old batch overwrite a newer state marked meanwhile', async () => {
    let fail = true;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const landed: SaveEntry[] = [];
    const q = make(async (b) => {
      if (fail) {
        await gate;
        throw new Error('db down');
      }
      landed.push(...b);
    });
    q.mark({ characterId: 7, state: st(1), at: 1 }, true);
    await new Promise((r) => setTimeout(r, 10));
    // While the first write is in flight, a newer state arrives.
    q.mark({ characterId: 7, state: st(2), at: 2 });
    expect(q.unsaved(7)?.at).toBe(2);
    expect(q.depth).toBe(1);
    fail = false;
    release();
    expect(await q.drain(2000)).toBe(true);
    expect(landed.map((e) => e.state.x)).toEqual([2]);
  });

  it('splits large queues into batches of batchSize', async () => {
    const sizes: number[] = [];
    const q = make(async (b) => void sizes.push(b.length), { batchSize: 100 });
    for (let i = 1; i <= 250; i++) q.mark({ characterId: i, state: st(i), at: i });
    expect(await q.drain(2000)).toBe(true);
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('drain gives up at its deadline and reports what is left', async () => {
    const q = make(async () => {
      throw new Error('down for good');
    });
    q.mark({ characterId: 1, state: st(1), at: 1 }, true);
    const t = Date.now();
    expect(await q.drain(200)).toBe(false);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(q.depth).toBe(1);
    expect(q.backingOff).toBe(true);
  });
});
