/**
 * vitest's setup file: every test process keeps WebAssembly's calls into
 * JavaScript on V8's generic wrapper before a test starts a thread of its
 * own (shared/wasm-wrappers.ts says why). The server's own thread starters
 * do it as well; this covers the tests that start threads directly.
 */
import { keepWasmImportWrappersGeneric } from '../../src/shared/wasm-wrappers.ts';

keepWasmImportWrappersGeneric();
