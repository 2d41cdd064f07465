/**
 * GET /client/...: the browser client's build with hashed assets cached for
 * a year, the page never cached and under the client's Content-Security-
 * Policy, gzip for clients that take it, and nothing else: unknown files,
 * hostile paths and symbolic links are 404, other methods 405.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_CSP, clientRoute } from '../../../src/main/http/client-route.ts';
import { createHttpServer } from '../../../src/main/http/http-server.ts';
import { silentLog } from '../../helpers/zone.ts';

let dir: string;
let server: ReturnType<typeof createHttpServer>;
let port = 0;
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-client-route-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/client/assets/index-abc123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(dir, 'build-info.json'), '{}');
  writeFileSync(join(tmpdir(), 'tessera-secret.txt'), 'secret');
  symlinkSync(join(tmpdir(), 'tessera-secret.txt'), join(dir, 'assets', 'linked.js'));
  server = createHttpServer({ handlers: [clientRoute({ dir })], upgrade: (_q, s) => s.destroy(), log: silentLog });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /client/', () => {
  it('serves the page uncached, under the client\'s CSP', async () => {
    for (const path of ['/client/', '/client/index.html', '/client/?guest=x']) {
      const r = await send(path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-security-policy']).toBe(CLIENT_CSP);
      expect(r.body.toString()).toContain('index-abc123.js');
    }
    expect(CLIENT_CSP).toContain("script-src 'self'");
    expect(CLIENT_CSP).toContain("connect-src 'self'");
    expect(CLIENT_CSP).not.toContain('unsafe');
  });

  it('redirects /client to /client/, keeping the query', async () => {
    const r = await send('/client?character=7');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/client/?character=7');
  });

  it('serves hashed assets immutable, gzipped when asked', async () => {
    const plain = await send('/client/assets/index-abc123.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    const gz = await send('/client/assets/index-abc123.js', 'GET', { 'accept-encoding': 'gzip, deflate, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBeLessThan(SCRIPT.length / 4);
    expect(gunzipSync(gz.body).toString()).toBe(SCRIPT);
    const head = await send('/client/assets/index-abc123.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('answers 404 for unknown files, hostile paths, links and the build stamp; 405 for other methods', async () => {
    for (const path of ['/client/assets/nope.js', '/client/../package.json', '/client/assets/../index.html/x', '/client/%2e%2e/%2e%2e/etc/passwd', '/client/assets%2findex-abc123.js', '/client/assets/linked.js', '/client/build-info.json', '/client/assets/']) {
      const r = await send(path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString()).not.toContain('secret');
    }
    expect((await send('/client/', 'POST')).status).toBe(405);
    expect((await send('/clientx')).status).toBe(404);
  });

  it('refuses a folder without a build', () => {
    expect(() => clientRoute({ dir: join(dir, 'assets') })).toThrow(/no client build/);
  });
});
