/**
 * The embedded database's start-up settings (pglite-options.ts): the
 * server's PGlite thread runs with the shared_buffers it is given and one
 * connection's tables, on a new data folder (created by a child process
 * that exits) and on an existing one; a folder that cannot be created
 * stops the open with PGlite's reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needsInitdb } from '../../../src/main/persistence/pglite-options.ts';
import { openPgliteWorker } from '../../../src/main/persistence/pglite-worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'pglite-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function settingsOf(dataDir: string, sharedBuffersMb: number): Promise<Record<string, string>> {
  const db = await openPgliteWorker(dataDir, { sharedBuffersMb });
  try {
    const out: Record<string, string> = {};
    for (const name of ['shared_buffers', 'max_connections', 'work_mem']) {
      const [row] = await db.query<Record<string, string>>(`SHOW ${name}`);
      out[name] = row![name]!;
    }
    return out;
  } finally {
    await db.close();
  }
}

describe('PGlite start-up settings', () => {
  it('applies shared_buffers to a new data folder and again to the existing one', async () => {
    const dataDir = join(dir, 'pg');
    expect(needsInitdb(dataDir)).toBe(true);
    expect(await settingsOf(dataDir, 8)).toEqual({ shared_buffers: '8MB', max_connections: '8', work_mem: '2MB' });
    expect(needsInitdb(dataDir)).toBe(false);
    expect((await settingsOf(dataDir, 24)).shared_buffers).toBe('24MB');
  }, 120_000);

  it('stops the open with the reason when the data folder cannot be created', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(openPgliteWorker(join(file, 'pg'))).rejects.toThrow(/PGlite failed to create/);
  }, 60_000);
});
