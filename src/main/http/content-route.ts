import { createReadStream, lstatSync, realpathSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { sendJson, type HttpHandler } from './http-server.ts';

/**
 * The compiled content the browser loads (content/build/manifest.ts):
 *
 *   GET /content/manifest.json       which build is current: { hash, manifest }; never cached
 *   GET /content/<hash>/<path>       a file of build/content/client/<hash>/; cached for a year,
 *                                    immutable (a new build has a new hash)
 *
 * A JSON file goes out gzip-compressed to a client that accepts it (the
 * compiler writes NAME.json.gz beside it). Only the current hash is served
 * (404 for any other), only regular files
 * (no directory listing, no symbolic links), and only paths made of plain
 * segments (letters, digits, ".", "_", "-"; no "..", no encoded slashes).
 */
export interface ContentRouteOptions {
  /** The loaded build's content hash. */
  hash: string;
  /** The build's client folder for that hash (build/content/client/<hash>). */
  clientDir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};

const PREFIX = '/content/';
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const MAX_DEPTH = 8;

function notFound(res: Parameters<HttpHandler>[1], path: string): true {
  sendJson(res, 404, { error: { code: 'not_found', message: `no content at ${path}` } });
  return true;
}

/** The file a request path names inside `root`, or undefined when it names none we serve. */
function fileOf(root: string, rest: string): string | undefined {
  const segments = rest.split('/');
  if (segments.length > MAX_DEPTH) return undefined;
  const decoded: string[] = [];
  for (const s of segments) {
    let d: string;
    try {
      d = decodeURIComponent(s);
    } catch {
      return undefined;
    }
    // Checked after decoding: "%2e%2e" and "%2f" are refused like ".." and "/".
    if (!SEGMENT.test(d)) return undefined;
    decoded.push(d);
  }
  const file = join(root, ...decoded);
  if (!file.startsWith(root + sep)) return undefined;
  try {
    // lstat: a symbolic link planted in the build is not followed, nor one among the folders.
    if (!lstatSync(file).isFile() || !realpathSync(file).startsWith(root + sep)) return undefined;
  } catch {
    return undefined;
  }
  return file;
}

/** True when an Accept-Encoding header accepts gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of value.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

export function contentRoute(o: ContentRouteOptions): HttpHandler {
  let root: string;
  try {
    root = realpathSync(o.clientDir);
  } catch {
    root = o.clientDir;
  }
  const manifest = JSON.stringify({ hash: o.hash, manifest: `${PREFIX}${o.hash}/manifest.json` });
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (!path.startsWith(PREFIX) && path !== '/content') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return true;
    }
    if (path === `${PREFIX}manifest.json`) {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(manifest),
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : manifest);
      return true;
    }
    const rest = path.slice(PREFIX.length);
    const slash = rest.indexOf('/');
    if (slash < 0 || rest.slice(0, slash) !== o.hash) return notFound(res, path);
    const file = fileOf(root, rest.slice(slash + 1));
    if (file === undefined) return notFound(res, path);
    const type = extname(file).toLowerCase();
    const gz = type === '.json' && acceptsGzip(req.headers['accept-encoding']) ? fileOf(root, `${rest.slice(slash + 1)}.gz`) : undefined;
    const sent = gz ?? file;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[type] ?? 'application/octet-stream',
      'content-length': lstatSync(sent).size,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      ...(type === '.json' ? { vary: 'accept-encoding' } : {}),
      ...(gz ? { 'content-encoding': 'gzip' } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    const stream = createReadStream(sent);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
    return true;
  };
}
