/**
 * How the embedded PostgreSQL (PGlite) starts: its server settings, the
 * same for the server's PGlite thread (pglite-thread.ts) and the tools that
 * open the data folder in process (pglite-local.ts openPglite).
 *
 * PostgreSQL's own defaults are sized for a server process with a host's
 * memory to itself: shared_buffers 128 MB and 100 connections made
 * PGlite's WebAssembly memory 189 MB, 150 MB of it resident, in an idle
 * server (bench:memory, 2026-12-02). PGlite is one connection over files
 * the OS caches too, and Tessera's tables are small, so a few MB of
 * buffers hold the working set. WebAssembly memory only grows: what a
 * peak touches stays resident, so the settings bound the peaks too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PGliteOptions } from '@electric-sql/pglite';
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from '../tuning.ts';

export interface PgliteSettings {
  /** shared_buffers, MB (PGLITE_SHARED_BUFFERS_MB). */
  sharedBuffersMb: number;
}

export const DEFAULT_PGLITE_SETTINGS: PgliteSettings = { sharedBuffersMb: DEFAULT_PGLITE_SHARED_BUFFERS_MB };

/**
 * Server settings besides shared_buffers. One connection: max_connections
 * sizes the shared lock and process tables (PostgreSQL needs it above its
 * 3 reserved slots). work_mem and maintenance_work_mem bound a sort's or an
 * index build's peak, which WebAssembly memory keeps; temp_buffers likewise.
 */
const FIXED_SETTINGS = ['max_connections=8', 'work_mem=2MB', 'maintenance_work_mem=16MB', 'temp_buffers=1MB'];

/**
 * PGlite's create() options for these settings: its own start parameters
 * (`PGlite.defaultStartParams`, passed in so that the coordinator, which
 * only reads the settings, never loads PGlite) with ours after them (the
 * last -c wins).
 */
export function pgliteOptions(defaultStartParams: readonly string[], s: PgliteSettings): PGliteOptions {
  const settings = [`shared_buffers=${s.sharedBuffersMb}MB`, ...FIXED_SETTINGS];
  return { startParams: [...defaultStartParams, ...settings.flatMap((c) => ['-c', c])] };
}

/** True when `dataDir` holds no database yet: opening it runs initdb first. */
export function needsInitdb(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'));
}
