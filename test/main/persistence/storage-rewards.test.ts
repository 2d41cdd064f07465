/**
 * The stored rewards a character's experience includes (rewardSeq,
 * migrations/007) travel with that experience through persistence (the
 * embedded default: PGlite and the checkpoint file): a checkpoint left by a
 * crash is loaded with its own rewardSeq and saved with it at the next
 * start, and that save cleans up the owed rows it covers and no others; a
 * state without one (from before rewards were numbered) takes the row's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileCheckpoints } from '../../../src/main/persistence/checkpoints.ts';
import { openStorage, type Storage } from '../../../src/main/persistence/storage.ts';
import { insertAccount, insertCharacter } from '../../../src/main/persistence/store.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-rewards-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// The database starts from the initdb-only template (helpers/pglite-template.ts).
beforeAll(() => seedPglite(join(dataDir, 'pglite')));

const open = () => openStorage({ dataDir, saveIntervalMs: 600_000, checkpointIntervalMs: 100 });

async function savesLanded(s: Storage): Promise<void> {
  for (const end = Date.now() + 10_000; s.stats().saveQueueDepth > 0; ) {
    if (Date.now() > end) throw new Error('saves did not land');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('rewardSeq in persistence', () => {
  it('a crash\'s checkpoint is loaded and saved with its own rewardSeq; the save removes the owed rows it covers', async () => {
    const a = await open();
    let id = 0;
    let other = 0;
    try {
      const accountId = await insertAccount(a.db, 'owed', 'not-a-real-hash');
      const appearance = { body: 0, hair: 0, color: 0 };
      const make = async (name: string) => (await insertCharacter(a.db, { accountId, name, nameKey: name.toLowerCase(), classId: 1, appearance, zone: 'meadow', x: 0, y: 0, hp: 100 }, 8))!.id;
      id = await make('Owed');
      other = await make('Older');
      for (const seq of [1, 2, 3]) await a.db.query("INSERT INTO experience_owed (character_id, seq, amount, reason, key) VALUES ($1, $2, 100, 'quest:q', $3)", [id, seq, `k${seq}`]);
      await a.db.query("INSERT INTO experience_owed (character_id, seq, amount, reason, key) VALUES ($1, 1, 100, 'quest:q', 'k1')", [other]);
      await a.db.query('UPDATE characters SET reward_seq = 1 WHERE id = $1', [other]);
      expect(await a.loadCharacter(id)).toMatchObject({ xp: 0, rewardSeq: 0, from: 'database' });
    } finally {
      await a.close();
    }
    // What a SIGKILL leaves: checkpoints newer than the rows, one with rewards paid, one from before they were numbered.
    await openFileCheckpoints(dataDir).put(
      new Map([
        [id, { zone: 'meadow', x: 3, y: 4, hp: 90, level: 3, xp: 300, rewardSeq: 2, at: Date.now() }],
        [other, { zone: 'meadow', x: 5, y: 5, hp: 90, level: 1, xp: 40, at: Date.now() }],
      ]),
    );
    const b = await open();
    try {
      expect(await b.loadCharacter(id)).toMatchObject({ xp: 300, rewardSeq: 2 });
      expect(await b.loadCharacter(other)).toMatchObject({ xp: 40, rewardSeq: 1 });
      await savesLanded(b);
      const rows = await b.db.query<{ id: number; xp: number; reward_seq: number }>('SELECT id, xp::int AS xp, reward_seq::int AS reward_seq FROM characters WHERE id = ANY($1::int[]) ORDER BY id', [[id, other]]);
      expect(rows).toEqual([
        { id, xp: 300, reward_seq: 2 },
        { id: other, xp: 40, reward_seq: 1 },
      ]);
      const owed = await b.db.query<{ character_id: number; seq: number }>('SELECT character_id, seq::int AS seq FROM experience_owed WHERE character_id = ANY($1::int[]) ORDER BY character_id, seq', [[id, other]]);
      expect(owed).toEqual([{ character_id: id, seq: 3 }]);
    } finally {
      await b.close();
    }
    const c = await open();
    try {
      expect(await c.loadCharacter(id)).toMatchObject({ xp: 300, rewardSeq: 2, from: 'database' });
    } finally {
      await c.close();
    }
  });
});
