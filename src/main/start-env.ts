/**
 * The environment the server is started with (`npm start`, the benches'
 * and tests' server processes): settings a process reads once, as it
 * starts, so it cannot give them to itself: whoever starts it does.
 * package.json's start script carries the same values (a test holds them
 * together).
 *
 * MALLOC_MMAP_THRESHOLD_ fixes the size above which glibc gives an
 * allocation its own mapping (returned to the system when freed). Left to
 * glibc, the threshold rises to the largest block freed so far (PGlite's
 * 9 MB module, the content packs), and from then on the arenas keep
 * everything below it: about 60-85 MB more resident on an idle server
 * (docs/benchmarks.md, "Idle memory"). Fixed at 128 KB, glibc's own
 * starting value, no CPU cost was measured under load.
 *
 * NODE_COMPILE_CACHE turns Node's compile cache on before the first module
 * loads (main/compile-cache.ts turns it on only once main.ts runs, too late
 * for main.ts and its imports): a coordinator whose TypeScript is all
 * cached never loads Node's type stripper, about 4 MB of heap and 6 MB of
 * WebAssembly memory it would keep for good. The folder is under the
 * project's node_modules/.cache, where tools keep their caches (relative in
 * the start script, which npm runs in the project's folder; withStartEnv
 * makes it absolute for processes started from anywhere).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

export const START_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  NODE_COMPILE_CACHE: 'node_modules/.cache/tessera-compile',
};

/** `env` with the start settings added where it does not set them itself. */
export function withStartEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...START_ENV, NODE_COMPILE_CACHE: resolve(PROJECT, START_ENV.NODE_COMPILE_CACHE), ...env };
}
