import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The security headers of every page the server serves itself (account page, admin console). */
export const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
} as const;

/**
 * The account page: `/` (and `/account`, `/account/`) is index.html, and
 * `/account/<file>` the other files of the folder. The file list is read
 * once at start, so a request path is only ever looked up, never joined
 * onto the file system (no traversal).
 */
export function staticAccountPage(dir: string): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  return staticPage(dir, '/account', true);
}

/**
 * A folder of page files served at `prefix` (index.html at `prefix` and
 * `prefix/`, the others at `prefix/<file>`), and at `/` too when `atRoot`.
 */
export function staticPage(dir: string, prefix: string, atRoot = false): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return (req, res, path) => {
    let name: string | undefined;
    if ((atRoot && path === '/') || path === prefix || path === `${prefix}/`) name = 'index.html';
    else if (path.startsWith(`${prefix}/`)) name = path.slice(prefix.length + 1);
    else return false;
    const f = files.get(name);
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return true;
    }
    res.writeHead(200, { 'content-type': f.type, 'content-length': f.body.length, ...PAGE_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : f.body);
    return true;
  };
}
