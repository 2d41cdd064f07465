import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inTransaction, type Db, type Queryable } from './db.ts';
import { trackThread } from '../threads.ts';
import { keepWasmImportWrappersGeneric } from '../../shared/wasm-wrappers.ts';
import type { PgliteAsk, PgliteReply, PgliteRequest, PgliteThreadData } from './pglite-wire.ts';
import { DEFAULT_PGLITE_SETTINGS, needsInitdb, type PgliteSettings } from './pglite-options.ts';

const THREAD = new URL('./pglite-thread.ts', import.meta.url);
const INIT = new URL('./pglite-init.ts', import.meta.url);

/** An error from the database, with its SQLSTATE as pg and PGlite give it (errors.ts sqlState). */
class PgliteError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'PgliteError';
    this.code = code;
  }
}

/**
 * PGlite on its own worker thread (pglite-thread.ts), as a Db: the embedded
 * database's statements run there, so a burst of logins or item moves no
 * longer holds the gate's event loop (measured in bench:items). The thread
 * is one connection: statements and transactions take turns on a queue
 * here, a transaction holding it from BEGIN to COMMIT (statements inside
 * it go through the Queryable it is given, never the Db itself).
 */
export async function openPgliteWorker(dataDir: string, settings: PgliteSettings = DEFAULT_PGLITE_SETTINGS): Promise<Db> {
  if (needsInitdb(dataDir)) await createDatabase(dataDir, settings);
  keepWasmImportWrappersGeneric();
  const worker = new Worker(THREAD, { workerData: { dataDir, settings } satisfies PgliteThreadData, name: 'pglite' });
  trackThread(worker);
  const waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let failed: Error | undefined;
  worker.on('message', (r: PgliteReply) => {
    if (r.id === 0) {
      failed = new Error(r.error!.message);
      for (const w of waiting.values()) w.reject(failed);
      waiting.clear();
      return;
    }
    const w = waiting.get(r.id);
    if (!w) return;
    waiting.delete(r.id);
    if (r.error) w.reject(new PgliteError(r.error.message, r.error.code));
    else w.resolve(r.rows);
  });
  const gone = (err: Error) => {
    failed = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('error', gone);
  worker.on('exit', (code) => gone(new Error(`the PGlite thread exited (code ${code})`)));

  const send = (m: PgliteAsk): Promise<unknown[]> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...m, id } as PgliteRequest);
    });
  };
  const direct: Queryable = {
    query: <T>(sql: string, params?: unknown[]) => send({ op: 'query', sql, params }) as Promise<T[]>,
    exec: async (sql: string) => {
      await send({ op: 'exec', sql });
    },
  };
  // One connection: whoever holds the turn (a statement, or a transaction from BEGIN to its end) runs alone.
  let tail: Promise<unknown> = Promise.resolve();
  const turn = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn);
    tail = next.catch(() => undefined);
    return next;
  };
  // Ready (or failed) before anyone queries: a bad data folder stops the start, as in-thread PGlite did.
  await direct.query('SELECT 1');
  return {
    kind: 'pglite',
    query: (sql, params) => turn(() => direct.query(sql, params)),
    exec: (sql) => turn(() => direct.exec(sql)),
    session: (fn) => turn(() => fn(direct)),
    tx: (fn) => turn(() => inTransaction(direct, fn)),
    close: () =>
      turn(async () => {
        if (!failed) await send({ op: 'close' }).catch(() => undefined);
        await worker.terminate();
      }),
  };
}

/**
 * Creates the database of a new data folder in a child process that then
 * exits (pglite-init.ts says why), before the server's thread opens it.
 */
async function createDatabase(dataDir: string, settings: PgliteSettings): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(INIT), dataDir, JSON.stringify(settings)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-2000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`PGlite failed to create ${dataDir} (exit code ${code}): ${stderr.trim()}`);
}
