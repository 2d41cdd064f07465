/**
 * Shutdown: close() writes every online character's latest state before it
 * returns, even when the periodic save would not have run for minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../../src/main/persistence/pglite-local.ts';
import { openStorage } from '../../../src/main/persistence/storage.ts';
import { insertAccount, insertCharacter } from '../../../src/main/persistence/store.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-close-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// The database starts from the initdb-only template (helpers/pglite-template.ts).
beforeAll(() => seedPglite(join(dataDir, 'pglite')));

describe('Storage.close (embedded)', () => {
  it('saves every online character and leaves no checkpoint behind', async () => {
    const p = await openStorage({ dataDir, saveIntervalMs: 600_000, checkpointIntervalMs: 100 });
    let id: number;
    try {
      const accountId = await insertAccount(p.db, 'closer', 'not-a-real-hash');
      const appearance = { body: 0, hair: 0, color: 0 };
      const created = await insertCharacter(p.db, { accountId, name: 'Closer', nameKey: 'closer', classId: 4, appearance, zone: 'meadow', x: 0, y: 0, hp: 100 }, 8);
      id = created!.id;
      expect(await p.loadCharacter(id)).toMatchObject({ accountId, characterId: id, from: 'database' });
      for (let i = 1; i <= 5; i++) p.updateState(id, { zone: 'meadow', x: i, y: 2 * i, hp: 50 + i });
      await new Promise((r) => setTimeout(r, 250));
      expect(p.stats().saveQueueDepth).toBe(1);
      expect(p.stats().savesTotal).toBe(0);
    } finally {
      await p.close();
    }
    expect(p.stats()).toMatchObject({ saveQueueDepth: 0, savesTotal: 1 });
    const db = await openPglite(join(dataDir, 'pglite'));
    try {
      expect(await db.query('SELECT x, y, hp FROM characters WHERE id = $1', [id])).toEqual([{ x: 5, y: 10, hp: 55 }]);
    } finally {
      await db.close();
    }
    const { openFileCheckpoints } = await import('../../../src/main/persistence/checkpoints.ts');
    expect((await openFileCheckpoints(dataDir).all()).size).toBe(0);
  });

  it('saves level and experience with the state and loads them back; a state without them keeps the row\'s', async () => {
    const p = await openStorage({ dataDir, saveIntervalMs: 600_000, checkpointIntervalMs: 100 });
    let id: number;
    try {
      const accountId = await insertAccount(p.db, 'leveller', 'not-a-real-hash');
      const appearance = { body: 0, hair: 0, color: 0 };
      id = (await insertCharacter(p.db, { accountId, name: 'Leveller', nameKey: 'leveller', classId: 1, appearance, zone: 'meadow', x: 0, y: 0, hp: 100 }, 8))!.id;
      expect(await p.loadCharacter(id)).toMatchObject({ level: 1, xp: 0 });
      p.leaveWorld(id, { zone: 'meadow', x: 1, y: 1, hp: 90, level: 3, xp: 410 });
    } finally {
      await p.close();
    }
    const q = await openStorage({ dataDir, saveIntervalMs: 600_000, checkpointIntervalMs: 100 });
    try {
      expect(await q.loadCharacter(id)).toMatchObject({ level: 3, xp: 410, hp: 90 });
      q.leaveWorld(id, { zone: 'meadow', x: 2, y: 2, hp: 80 });
    } finally {
      await q.close();
    }
    const db = await openPglite(join(dataDir, 'pglite'));
    try {
      expect(await db.query('SELECT hp, level, xp::float8 AS xp FROM characters WHERE id = $1', [id])).toEqual([{ hp: 80, level: 3, xp: 410 }]);
    } finally {
      await db.close();
    }
  });
});
