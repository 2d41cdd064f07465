/**
 * Keeps WebAssembly's calls into JavaScript on V8's generic wrapper, so
 * that no thread of the process ever compiles a specialised one.
 *
 * Why: V8 13.6 (Node 24.21) counts each import's calls and, after 1,000,
 * compiles a wrapper for its signature into a cache shared by every thread
 * of the process, freed when the last instance using it dies. Threads
 * here run WebAssembly and die: each cell, hashing and bot thread strips
 * its TypeScript with Node's amaro until the compile cache holds it, and
 * the PGlite thread is PostgreSQL in WebAssembly. Freeing those wrappers
 * aborted the whole process twice in 21 hours of tests on this machine
 * (`# Check failed: jit_page.has_value()`; native stack:
 * Runtime_TierUpWasmToJSWrapper, ~WasmCodeRefScope, FreeDeadCode,
 * WasmImportWrapperCache::Free, WasmCodeAllocator::FreeCode, V8_Fatal),
 * in a cell thread. With the budget at its largest, counted with gdb over
 * the same run: 67 tier-ups, 18 wrappers compiled and 1 cache free
 * without it, none with it (docs/benchmarks.md, "A V8 abort").
 *
 * V8 reads the budget when it instantiates a module, so setting it before
 * a thread starts covers everything that thread instantiates. NODE_OPTIONS
 * cannot carry V8 flags, and the tests start servers inside vitest's
 * processes, hence a call where threads are started rather than a node
 * command-line flag. The cost, PGlite's calls into JavaScript through the
 * generic wrapper, is measured in docs/benchmarks.md.
 */
import { setFlagsFromString } from 'node:v8';

/** The largest budget V8 takes: about 2.1 billion calls per import before a tier-up. */
const BUDGET = 2 ** 31 - 1;

let set = false;

/** Call before starting a thread that may run WebAssembly (any thread that loads TypeScript). Idempotent. */
export function keepWasmImportWrappersGeneric(): void {
  if (set) return;
  setFlagsFromString(`--wasm-wrapper-tiering-budget=${BUDGET}`);
  set = true;
}
