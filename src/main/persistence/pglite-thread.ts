/**
 * The worker thread that runs PGlite for the coordinator (pglite-worker.ts):
 * one database, one statement at a time, in the order the messages come.
 * PGlite's WebAssembly runs each statement synchronously; here that blocks
 * this thread, not the gate's event loop.
 */
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { PgliteReply, PgliteRequest, PgliteThreadData } from './pglite-wire.ts';
import { pgliteOptions } from './pglite-options.ts';

const port = parentPort;
if (!port) throw new Error('pglite-thread.ts runs as a worker thread');
const { dataDir, settings } = workerData as PgliteThreadData;
mkdirSync(dataDir, { recursive: true });
const ready = PGlite.create(dataDir, pgliteOptions(PGlite.defaultStartParams, settings));

let tail: Promise<unknown> = ready;
port.on('message', (m: PgliteRequest) => {
  // One after the other: the caller's order is the database's.
  tail = tail.then(() => run(m)).catch(() => undefined);
});

async function run(m: PgliteRequest): Promise<void> {
  let reply: PgliteReply;
  try {
    const db = await ready;
    if (m.op === 'query') reply = { id: m.id, rows: (await db.query(m.sql, m.params ?? [])).rows };
    else if (m.op === 'exec') {
      await db.exec(m.sql);
      reply = { id: m.id, rows: [] };
    } else {
      await db.close();
      reply = { id: m.id, rows: [] };
    }
  } catch (err) {
    const e = err as Error & { code?: unknown };
    reply = { id: m.id, error: { message: e.message ?? String(err), code: typeof e.code === 'string' ? e.code : undefined } };
  }
  port!.postMessage(reply);
  if (m.op === 'close') port!.close();
}

// A database that cannot open is told to the first caller, whatever it asked.
ready.catch((err: Error) => port.postMessage({ id: 0, error: { message: `PGlite failed to open ${dataDir}: ${err.message}` } } satisfies PgliteReply));
