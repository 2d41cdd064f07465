import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_PGLITE_SETTINGS, pgliteOptions, type PgliteSettings } from './pglite-options.ts';
import { log } from '../log.ts';

/** Something that runs one SQL statement with $1-style parameters. */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The database as the rest of persistence sees it: the same SQL runs on a pg
 * Pool (real PostgreSQL) and on PGlite (PostgreSQL in WebAssembly, one
 * connection in process). Anything that returns int8 or numeric casts it in
 * SQL, because the two drivers parse those differently.
 */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs fn on one connection (session-level state such as advisory locks). */
  session<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Timeouts that keep a caller from hanging when PostgreSQL is down or stuck. */
export interface PgTimeouts {
  connectMs: number;
  statementMs: number;
}

export const DEFAULT_PG_TIMEOUTS: PgTimeouts = { connectMs: 2000, statementMs: 5000 };

/** A pg Pool with connection and statement timeouts. */
export function openPostgres(url: string, timeouts: PgTimeouts = DEFAULT_PG_TIMEOUTS, max = 10): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: timeouts.connectMs,
    idleTimeoutMillis: 10_000,
    statement_timeout: timeouts.statementMs,
    // Client-side guard as well: a server that accepted the socket and then
    // went silent must not hold a login forever.
    query_timeout: timeouts.statementMs + 1000,
    keepAlive: true,
    application_name: 'tessera',
  });
  // An idle client whose server went away emits here; without a listener the
  // process would crash. The pool drops the client; the next query reconnects.
  pool.on('error', (err) => log.warn({ err: err.message }, 'postgres idle client error'));

  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const r = await c.query(sql, params as unknown[]);
      return r.rows as T[];
    },
    async exec(sql: string): Promise<void> {
      // No parameters: pg uses the simple query protocol, which allows
      // several statements in one string.
      await c.query(sql);
    },
  });
  const session = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no pool listener: a server that goes away
    // between two of its statements (a restart, an administrator's kill)
    // would emit 'error' with none and crash the process (seen in the soak).
    // Noted here; the next statement fails and the client is destroyed.
    const onError = (err: Error): void => {
      broken ??= err;
      log.warn({ err: err.message }, 'postgres session client error');
    };
    client.on('error', onError);
    try {
      return await fn(wrap(client));
    } catch (err) {
      broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      // A client that failed mid-statement may be in a bad state: destroy it
      // rather than hand it to the next caller.
      client.off('error', onError);
      client.release(broken);
    }
  };
  return {
    kind: 'postgres',
    ...wrap(pool),
    session,
    tx: (fn) =>
      session(async (q) => {
        await q.query('BEGIN');
        try {
          const out = await fn(q);
          await q.query('COMMIT');
          return out;
        } catch (err) {
          await q.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    close: () => pool.end(),
  };
}

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
