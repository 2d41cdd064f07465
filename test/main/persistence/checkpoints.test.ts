import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileCheckpoints, parseCheckpoint } from '../../../src/main/persistence/checkpoints.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ckpt-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const c = (x: number, at: number) => ({ zone: 'meadow', x, y: 1, hp: 2, at });

describe('file checkpoints', () => {
  it('survive reopening (what a restart after kill -9 sees) and coalesce bursts of writes', async () => {
    const dir = tmp();
    const a = openFileCheckpoints(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => a.put(new Map([[i + 1, c(i, 1000 + i)]]))));
    await a.remove([1, 2]);
    // No close(): the file must already hold everything put and removed.
    const b = openFileCheckpoints(dir);
    const all = await b.all();
    expect(all.size).toBe(198);
    expect(await b.get(200)).toEqual(c(199, 1199));
    expect(await b.get(1)).toBeUndefined();
  });

  it('start empty on a corrupt file and skip malformed entries', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'checkpoints.json'), '{"1": {"zone": "m", "x": 1');
    expect((await openFileCheckpoints(dir).all()).size).toBe(0);
    writeFileSync(join(dir, 'checkpoints.json'), JSON.stringify({ 1: c(1, 5), 2: { zone: 'm', x: 'nope' }, x: c(1, 5) }));
    expect([...(await openFileCheckpoints(dir).all()).keys()]).toEqual([1]);
    expect(parseCheckpoint({ zone: 'm', x: Infinity, y: 0, hp: 0, at: 0 })).toBeUndefined();
    // Level and experience are kept when sound, and left out otherwise (an older checkpoint has none).
    expect(parseCheckpoint({ zone: 'm', x: 1, y: 1, hp: 1, at: 1, level: 4, xp: 900 })).toEqual({ zone: 'm', x: 1, y: 1, hp: 1, at: 1, level: 4, xp: 900 });
    expect(parseCheckpoint({ zone: 'm', x: 1, y: 1, hp: 1, at: 1, level: 0, xp: -1 })).toEqual({ zone: 'm', x: 1, y: 1, hp: 1, at: 1 });
  });

  it('keep the stored rewards the experience includes (rewardSeq) only when sound, and only with the experience', () => {
    const base = { zone: 'm', x: 1, y: 1, hp: 1, at: 1, level: 2, xp: 150 };
    expect(parseCheckpoint({ ...base, rewardSeq: 4 })).toEqual({ ...base, rewardSeq: 4 });
    expect(parseCheckpoint({ ...base, rewardSeq: 0 })).toEqual({ ...base, rewardSeq: 0 });
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, Infinity, '3', null, [2], { seq: 2 }]) {
      expect(parseCheckpoint({ ...base, rewardSeq: bad })).toEqual(base);
    }
    // Without experience, a rewardSeq says nothing (the experience it belongs to is not there).
    expect(parseCheckpoint({ zone: 'm', x: 1, y: 1, hp: 1, at: 1, rewardSeq: 4 })).toEqual({ zone: 'm', x: 1, y: 1, hp: 1, at: 1 });
  });

  it('survive a reopening with their rewardSeq', async () => {
    const dir = tmp();
    await openFileCheckpoints(dir).put(new Map([[5, { ...c(1, 9), level: 1, xp: 30, rewardSeq: 6 }]]));
    expect(await openFileCheckpoints(dir).get(5)).toEqual({ ...c(1, 9), level: 1, xp: 30, rewardSeq: 6 });
  });
});
