/**
 * Creates the embedded database in a new data folder and ends: run as a
 * child process by pglite-worker.ts (`node pglite-init.ts DIR SETTINGS`).
 *
 * Why a process: initdb runs in two extra PGlite instances and copies their
 * WebAssembly memory, so creating a database allocates several hundred MB.
 * In the server's PGlite thread that stayed until a collection an idle
 * server may never run (189 MB of WebAssembly memory), and even on a
 * thread that ended, the allocator kept about 85 MB of its arenas resident
 * (bench:memory, 2026-12-02). A process gives it all back when it exits.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pgliteOptions, type PgliteSettings } from './pglite-options.ts';

const [dataDir, settingsJson] = process.argv.slice(2);
if (!dataDir || !settingsJson) throw new Error('usage: pglite-init.ts DATA_DIR SETTINGS_JSON');
mkdirSync(dataDir, { recursive: true });
const db = await PGlite.create(dataDir, pgliteOptions(PGlite.defaultStartParams, JSON.parse(settingsJson) as PgliteSettings));
await db.close();
