import pg from 'pg';
import { inTransaction, type Db, type Queryable } from './db.ts';
import { log } from '../log.ts';

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
    tx: (fn) => session((q) => inTransaction(q, fn)),
    close: () => pool.end(),
  };
}
