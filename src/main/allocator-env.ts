/**
 * glibc's malloc settings the server is started with (`npm start`, the
 * benches' and tests' server processes). glibc reads them once, at process
 * start, so the process cannot set them for itself: whoever starts it does.
 *
 * MALLOC_MMAP_THRESHOLD_ fixes the size above which an allocation gets its
 * own mapping (returned to the system when freed). Left to glibc, the
 * threshold rises to the largest block freed so far (PGlite's 9 MB module,
 * the content packs), and from then on the arenas keep everything below it:
 * about 60-85 MB more resident on an idle server (docs/benchmarks.md, "Idle
 * memory"). Fixed at 128 KB, glibc's own starting value, no CPU cost was
 * measured under load. package.json's start script carries the same value
 * (a test holds them together).
 */
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** `env` with the allocator settings added where it does not set them itself. */
export function withAllocatorEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...ALLOCATOR_ENV, ...env };
}
