/**
 * Shutdown: close() writes every online character's latest state before it
 * returns, even when the periodic save would not have run for minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPersistence } from '../../../src/main/persistence/index.ts';
import { openPglite } from '../../../src/main/persistence/db.ts';
import { serve } from '../../integration/http-client.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-close-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('Persistence.close (embedded)', () => {
  it('saves every online character and leaves no checkpoint behind', async () => {
    const p = await openPersistence({ dataDir, allowGuests: false, saveIntervalMs: 600_000, checkpointIntervalMs: 100, tuning: { scryptLog2N: 10, hashThreads: 1 } });
    const c = await serve(p);
    let id: number;
    try {
      await c.call('POST', '/api/accounts', { username: 'closer', password: 'password123' });
      const token = (await c.call('POST', '/api/sessions', { username: 'closer', password: 'password123' })).json.token;
      id = (await c.call('POST', '/api/characters', { name: 'Closer', classId: 4 }, token)).json.character.id;
      await p.enterWorld(token, id);
      for (let i = 1; i <= 5; i++) p.updateState(id, { zone: 'meadow', x: i, y: 2 * i, hp: 50 + i });
      await new Promise((r) => setTimeout(r, 250));
      expect(p.stats().saveQueueDepth).toBe(1);
      expect(p.stats().savesTotal).toBe(0);
    } finally {
      await c.close();
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
});
