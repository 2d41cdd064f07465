/**
 * GET /content/...: the current build's client files with immutable caching,
 * the no-cache manifest, and nothing else: other hashes, hostile paths,
 * directories and symbolic links are 404, other methods 405.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileContent } from '../../../src/content/compile.ts';
import { loadWorld, type LoadedWorld } from '../../../src/content/load-world.ts';
import { contentRoute } from '../../../src/main/http/content-route.ts';
import { createHttpServer } from '../../../src/main/http/http-server.ts';
import { silentLog } from '../../helpers/zone.ts';
import { copyWorld, type WorldCopy } from '../../content/build/world-fixture.ts';

let world: WorldCopy;
let loaded: LoadedWorld;
let server: ReturnType<typeof createHttpServer>;
let port = 0;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path sent exactly as given (fetch would resolve "..", this does not). */
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
  world = copyWorld();
  const r = compileContent({ dataDir: world.dataDir, buildDir: world.buildDir });
  if (!r.ok) throw new Error('fixture world does not compile');
  loaded = loadWorld(world.buildDir);
  // A link planted in the build must not be followed.
  symlinkSync(join(world.dataDir, 'world.json'), join(loaded.clientDir, 'maps', 'linked.json'));
  server = createHttpServer({ handlers: [contentRoute({ hash: loaded.hash, clientDir: loaded.clientDir })], upgrade: (_q, s) => s.destroy(), log: silentLog });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  world.remove();
});

describe('content route', () => {
  it('says the current hash, never cached', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/content/manifest.json`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await r.json()).toEqual({ hash: loaded.hash, manifest: `/content/${loaded.hash}/manifest.json` });
  });

  it('serves the build\'s files as immutable with their content types', async () => {
    const base = `http://127.0.0.1:${port}/content/${loaded.hash}`;
    const manifest = await fetch(`${base}/manifest.json`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = (await manifest.json()) as { zones: { map: string }[] };
    expect(body.zones.map((z) => z.map)).toEqual(['maps/town.json', 'maps/field.json']);
    const map = await fetch(`${base}/maps/town.json?v=1`);
    expect(map.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await map.text();
    expect(text).toBe(readFileSync(join(loaded.clientDir, 'maps/town.json'), 'utf8'));
    const image = JSON.parse(text).tilesets[0].image.path as string;
    const png = await fetch(`${base}/${image}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await png.arrayBuffer())).toEqual(readFileSync(join(loaded.clientDir, image)));
  });

  it('sends JSON gzip-compressed to clients that accept it, and plain to the others', async () => {
    const path = `/content/${loaded.hash}/maps/field.json`;
    const plain = readFileSync(join(loaded.clientDir, 'maps/field.json'));
    const zipped = await send(path, 'GET', { 'accept-encoding': 'br, gzip;q=0.8' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(zipped.body.length).toBeLessThan(plain.length);
    expect(gunzipSync(zipped.body)).toEqual(plain);
    for (const encoding of [undefined, 'identity', 'gzip;q=0', 'br']) {
      const r = await send(path, 'GET', encoding ? { 'accept-encoding': encoding } : {});
      expect(r.headers['content-encoding'], String(encoding)).toBeUndefined();
      expect(r.body).toEqual(plain);
    }
    // Images are already compressed: never gzipped.
    const image = JSON.parse(plain.toString()).tilesets[0].image.path as string;
    expect((await send(`/content/${loaded.hash}/${image}`, 'GET', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await send(`/content/${loaded.hash}/maps/town.json`, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
    const post = await send(`/content/${loaded.hash}/maps/town.json`, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('is 404 for another hash, a directory, a symbolic link and every hostile path', async () => {
    const h = loaded.hash;
    const paths = [
      `/content/${'0'.repeat(32)}/manifest.json`,
      `/content/${h.toUpperCase()}/manifest.json`,
      `/content/${h}`,
      `/content/${h}/`,
      `/content/${h}/maps`,
      `/content/${h}/maps/`,
      `/content/${h}/images`,
      `/content/${h}/maps/linked.json`,
      `/content/${h}/../../manifest.json`,
      `/content/${h}/maps/../../../manifest.json`,
      `/content/${h}/%2e%2e/%2e%2e/manifest.json`,
      `/content/${h}/maps%2f..%2f..%2f..%2fmanifest.json`,
      `/content/${h}/..%5c..%5cmanifest.json`,
      `/content/${h}/maps/town.json%00.png`,
      `/content/${h}//etc/passwd`,
      `/content/${h}/%`,
      `/content/${h}/.hidden`,
      `/content/${h}/${'a/'.repeat(20)}x.json`,
      `/content/${h}/${'x'.repeat(300)}.json`,
      `/content/../build/content/manifest.json`,
      '/content',
    ];
    for (const p of paths) {
      const r = await send(p);
      expect(r.status, p).toBe(404);
      expect(r.headers['cache-control'], p).toBeUndefined();
    }
  });

  it('passes requests outside /content/ to the next handler', async () => {
    const r = await send('/contents/manifest.json');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body.toString()).error.message).toBe('no route for GET /contents/manifest.json');
  });
});
