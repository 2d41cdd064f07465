import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type HttpHandler } from './http-server.ts';
import { CLIENT_BUILD_INFO } from './client-build.ts';

/**
 * The browser client (web/client, built by Vite into CLIENT_BUILD_DIR):
 *
 *   GET /client                  301 to /client/ (query kept)
 *   GET /client/ , /client/index.html
 *                                the page; no-cache, with the client's Content-Security-Policy
 *   GET /client/assets/<file>    a hashed bundle file; cached for a year, immutable
 *   GET /client/<file>           another file of the build's top folder; no-cache
 *
 * The build's files are read once, when the route is made (a new build is
 * served by the next start), and a request path is only looked up among
 * them, never joined onto the file system: no traversal, no symbolic link,
 * 404 for anything else. Text files are kept gzipped as well and sent so to
 * clients that accept it.
 */
export interface ClientRouteOptions {
  /** The client build folder (CLIENT_BUILD_DIR). */
  dir: string;
}

/**
 * What the page may do: its own scripts and styles only (no inline code),
 * images from itself (the content's atlases) and data:/blob: URLs (PixiJS
 * makes textures so), fetch and the /play WebSocket to its own origin, no
 * frames, no plugins, no workers (PixiJS is told not to use them).
 */
export const CLIENT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.map', '.svg']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface ServedFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  cache: string;
  html: boolean;
}

function files(dir: string): Map<string, ServedFile> {
  const out = new Map<string, ServedFile>();
  const add = (rel: string, cache: string) => {
    const ext = extname(rel).toLowerCase();
    const body = readFileSync(join(dir, rel));
    const gzip = COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null;
    out.set(rel, { body, gzip: gzip && gzip.length < body.length ? gzip : null, type: TYPES[ext] ?? 'application/octet-stream', cache, html: ext === '.html' });
  };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name !== CLIENT_BUILD_INFO) add(e.name, 'no-cache');
    else if (e.isDirectory() && e.name === 'assets') {
      for (const a of readdirSync(join(dir, 'assets'), { withFileTypes: true })) if (a.isFile()) add(`assets/${a.name}`, IMMUTABLE);
    }
  }
  return out;
}

function notFound(res: ServerResponse, path: string): true {
  sendJson(res, 404, { error: { code: 'not_found', message: `no client file at ${path}` } });
  return true;
}

export function clientRoute(o: ClientRouteOptions): HttpHandler {
  const served = files(o.dir);
  if (!served.has('index.html')) throw new Error(`${o.dir} holds no client build (no index.html): run npm run client:build`);
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path !== '/client' && !path.startsWith('/client/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return true;
    }
    if (path === '/client') {
      res.writeHead(301, { location: `/client/${q < 0 ? '' : url.slice(q)}`, 'content-length': 0 }).end();
      return true;
    }
    const rest = path.slice('/client/'.length);
    const f = served.get(rest === '' ? 'index.html' : rest);
    if (!f) return notFound(res, path);
    const gzip = f.gzip !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? f.gzip! : f.body;
    const headers: Record<string, string | number> = {
      'content-type': f.type,
      'content-length': body.length,
      'cache-control': f.cache,
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    if (f.html) {
      headers['content-security-policy'] = CLIENT_CSP;
      headers['referrer-policy'] = 'no-referrer';
      headers['cross-origin-opener-policy'] = 'same-origin';
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
