/**
 * node:http's createServer, loaded with require instead of an ES import.
 *
 * An ES import of a CommonJS built-in builds a namespace of all its exports,
 * and so reads every one. In Node 24, node:http exports WebSocket,
 * CloseEvent and MessageEvent as lazy getters. Reading them loads undici
 * (Node's fetch) with http2 and the web streams, which the server never uses:
 * 1-2 MB of the coordinator's heap and 1 MB of its external memory
 * (docs/benchmarks.md, "Idle memory"). require reads only what is used.
 */
import { createRequire } from 'node:module';

const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');

export const createServer = http.createServer;
