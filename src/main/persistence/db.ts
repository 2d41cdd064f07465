/**
 * The database as persistence sees it, whichever driver is under it: a pg
 * Pool (postgres.ts), PGlite on its own thread (pglite-worker.ts, the
 * server's) or on the caller's (pglite-local.ts, tools and tests). No
 * driver is imported here, so that a module naming a Db loads none.
 */

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

/**
 * Runs fn inside BEGIN/COMMIT on `q`, one connection the caller holds for
 * the whole of it; rolls back (ignoring a failed ROLLBACK: the connection
 * may be gone) and rethrows when fn or the COMMIT throws.
 */
export async function inTransaction<T>(q: Queryable, fn: (q: Queryable) => Promise<T>): Promise<T> {
  await q.exec('BEGIN');
  try {
    const out = await fn(q);
    await q.exec('COMMIT');
    return out;
  } catch (err) {
    await q.exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
