/**
 * Errors that cross the storage interface. accounts/gate-world.ts maps
 * UnavailableError to the gate's "try again later".
 */

/** The database (or Redis) cannot answer now; the caller should retry later. */
export class UnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}

/** PostgreSQL SQLSTATE of a unique violation (same from pg and PGlite). */
export const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a driver error, if it has one. */
export function sqlState(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
