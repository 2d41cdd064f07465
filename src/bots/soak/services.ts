/**
 * Real PostgreSQL and Redis for integration tests and the soak (npm run
 * soak): each started on a free
 * loopback port with a throwaway data folder, and removed afterwards. When
 * the binaries are missing these throw with what to install: the suites that
 * need them fail loudly instead of skipping.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function requireBinaries(): void {
  const missing: string[] = [];
  if (!existsSync(join(PG_BIN, 'initdb'))) missing.push(`PostgreSQL (${PG_BIN}/initdb; Debian package postgresql)`);
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    missing.push('redis-server (Debian package redis-server)');
  }
  if (missing.length) {
    throw new Error(`integration tests need real services, missing: ${missing.join(', ')}. Install them (apt-get install -y postgresql redis-server) or run .ci/run.`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PgServer {
  url: string;
  /** Fast shutdown (connections are cut); the data stays for start(). */
  stop(): void;
  start(): void;
  /** Stops it and deletes the data folder. */
  dispose(): void;
}

/** PostgreSQL refuses to run as root: as root, run its tools as the postgres user; otherwise as ourselves. */
const IS_ROOT = process.getuid?.() === 0;

function asPostgres(args: string[]): string {
  const [cmd, ...rest] = IS_ROOT ? ['runuser', '-u', 'postgres', '--', ...args] : args;
  return execFileSync(cmd!, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

/** initdb + pg_ctl start as the postgres user (initdb refuses root). */
export async function startPostgres(): Promise<PgServer> {
  requireBinaries();
  const root = mkdtempSync(join(tmpdir(), 'tessera-pg-'));
  chmodSync(root, 0o755);
  if (IS_ROOT) {
    const pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, pgUid, pgGid);
  }
  const data = join(root, 'data');
  const sock = join(root, 'sock');
  asPostgres(['mkdir', '-p', sock]);
  asPostgres([join(PG_BIN, 'initdb'), '-D', data, '-U', 'tessera', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
  const port = await freePort();
  const opts = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`;
  let running = false;
  const server: PgServer = {
    url: `postgresql://tessera@127.0.0.1:${port}/postgres`,
    start() {
      asPostgres([join(PG_BIN, 'pg_ctl'), '-D', data, '-o', opts, '-l', join(root, 'log'), '-w', '-t', '30', 'start']);
      running = true;
    },
    stop() {
      if (!running) return;
      asPostgres([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      running = false;
    },
    dispose() {
      try {
        server.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
  server.start();
  return server;
}

export interface RedisServer {
  url: string;
  /** Stops it (SIGKILL: as a crash; no persistence, so it comes back empty). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** A redis-server on a free loopback port, without persistence (a restart starts empty). */
export async function startRedis(): Promise<RedisServer> {
  requireBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    let out = '';
    c.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 15_000;
    // Bounded wait for the "Ready to accept connections" line.
    while (!out.includes('Ready to accept connections')) {
      if (c.exitCode !== null || Date.now() > deadline) {
        c.kill('SIGKILL');
        throw new Error(`redis-server did not start:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => halt('SIGKILL'),
    start: launch,
    async dispose() {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
