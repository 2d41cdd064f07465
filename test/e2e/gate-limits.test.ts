/**
 * The gate's per-address limits and per-connection rates, with real
 * sockets and real ws clients against a whole server on loopback. Two
 * loopback addresses stand for two clients: 127.0.0.1 is the one over its
 * limits, 127.0.0.2 a neighbour who must not notice.
 */
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tryUpgrade } from '../../src/bots/flood.ts';
import { PromGateMetrics } from '../../src/main/metrics/gate.ts';
import { encodeHello } from '../../src/protocol/encode.ts';
import { CloseCode } from '../../src/protocol/errors.ts';
import { TestClient } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Opens a ws client from `localAddress`; resolves with it once open, or with the HTTP status that refused it. */
async function open(url: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}): Promise<WebSocket | number> {
  const ws = new WebSocket(url, { localAddress, headers, perMessageDeflate: false });
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', (err) => resolve(Number(/Unexpected server response: (\d+)/.exec(err.message)?.[1] ?? -1)));
  });
}

function closeCode(ws: WebSocket, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('not closed')), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

/** Plays a guest from `localAddress` until WELCOME. */
async function guest(url: string, name: string, localAddress = '127.0.0.1'): Promise<WebSocket> {
  const ws = await open(url, localAddress);
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  const welcomed = new Promise<void>((resolve) => ws.on('message', (d: Buffer) => d[0] === 64 && resolve()));
  ws.send(encodeHello(name));
  await welcomed;
  return ws;
}

/** One cell is enough here, and each server is a few worker threads fewer to start and stop. */
const SMALL = { ZONE_CELLS: '1x1' };

describe('per-address limits at the gate', () => {
  // One server for the caps; each test comes from its own loopback address, so their counts stay apart.
  let server: Server;
  const metrics = new PromGateMetrics();
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    server = await startTestServer(
      { ...SMALL, GATE_SOCKETS_PER_IP: '4', GATE_HANDSHAKES_PER_IP: '3', GATE_CONNECT_RATE_PER_IP: '4', GATE_CONNECT_BURST_PER_IP: '8', HANDSHAKE_TIMEOUT_MS: '30000' },
      { gateMetrics: metrics },
    );
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.terminate();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses sockets past GATE_SOCKETS_PER_IP with 429 and admits them again as others close; a neighbour is not affected', async () => {
    const me = '127.0.0.11';
    const before = metrics.refusals.get('ip_sockets')!;
    for (let i = 0; i < 4; i++) sockets.push(await guest(server.url, `p${i}`, me));
    expect(await open(server.url, me)).toBe(429);
    expect(await open(server.url, me)).toBe(429);
    sockets.push(await guest(server.url, 'neighbour', '127.0.0.12'));
    const first = sockets.shift()!;
    first.close();
    await closeCode(first);
    await expect.poll(() => server.gate.guard.limits.counts(me).sockets).toBe(3);
    sockets.push(await guest(server.url, 'again', me));
    expect(metrics.refusals.get('ip_sockets')! - before).toBe(2);
    expect(server.gate.guard.limits.counts(me)).toEqual({ sockets: 4, handshakes: 0 });
  });

  it('refuses handshakes past GATE_HANDSHAKES_PER_IP until one says HELLO', async () => {
    const me = '127.0.0.13';
    const before = metrics.refusals.get('ip_handshakes')!;
    const silent: WebSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const ws = await open(server.url, me);
      if (typeof ws === 'number') throw new Error(`refused ${ws}`);
      silent.push(ws);
    }
    sockets.push(...silent);
    expect(await open(server.url, me)).toBe(429);
    expect(metrics.refusals.get('ip_handshakes')! - before).toBe(1);
    // One of them finishes its handshake: a place is free.
    const welcomed = new Promise<void>((resolve) => silent[0].on('message', (d: Buffer) => d[0] === 64 && resolve()));
    silent[0].send(encodeHello('late'));
    await welcomed;
    const fourth = await open(server.url, me);
    expect(typeof fourth).not.toBe('number');
    sockets.push(fourth as WebSocket);
    expect(await open(server.url, me)).toBe(429);
  });

  it('refuses before ws makes a WebSocket, in milliseconds, whatever the request carries', async () => {
    const me = '127.0.0.15';
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await tryUpgrade('127.0.0.1', server.port, { keep: true, localAddress: me }));
    expect(held.map((h) => h.status)).toEqual([101, 101, 101]);
    for (const h of held) h.socket!.on('error', () => {});
    const mine = () => [...server.gate.connections.values()].filter((c) => c.remote === me).length;
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await tryUpgrade('127.0.0.1', server.port, { localAddress: me, headers: { 'X-Pad': 'x'.repeat(i * 10) } });
      expect(r.status).toBe(429);
      times.push(r.ms);
    }
    times.sort((a, b) => a - b);
    // A generous bound for a busy 2-core box; the figure on an idle one is a fraction of a millisecond.
    expect(times[49]).toBeLessThan(50);
    // No connection was made for any of them: only the three held sockets are the gate's.
    expect(mine()).toBe(3);
    expect(server.gate.guard.limits.counts(me).sockets).toBe(3);
    for (const h of held) h.socket!.destroy();
  });
});

describe('connection rate per address', () => {
  it('meters upgrade attempts (GATE_CONNECT_RATE_PER_IP, burst) with Retry-After, refused ones included', async () => {
    const metrics = new PromGateMetrics();
    const server = await startTestServer({ ...SMALL, GATE_CONNECT_RATE_PER_IP: '4', GATE_CONNECT_BURST_PER_IP: '3' }, { gateMetrics: metrics });
    try {
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await tryUpgrade('127.0.0.1', server.port));
      expect(results.map((r) => r.status)).toEqual([101, 101, 101, 429, 429]);
      expect(results[3].retryAfterS).toBeGreaterThanOrEqual(1);
      expect((await tryUpgrade('127.0.0.1', server.port, { localAddress: '127.0.0.2' })).status).toBe(101);
      // A quarter of a second later there is a token again.
      await new Promise((r) => setTimeout(r, 300));
      expect((await tryUpgrade('127.0.0.1', server.port)).status).toBe(101);
      expect(metrics.refusals.get('ip_connect_rate')).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('counts IPv4 and IPv4-mapped peers of one host as one address (dual-stack listener)', async (ctx) => {
    let server: Server;
    try {
      server = await startTestServer({ ...SMALL, GATE_SOCKETS_PER_IP: '1', GATE_HANDSHAKES_PER_IP: '1', HOST: '::' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAFNOSUPPORT' || (err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return ctx.skip('no IPv6 on this machine');
      throw err;
    }
    try {
      const a = await open(`ws://127.0.0.1:${server.port}/play`);
      expect(typeof a).not.toBe('number');
      // On a dual-stack socket the same client shows as ::ffff:127.0.0.1.
      expect(await open(`ws://127.0.0.1:${server.port}/play`)).toBe(429);
      expect(server.gate.guard.limits.counts('127.0.0.1').sockets).toBe(1);
      (a as WebSocket).terminate();
    } finally {
      await server.close();
    }
  });
});

describe('trusted proxies', () => {
  it('count the client X-Forwarded-For names when the peer is a trusted proxy, and only then', async () => {
    const server = await startTestServer({ ...SMALL, TRUSTED_PROXIES: '127.0.0.1', GATE_SOCKETS_PER_IP: '1', GATE_HANDSHAKES_PER_IP: '1' });
    const sockets: WebSocket[] = [];
    try {
      const a = await open(server.url, '127.0.0.1', { 'X-Forwarded-For': '198.51.100.1' });
      expect(typeof a).not.toBe('number');
      sockets.push(a as WebSocket);
      expect(await open(server.url, '127.0.0.1', { 'X-Forwarded-For': '198.51.100.1' })).toBe(429);
      // A client cannot pick its address by writing a hop of its own: the proxy's hop is the right-most.
      expect(await open(server.url, '127.0.0.1', { 'X-Forwarded-For': '203.0.113.9, 198.51.100.1' })).toBe(429);
      const b = await open(server.url, '127.0.0.1', { 'X-Forwarded-For': '198.51.100.2' });
      expect(typeof b).not.toBe('number');
      sockets.push(b as WebSocket);
      expect([...server.gate.connections.values()].map((c) => c.remote).sort()).toEqual(['198.51.100.1', '198.51.100.2']);
      // 127.0.0.2 is no proxy: its header is ignored and it counts as itself.
      const c = await open(server.url, '127.0.0.2', { 'X-Forwarded-For': '198.51.100.1' });
      expect(typeof c).not.toBe('number');
      sockets.push(c as WebSocket);
      expect(await open(server.url, '127.0.0.2', { 'X-Forwarded-For': '198.51.100.3' })).toBe(429);
      expect([...server.gate.connections.values()].map((x) => x.remote).sort()).toEqual(['127.0.0.2', '198.51.100.1', '198.51.100.2']);
    } finally {
      for (const s of sockets) s.terminate();
      await server.close();
    }
  });
});

describe('per-connection rates', () => {
  let server: Server;
  const metrics = new PromGateMetrics();
  beforeAll(async () => {
    server = await startTestServer({ ...SMALL, GATE_MSG_RATE: '50', GATE_MSG_BURST: '40', GATE_BYTE_RATE: '512', GATE_BYTE_BURST: '1024' }, { gateMetrics: metrics });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets a burst through, closes past it with 4004, and lets a steady client under the rate play on', async () => {
    const steady = await TestClient.connect(server.url, 'steady');
    const bursty = await TestClient.connect(server.url, 'bursty');
    // 30 at once (the HELLO and acks took a few tokens): within the burst.
    for (let i = 0; i < 30; i++) bursty.ping();
    // The steady one pings 20 times a second for a second, well under 50/s.
    for (let i = 0; i < 20; i++) {
      steady.ping();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(bursty.closeCode).toBeUndefined();
    for (let i = 0; i < 200; i++) bursty.ping();
    expect(await bursty.waitClosed()).toBe(CloseCode.RATE_LIMITED);
    expect(bursty.errors.at(-1)).toMatchObject({ op: 'error', message: 'too many messages per second' });
    expect(steady.closeCode).toBeUndefined();
    expect(metrics.rateLimits.get('messages')).toBe(1);
    steady.close();
  });

  it('closes a connection past its byte rate with 4004; WebSocket ping control frames count', async () => {
    const c = await TestClient.connect(server.url, 'chatty');
    // Ten pings of 125 bytes (the most a control frame carries) are over the 1024-byte burst, and within the message burst.
    for (let i = 0; i < 12; i++) c.ws.ping(Buffer.alloc(125));
    expect(await c.waitClosed()).toBe(CloseCode.RATE_LIMITED);
    expect(c.errors.at(-1)).toMatchObject({ message: 'too many bytes per second' });
    expect(metrics.rateLimits.get('bytes')).toBe(1);
    // A flood of pings is closed the same way, never cut without a close code.
    const p = await TestClient.connect(server.url, 'pinger');
    for (let i = 0; i < 400; i++) p.ws.ping();
    expect(await p.waitClosed()).toBe(CloseCode.RATE_LIMITED);
  });
});
