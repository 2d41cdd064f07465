/**
 * What the coordinator of an embedded server loads: every module a thread
 * loads stays in its V8 heap for good (source, code, the objects it made
 * at import), so the drivers of services the configuration does not use
 * are loaded only when it does (persistence/storage.ts): no pg or ioredis
 * without DATABASE_URL or REDIS_URL, and PGlite only on its own thread.
 * Nor Node's fetch (undici), which an ES import of node:http would load
 * (src/shared/node-http.ts says why).
 * Recorded from a real server process by a module-load hook.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';

const HOOK = new URL('./fixtures/record-module-loads.ts', import.meta.url).pathname;
const PACKAGES = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;

function packagesIn(file: string): Set<string> {
  const out = new Set<string>();
  for (const url of readFileSync(file, 'utf8').split('\n')) {
    const m = PACKAGES.exec(url);
    if (m) out.add(m[1]);
  }
  return out;
}

describe('an embedded server\'s coordinator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-loads-'));
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ NODE_OPTIONS: `--import=${HOOK}`, RECORD_MODULE_LOADS_DIR: dir });
  }, 90_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
  });

  it('loads neither PostgreSQL\'s nor Redis\'s driver, nor PGlite, which its own thread loads', () => {
    const pid = server!.child.pid;
    const main = packagesIn(join(dir, `${pid}-main.txt`));
    // The hook saw the coordinator's own packages: the check can fail.
    expect(main.has('ws')).toBe(true);
    expect(main.has('pino')).toBe(true);
    expect([...main].filter((p) => p === 'pg' || p.startsWith('pg-') || p === 'ioredis' || p.startsWith('@ioredis/') || p === '@electric-sql/pglite')).toEqual([]);
    const threads = readdirSync(dir).filter((f) => f.startsWith(`${pid}-t`));
    expect(threads.some((f) => packagesIn(join(dir, f)).has('@electric-sql/pglite'))).toBe(true);
  });

  it('never loads undici, Node\'s fetch, on any thread, from start to stop', async () => {
    const pid = server!.child.pid;
    // Stopped first: the lists are written as each thread exits, so they hold everything it ever loaded.
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    const lists = readdirSync(dir).filter((f) => f.startsWith(`${pid}-`) && f.endsWith('-builtins.txt'));
    const main = readFileSync(join(dir, `${pid}-main-builtins.txt`), 'utf8').split('\n');
    // The lists name what was loaded: the HTTP server's module is there.
    expect(main).toContain('NativeModule http');
    expect(lists.length).toBeGreaterThan(1);
    for (const f of lists) expect(readFileSync(join(dir, f), 'utf8').split('\n').filter((m) => m.includes('undici')), f).toEqual([]);
  });
});
