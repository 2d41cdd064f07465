import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './db.ts';
import { DEFAULT_PGLITE_SETTINGS, pgliteOptions, type PgliteSettings } from './pglite-options.ts';

/** PGlite stored in dataDir (created if missing), on this thread (tools, tests; the server uses pglite-worker.ts). */
export async function openPglite(dataDir: string, settings: PgliteSettings = DEFAULT_PGLITE_SETTINGS): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, pgliteOptions(PGlite.defaultStartParams, settings));
  // PGlite runs each statement synchronously on this thread, and statements
  // queued on its own lock follow each other in microtasks, so a burst (500
  // logins) held the event loop for 200-500 ms. Our own queue runs one
  // statement or transaction per event-loop turn instead: timers and sockets
  // get their turn in between.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(() => new Promise<void>((r) => setImmediate(r))).then(fn);
    tail = next.catch(() => undefined);
    return next;
  };
  const self: Queryable = {
    query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      return serial(async () => (await db.query<T>(sql, params as unknown[])).rows);
    },
    exec(sql: string): Promise<void> {
      return serial(async () => {
        await db.exec(sql);
      });
    },
  };
  return {
    kind: 'pglite',
    ...self,
    // PGlite is one connection: a session is the connection itself. Only the
    // migrator uses it, at start, before anyone else can query.
    session: (fn) => fn(self),
    // fn must use the q it is given: a call on the Db itself inside fn would
    // wait behind this transaction forever.
    tx: (fn) =>
      serial(() =>
        db.transaction(async (t) =>
          fn({
            async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
              return (await t.query<T>(sql, params as unknown[])).rows;
            },
            async exec(sql: string): Promise<void> {
              await t.exec(sql);
            },
          }),
        ),
      ),
    close: () => serial(() => db.close()),
  };
}
