/**
 * The HTTP server's defences, with real sockets: slow clients cut off by
 * the header, request and keep-alive timeouts; bodies over the limit
 * refused with 413 (declared or streamed); the refusals counted; the
 * account API closed to other origins (no CORS headers).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { accountsApi, type ApiDeps } from '../../../src/main/accounts/api.ts';
import { readJson } from '../../../src/main/accounts/body.ts';
import { checkingIntervalMs, createHttpServer, sendJson, type HttpHandler } from '../../../src/main/http/http-server.ts';
import { PromHttpMetrics } from '../../../src/main/metrics/http.ts';
import { ClientAddresses, clientAddressOf } from '../../../src/main/net/client-address.ts';
import { parseAddressList, type AddressList } from '../../../src/main/net/ip.ts';
import { silentLog } from '../../helpers/zone.ts';

const LIMITS = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300, maxBodyBytes: 1024 };

/** Echoes a JSON body read with the API's reader (and the limit), and the client address. */
const echo: HttpHandler = async (req, res) => {
  if (req.url === '/echo') {
    const body = await readJson(req, LIMITS.maxBodyBytes).catch((err: { status?: number; code?: string }) => ({ failed: err.code, status: err.status }));
    const status = (body as { status?: number }).status ?? 200;
    sendJson(res, status, { body, ip: clientAddressOf(req) }, status === 413 ? { connection: 'close' } : {});
    return true;
  }
  return false;
};

async function start(o: { handlers?: HttpHandler[]; trusted?: AddressList } = {}): Promise<{ server: Server; port: number; metrics: PromHttpMetrics }> {
  const metrics = new PromHttpMetrics();
  const server = createHttpServer({
    handlers: o.handlers ?? [echo],
    upgrade: (_req, socket) => socket.destroy(),
    log: silentLog,
    limits: LIMITS,
    metrics,
    addresses: new ClientAddresses(o.trusted),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, metrics };
}

/** A raw client socket that records what it received and when it closed. */
function raw(port: number): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  const t0 = performance.now();
  socket.on('data', (d) => (data += d.toString('latin1')));
  socket.on('error', () => {});
  return { socket, received: () => data, closed: new Promise((r) => socket.on('close', () => r(performance.now() - t0))) };
}

describe('HTTP server against slow and oversized requests', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = undefined;
  });

  it('checks the timeouts often enough that they hold', () => {
    expect(checkingIntervalMs(LIMITS)).toBe(100);
    expect(checkingIntervalMs({ ...LIMITS, headersTimeoutMs: 10_000 })).toBe(1000);
  });

  it('cuts off a client that sends its headers byte by byte (408), and one that sends nothing', async () => {
    const s = await start();
    server = s.server;
    const slow = raw(s.port);
    const silent = raw(s.port);
    const request = `GET /echo HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(200)}\r\n\r\n`;
    let i = 0;
    const drip = setInterval(() => {
      if (i < request.length && !slow.socket.destroyed) slow.socket.write(request[i++]);
    }, 20);
    try {
      const [slowMs, silentMs] = await Promise.all([slow.closed, silent.closed]);
      // Cut off after the 400 ms headers timeout (checked every 100 ms), long before the drip would end (5 s).
      expect(slowMs).toBeGreaterThanOrEqual(350);
      expect(slowMs).toBeLessThan(3000);
      expect(silentMs).toBeLessThan(3000);
      expect(i).toBeLessThan(request.length);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      expect(silent.received()).toMatch(/^HTTP\/1\.1 408/);
      expect(s.metrics.refusals.get('request_timeout')).toBe(2);
    } finally {
      clearInterval(drip);
    }
  });

  it('cuts off a body that trickles in past the request timeout', async () => {
    const s = await start();
    server = s.server;
    const c = raw(s.port);
    c.socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[');
    const drip = setInterval(() => !c.socket.destroyed && c.socket.write('1,'), 50);
    try {
      const ms = await c.closed;
      expect(ms).toBeLessThan(3000);
      expect(c.received()).toMatch(/408/);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const s = await start();
    server = s.server;
    const c = raw(s.port);
    c.socket.write('GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n');
    const ms = await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 404/);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(3000);
  });

  it('refuses a declared body over the limit with 413 before any handler, on any route', async () => {
    let handled = 0;
    const s = await start({ handlers: [() => (handled++, false)] });
    server = s.server;
    for (const path of ['/healthz', '/api/accounts']) {
      const res = await fetch(`http://127.0.0.1:${s.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(5000) });
      expect(res.status).toBe(413);
      expect(res.headers.get('connection')).toBe('close');
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    }
    expect(handled).toBe(0);
    expect(s.metrics.refusals.get('body_too_large')).toBe(2);
  });

  it('refuses a streamed (chunked) body once it passes the limit, and reads one within it', async () => {
    const s = await start();
    server = s.server;
    const ok = await fetch(`http://127.0.0.1:${s.port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'b'.repeat(900) }) });
    expect(ok.status).toBe(200);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < 10; i++) ctl.enqueue(new TextEncoder().encode(`"${'x'.repeat(500)}",`));
        ctl.close();
      },
    });
    const big = await fetch(`http://127.0.0.1:${s.port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(big.status).toBe(413);
    expect(s.metrics.refusals.get('body_too_large')).toBe(1);
  });

  it('answers garbage with 400 and over-long headers with 431, counted', async () => {
    const s = await start();
    server = s.server;
    const g = raw(s.port);
    g.socket.write('\x16\x03\x01 not http at all\r\n\r\n');
    await g.closed;
    expect(g.received()).toMatch(/^HTTP\/1\.1 400/);
    const h = raw(s.port);
    h.socket.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    await h.closed;
    expect(h.received()).toMatch(/^HTTP\/1\.1 431/);
    expect(s.metrics.refusals.get('bad_request')).toBe(1);
    expect(s.metrics.refusals.get('headers_too_large')).toBe(1);
  });

  it('resolves the client address behind a trusted proxy for the routes', async () => {
    const trusted = parseAddressList('127.0.0.1') as AddressList;
    const s = await start({ trusted });
    server = s.server;
    const res = await fetch(`http://127.0.0.1:${s.port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' }, body: '{}' });
    expect(await res.json()).toMatchObject({ ip: '198.51.100.9' });
  });
});

describe('the account API and other origins', () => {
  // Only the paths answered before any storage is touched are exercised: the deps are never called.
  const api = accountsApi({ tuning: {} } as unknown as ApiDeps);
  const handler: HttpHandler = (req, res) => api(req, res, (req.url ?? '/').split('?')[0]);
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = undefined;
  });

  it('sends no CORS headers: a preflight from another origin is refused, and no answer is readable cross-origin', async () => {
    const s = await start({ handlers: [handler] });
    server = s.server;
    const base = `http://127.0.0.1:${s.port}`;
    const preflight = await fetch(`${base}/api/sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(405);
    const post = await fetch(`${base}/api/sessions`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: 'x' });
    expect(post.status).toBe(415);
    for (const res of [preflight, post]) {
      for (const h of res.headers.keys()) expect(h).not.toMatch(/^access-control-/);
    }
  });
});
