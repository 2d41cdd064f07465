/**
 * Runs the bot harness against a real server started as a child process
 * (guests, small N), and checks that the report is present and sane. A
 * whole-server test, so it lives with the other bot tests but starts its own
 * server on a free port with a throwaway DATA_DIR.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBotOptions } from '../../src/bots/options.ts';
import { runBots } from '../../src/bots/run.ts';
import { startServer, type ServerProcess } from '../../src/bots/server-process.ts';
import { START_ENV } from '../../src/main/start-env.ts';
import { seedPglite } from '../helpers/pglite-template.ts';

let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-bots-'));
  // The database from the initdb-only template (helpers/pglite-template.ts): no initdb of its own.
  await seedPglite(join(dataDir, 'pglite'));
  server = await startServer({
    DATA_DIR: dataDir,
    ALLOW_GUESTS: '1',
    NPC_COUNT: '40',
    LOG_LEVEL: 'warn',
    // For the account path: a cheap hash and no per-address limits (every bot logs in from 127.0.0.1).
    SCRYPT_LOG2N: '10',
    HASH_THREADS: '1',
    REGISTER_LIMIT_PER_IP: '100000',
    LOGIN_LIMIT_PER_IP: '100000',
    // Every bot comes from 127.0.0.1; the gate's per-address limits are tested in test/e2e/gate-limits.test.ts.
    GATE_IP_LIMIT_EXEMPT: 'loopback',
  });
}, 90_000);

afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('bots against a real server', () => {
  it('the server runs with the start settings npm start gives it (main/start-env.ts)', async () => {
    const environ = (await readFile(`/proc/${server.pid}/environ`, 'utf8')).split('\0');
    expect(environ).toContain(`MALLOC_MMAP_THRESHOLD_=${START_ENV.MALLOC_MMAP_THRESHOLD_}`);
    // The compile cache's folder: the start settings' own, or one the test process already chose.
    expect(environ.some((e) => /^NODE_COMPILE_CACHE=.+/.test(e))).toBe(true);
  });

  it('20 guest bots: everyone connects, snapshots at the tick rate, no errors', async () => {
    const report = await runBots(
      { ...defaultBotOptions(20), url: server.url, count: 20, duration: 6, ramp: 1, guests: true, workers: 2, behavior: 'mixed', progress: false },
      { serverPid: server.pid },
    );
    expect(report.connected).toBe(20);
    expect(report.failed).toBe(0);
    expect(report.openAtEnd).toBe(20);
    expect(report.disconnects).toBe(0);
    expect(report.errors).toBe(0);
    // 20 Hz server: every bot gets about 20 snapshots a second.
    expect(report.snapshotsPerSecondPerBot.min!).toBeGreaterThan(15);
    expect(report.snapshotsPerSecondPerBot.max!).toBeLessThan(25);
    expect(report.rttMs.ping.count).toBeGreaterThan(20);
    expect(report.rttMs.ping.p99!).toBeGreaterThan(0);
    expect(report.rttMs.input.count).toBeGreaterThan(100);
    // An input is applied at the next tick: its round trip is at least a fraction of a tick, below a second.
    expect(report.rttMs.input.p50!).toBeLessThan(1000);
    expect(report.snapshotGapMs.p50!).toBeGreaterThan(35);
    expect(report.snapshotGapMs.p50!).toBeLessThan(65);
    expect(report.bytesPerSecondPerBot.in.mean!).toBeGreaterThan(20 * 17); // at least the snapshot headers
    expect(report.bytesPerSecondPerBot.out.mean!).toBeGreaterThan(0);
    expect(report.joinMs.count).toBe(20);
    const s = report.server!;
    expect(s).not.toBeNull();
    expect(s.source).toBe('metrics');
    expect(s.cpuCores).not.toBeNull();
    expect(s.rssBytes!).toBeGreaterThan(10 * 2 ** 20);
    expect(s.tick!.phase).toBe('total');
    // Two cells at 20 Hz over a window of about 4 s.
    expect(s.tick!.ticks).toBeGreaterThan(100);
    expect(s.tick!.worstCellP99Ms).not.toBeNull();
  }, 60_000);

  it('npm run bots: the CLI prints the table, writes the JSON report and exits 0', async () => {
    const reportPath = join(dataDir, 'cli-report.json');
    const cli = new URL('../../src/bots/cli.ts', import.meta.url).pathname;
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cli, '--url', server.url, '--count', '5', '--duration', '4', '--ramp', '1', '--guests', '--no-progress', '--report', reportPath, '--prefix', 'cli'],
        { timeout: 30_000 },
        (_err, out) => resolve({ code: child.exitCode, stdout: out }),
      );
    });
    expect(stdout).toMatch(/bots connected \/ target\s+5 \/ 5/);
    expect(stdout).toMatch(/server tick \(total\)/);
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(reportPath, 'utf8')) as { connected: number; failed: number; options: { count: number } };
    expect(Object.keys(json).slice(0, 2)).toEqual(['connected', 'failed']);
    expect(json).toMatchObject({ connected: 5, failed: 0, options: { count: 5 } });
  }, 60_000);

  it('bots with accounts register, log in, create a character and play', async () => {
    const report = await runBots(
      { ...defaultBotOptions(5), url: server.url, count: 5, duration: 6, ramp: 1, guests: false, workers: 1, progress: false, prefix: 'etoe' },
      { serverPid: server.pid },
    );
    expect(report.failedByReason).toEqual({});
    expect(report.connected).toBe(5);
    expect(report.errors).toBe(0);
    expect(report.snapshotsPerSecondPerBot.min!).toBeGreaterThan(15);
    expect(report.joinMs.count).toBe(5);
    expect(report.server?.source).toBe('metrics');
  }, 90_000);
});
