/**
 * Errors that cross the persistence interface. The gate maps AuthError to its
 * "auth failed" close code and UnavailableError to "try again later".
 */

/** Bad or expired session token, or a character that is not the account's. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

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
