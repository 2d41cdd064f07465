import type { PgliteSettings } from './pglite-options.ts';

/** Messages between the coordinator and the PGlite thread (pglite-thread.ts, pglite-worker.ts). */
export type PgliteAsk = { op: 'query'; sql: string; params?: unknown[] } | { op: 'exec'; sql: string } | { op: 'close' };
export type PgliteRequest = PgliteAsk & { id: number };

/** The answer to request `id` (0: the database failed to open). */
export type PgliteReply = { id: number; rows: unknown[]; error?: undefined } | { id: number; error: { message: string; code?: string } };

/** The PGlite thread's workerData. */
export interface PgliteThreadData {
  dataDir: string;
  settings: PgliteSettings;
}
