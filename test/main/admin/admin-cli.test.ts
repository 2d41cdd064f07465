/** `npm run admin` as a process against an embedded database folder, as an operator runs it before the first start. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../../src/main/persistence/pglite-local.ts';
import { migrate } from '../../../src/main/persistence/migrate.ts';
import { seedPglite } from '../../helpers/pglite-template.ts';

const run = promisify(execFile);
const CLI = new URL('../../../src/main/admin/admin-cli.ts', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-admin-cli-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 120_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run admin', () => {
  it('grants the first admin on the embedded database, lists it, and refuses bad commands with usage', { timeout: 240_000 }, async () => {
    // From the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
    await seedPglite(join(dataDir, 'pglite'));
    const db = await openPglite(join(dataDir, 'pglite'));
    await migrate(db);
    await db.query("INSERT INTO accounts (username, password_hash) VALUES ('founder', 'x')");
    await db.close();
    expect(await admin('grant', 'Founder', 'admin')).toMatchObject({ code: 0, stdout: 'founder is now admin\n' });
    expect(await admin('list')).toMatchObject({ code: 0, stdout: 'founder\tadmin\n' });
    const bad = await admin('grant', 'founder');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: npm run admin');
    expect((await admin('grant', 'ghost', 'admin')).code).toBe(1);
  });
});
