/**
 * Node's compile cache for the coordinator and every thread it starts.
 *
 * Node runs Tessera's TypeScript by stripping the types of each file as it
 * loads, with a WebAssembly parser (amaro) that each thread loads for
 * itself: about 4 MB of its source and 7 MB of WebAssembly memory per
 * thread, kept for the thread's life (a cell thread's heap snapshot,
 * 2026-12-02). With the compile cache on, a file whose stripped form is
 * cached loads without the parser, and V8 reuses its cached code, so a
 * thread that finds all its files cached never loads it and starts
 * sooner. The cache is a folder of files keyed by the sources' contents:
 * a changed file is stripped again, never run stale.
 *
 * Node's own variables choose it: NODE_COMPILE_CACHE (the folder, default
 * a node-compile-cache folder in the OS temporary directory) and
 * NODE_DISABLE_COMPILE_CACHE=1 (off). Turned on here, it comes too late for
 * main.ts and its static imports, which the coordinator has stripped by
 * then: `npm start` sets NODE_COMPILE_CACHE in the environment
 * (start-env.ts), so that the coordinator's own files load from the cache
 * too and it never loads the stripper either.
 */
import { enableCompileCache, flushCompileCache } from 'node:module';

/**
 * Turns the compile cache on for this thread and, through the environment
 * the worker threads copy (NODE_COMPILE_CACHE), for the threads started
 * after it. Returns the folder, or undefined when it is off.
 */
export function startCompileCache(): string | undefined {
  const r = enableCompileCache();
  if (r.directory === undefined) return undefined;
  process.env.NODE_COMPILE_CACHE = r.directory;
  return r.directory;
}

/** Writes what this thread has compiled so far, so threads started next find it (Node writes it only at exit). */
export function saveCompileCache(): void {
  flushCompileCache();
}
