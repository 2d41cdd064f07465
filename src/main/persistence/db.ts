/**
 * The database as persistence sees it, whichever driver is under it: a pg
 * Pool (postgres.ts), PGlite on its own thread (pglite-worker.ts, the
 * server's) or on the caller's (pglite-local.ts, tools and tests). Only
 * types here, so that a module naming a Db loads no driver.
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
