/**
 * Crash recovery: a process moves three characters, is killed with SIGKILL
 * (no close, no final save; its periodic save is set far beyond the test),
 * and a new process restores every character from the newest of checkpoint
 * and database, losing at most about one checkpoint interval of progress.
 * Run for the embedded default (file checkpoints) and for real PostgreSQL +
 * Redis.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsAndStorage, type AccountsStorageConfig } from '../helpers/accounts-storage.ts';
import { TEST_TUNING, until } from './accounts-api.suite.ts';
import { serve } from './http-client.ts';
import { startPostgres, startRedis, type PgServer, type RedisServer } from './services.ts';

const CHILD = new URL('./fixtures/crash-child.ts', import.meta.url).pathname;
const STEP_MS = 50;
const CHECKPOINT_MS = 1000;

/** Runs the child until it has walked `steps` steps, SIGKILLs it, returns the last step it reported. */
async function runAndKill(cfg: AccountsStorageConfig, username: string, steps: number): Promise<{ ids: number[]; lastStep: number }> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(cfg), username], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let ids: number[] = [];
  let lastStep = 0;
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (!line.startsWith('{"')) continue;
      const msg = JSON.parse(line) as { ready?: boolean; ids?: number[]; step?: number };
      if (msg.ids) ids = msg.ids;
      if (msg.step) lastStep = msg.step;
      if (lastStep >= steps) {
        child.kill('SIGKILL');
        break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await exited;
  expect(child.signalCode, stderr).toBe('SIGKILL');
  return { ids, lastStep };
}

async function crashAndRecover(cfg: AccountsStorageConfig): Promise<void> {
  const username = `crash${Date.now() % 1e8}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
  const { ids, lastStep } = await runAndKill(cfg, username, 60);
  expect(ids).toHaveLength(3);

  const p = await openAccountsAndStorage(cfg);
  const c = await serve(p);
  try {
    const token = (await c.call('POST', '/api/sessions', { username, password: 'password123' })).json.token;
    for (const id of ids) {
      const e = await p.enterWorld(token, id);
      const restored = e.x - 1000;
      // At most one checkpoint interval (plus scheduling slack) lost.
      expect(restored).toBeGreaterThan(0);
      expect(restored).toBeLessThanOrEqual(lastStep);
      expect((lastStep - restored) * STEP_MS).toBeLessThanOrEqual(CHECKPOINT_MS + 500);
      expect(e.y - 2000).toBe(restored);
    }
    // The checkpoints left by the crash are written back to the database at start.
    await until(() => p.stats().saveQueueDepth === 0 && p.stats().savesTotal >= 3, 20_000);
  } finally {
    await c.close();
    await p.close();
  }
}

describe('crash recovery after SIGKILL', () => {
  const dirs: string[] = [];
  let pgs: PgServer | undefined;
  let rds: RedisServer | undefined;
  beforeAll(async () => {
    pgs = await startPostgres();
    rds = await startRedis();
  });
  afterAll(async () => {
    pgs?.dispose();
    await rds?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const base = (): AccountsStorageConfig => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-crash-'));
    dirs.push(dataDir);
    return { dataDir, saveIntervalMs: 600_000, checkpointIntervalMs: CHECKPOINT_MS, tuning: TEST_TUNING };
  };

  it('embedded: restores from the checkpoint file', { timeout: 120_000 }, async () => {
    await crashAndRecover(base());
  });

  it('real PostgreSQL + Redis: restores from the Redis checkpoint', { timeout: 120_000 }, async () => {
    if (!pgs || !rds) throw new Error('PostgreSQL/Redis did not start');
    await crashAndRecover({ ...base(), databaseUrl: pgs.url, redisUrl: rds.url });
  });
});
