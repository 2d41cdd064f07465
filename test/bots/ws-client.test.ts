/**
 * The bots' WebSocket client against real servers: ws's (the library the
 * gate runs on) over TCP and TLS, and raw sockets for what a server must
 * never send.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { maskedFrame, WsClient, WsState, type WsClientEvents } from '../../src/bots/ws-client.ts';
import { WsOp } from '../../src/bots/ws-frame-reader.ts';

interface Seen {
  opened: boolean;
  messages: { binary: boolean; hex: string }[];
  errors: (Error & { code?: string })[];
  closes: number[];
}

/** A client and what it reported; `closed` resolves with the close code. */
function client(url: string, opts: { readBuffer?: Buffer; maxPayload?: number; ca?: Buffer; handshakeTimeoutMs?: number } = {}) {
  const seen: Seen = { opened: false, messages: [], errors: [], closes: [] };
  let onOpen = (): void => {};
  let onClose = (_code: number): void => {};
  const opened = new Promise<void>((r) => (onOpen = r));
  const closed = new Promise<number>((r) => (onClose = r));
  const events: WsClientEvents = {
    onOpen: () => {
      seen.opened = true;
      onOpen();
    },
    onMessage: (p, binary) => seen.messages.push({ binary, hex: Buffer.from(p).toString('hex') }),
    onError: (e) => seen.errors.push(e),
    onClose: (code) => {
      seen.closes.push(code);
      onClose(code);
    },
  };
  const c = new WsClient(url, { maxPayload: opts.maxPayload ?? 100_000, handshakeTimeoutMs: opts.handshakeTimeoutMs ?? 5000, readBuffer: opts.readBuffer ?? Buffer.allocUnsafe(65536), ca: opts.ca }, events);
  return { c, seen, opened, closed };
}

function until(check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const t = setInterval(() => {
      if (check()) {
        clearInterval(t);
        resolve();
      } else if (++n > 500) {
        clearInterval(t);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 10);
  });
}

function bytes(n: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

function listen(server: HttpServer | NetServer): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
}

describe('WsClient against ws', () => {
  let http: HttpServer;
  let wss: WebSocketServer;
  let port: number;
  let connections: { ws: ServerSocket; got: { binary: boolean; hex: string }[]; pongs: string[]; close: Promise<[number, string]> }[] = [];

  beforeAll(async () => {
    http = createHttpServer();
    wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    wss.on('connection', (ws) => {
      const got: { binary: boolean; hex: string }[] = [];
      const pongs: string[] = [];
      ws.on('message', (d: Buffer, binary: boolean) => got.push({ binary, hex: d.toString('hex') }));
      ws.on('pong', (d: Buffer) => pongs.push(d.toString('hex')));
      const close = new Promise<[number, string]>((r) => ws.on('close', (code: number, reason: Buffer) => r([code, reason.toString()])));
      connections.push({ ws, got, pongs, close });
    });
    port = await listen(http);
  });
  afterEach(() => {
    for (const c of connections) c.ws.terminate();
    connections = [];
  });
  afterAll(async () => {
    wss.close();
    await new Promise((r) => http.close(r));
  });

  it('opens, and its masked frames reach the server as sent, of every length class', async () => {
    const { c, opened } = client(`ws://127.0.0.1:${port}/play?x=1`);
    await opened;
    expect(c.readyState).toBe(WsState.OPEN);
    const sent = [bytes(0, 0), bytes(16, 1), bytes(125, 2), bytes(126, 3), bytes(65_535, 4), bytes(65_536, 5), bytes(70_000, 6)];
    for (const b of sent) c.send(b);
    await until(() => connections[0]?.got.length === sent.length, 'the server to get every message');
    expect(connections[0].got).toEqual(sent.map((b) => ({ binary: true, hex: b.toString('hex') })));
  });

  it('receives binary and text messages of every length class, with one read buffer shared by two clients', async () => {
    const shared = Buffer.allocUnsafe(65536);
    const a = client(`ws://127.0.0.1:${port}/`, { readBuffer: shared });
    const b = client(`ws://127.0.0.1:${port}/`, { readBuffer: shared });
    await Promise.all([a.opened, b.opened]);
    await until(() => connections.length === 2, 'two connections');
    const out = [bytes(1, 1), bytes(125, 2), bytes(126, 3), bytes(65_536, 4), bytes(99_999, 5)];
    for (const conn of connections) {
      for (const m of out) conn.ws.send(m, { binary: true });
      conn.ws.send('hello', { binary: false });
    }
    const want = [...out.map((m) => ({ binary: true, hex: m.toString('hex') })), { binary: false, hex: Buffer.from('hello').toString('hex') }];
    await until(() => a.seen.messages.length === want.length && b.seen.messages.length === want.length, 'both clients to get every message');
    expect(a.seen.messages).toEqual(want);
    expect(b.seen.messages).toEqual(want);
  });

  it('answers a ping with a pong of the same payload', async () => {
    const { opened } = client(`ws://127.0.0.1:${port}/`);
    await opened;
    await until(() => connections.length === 1, 'the connection');
    connections[0].ws.ping(Buffer.from('are you there'));
    await until(() => connections[0].pongs.length === 1, 'the pong');
    expect(connections[0].pongs).toEqual([Buffer.from('are you there').toString('hex')]);
  });

  it('closes when it asks to: the server sees its code and reason, and it reports the code echoed', async () => {
    const { c, opened, closed, seen } = client(`ws://127.0.0.1:${port}/`);
    await opened;
    await until(() => connections.length === 1, 'the connection');
    c.close(1000, 'done');
    expect(c.readyState).toBe(WsState.CLOSING);
    c.send(bytes(4, 0)); // dropped: not open
    expect(await connections[0].close).toEqual([1000, 'done']);
    expect(await closed).toBe(1000);
    expect(c.readyState).toBe(WsState.CLOSED);
    expect(seen.errors).toEqual([]);
    expect(connections[0].got).toEqual([]);
  });

  it('reports the server’s close code when the server closes first, and echoes it', async () => {
    const { opened, closed, seen } = client(`ws://127.0.0.1:${port}/`);
    await opened;
    await until(() => connections.length === 1, 'the connection');
    connections[0].ws.close(4001, 'kicked');
    expect(await closed).toBe(4001);
    expect(await connections[0].close).toEqual([4001, '']);
    expect(seen.errors).toEqual([]);
    expect(seen.closes).toEqual([4001]);
  });

  it('reports 1006 when the connection drops without a close frame', async () => {
    const { opened, closed, seen } = client(`ws://127.0.0.1:${port}/`);
    await opened;
    await until(() => connections.length === 1, 'the connection');
    connections[0].ws.terminate();
    expect(await closed).toBe(1006);
    expect(seen.closes).toEqual([1006]);
  });

  it('fails a message past maxPayload with 1009, which the server is told', async () => {
    const { opened, closed, seen } = client(`ws://127.0.0.1:${port}/`, { maxPayload: 1000 });
    await opened;
    await until(() => connections.length === 1, 'the connection');
    connections[0].ws.send(bytes(1001, 0));
    expect(await closed).toBe(1009);
    expect(seen.errors.map((e) => e.code)).toEqual(['WS_ERR_TOO_BIG']);
    expect((await connections[0].close)[0]).toBe(1009);
    expect(seen.messages).toEqual([]);
  });
});

describe('WsClient against servers that are not WebSocket servers', () => {
  let server: NetServer | HttpServer | null = null;
  afterEach(async () => {
    const s = server;
    server = null;
    if (s) await new Promise((r) => s.close(r));
  });

  it('reports a refused connection by its code', async () => {
    const probe = createNetServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    const { closed, seen } = client(`ws://127.0.0.1:${port}/`);
    expect(await closed).toBe(1006);
    expect(seen.opened).toBe(false);
    expect(seen.errors.map((e) => e.code)).toEqual(['ECONNREFUSED']);
  });

  it('refuses a response other than 101, worded as ws words it', async () => {
    const http = createHttpServer((_req, res) => res.end());
    http.on('upgrade', (_req, socket: Socket) => socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n'));
    server = http;
    const port = await listen(http);
    const { closed, seen } = client(`ws://127.0.0.1:${port}/play`);
    expect(await closed).toBe(1006);
    expect(seen.errors.map((e) => e.message)).toEqual(['Unexpected server response: 503']);
  });

  /** A raw server that answers the upgrade with `head` (given the request's key), then writes `after`. */
  async function rawServer(head: (key: string) => string, after: Buffer = Buffer.alloc(0)): Promise<{ port: number; received: Buffer[] }> {
    const received: Buffer[] = [];
    const s = createNetServer((sock) => {
      let req = '';
      sock.on('data', (d) => {
        if (req.includes('\r\n\r\n')) {
          received.push(d);
          return;
        }
        req += d.toString('latin1');
        if (!req.includes('\r\n\r\n')) return;
        const key = /Sec-WebSocket-Key: (\S+)/i.exec(req)?.[1] ?? '';
        sock.write(head(key), 'latin1');
        if (after.length > 0) sock.write(after);
      });
      sock.on('error', () => {});
    });
    server = s;
    return { port: await listen(s), received };
  }

  /** The right Sec-WebSocket-Accept, computed here from RFC 6455 rather than taken from the client under test. */
  const accept = (key: string): string => createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');

  it('refuses a wrong Sec-WebSocket-Accept', async () => {
    const { port } = await rawServer(() => 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n');
    const { closed, seen } = client(`ws://127.0.0.1:${port}/`);
    expect(await closed).toBe(1006);
    expect(seen.opened).toBe(false);
    expect(seen.errors.map((e) => e.message)).toEqual(['Invalid upgrade response: a wrong Sec-WebSocket-Accept']);
  });

  it('refuses an extension it did not offer', async () => {
    const { port } = await rawServer((key) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n`);
    const { closed, seen } = client(`ws://127.0.0.1:${port}/`);
    expect(await closed).toBe(1006);
    expect(seen.errors.map((e) => e.message)).toEqual(['Invalid upgrade response: an extension that was not offered']);
  });

  it('refuses a response head past 8 KB', async () => {
    const { port } = await rawServer(() => `HTTP/1.1 101 Switching Protocols\r\nX-Filler: ${'x'.repeat(9000)}`);
    const { closed, seen } = client(`ws://127.0.0.1:${port}/`);
    expect(await closed).toBe(1006);
    expect(seen.errors.map((e) => e.code)).toEqual(['WS_HANDSHAKE']);
  });

  it('gives up on a server that never answers the upgrade', async () => {
    const { port } = await rawServer(() => '');
    const { closed, seen } = client(`ws://127.0.0.1:${port}/`, { handshakeTimeoutMs: 200 });
    expect(await closed).toBe(1006);
    expect(seen.errors.map((e) => e.code)).toEqual(['WS_HANDSHAKE_TIMEOUT']);
  });

  it('takes frames that came in the same read as the response head, and fails on a masked one with 1002 sent', async () => {
    const good = Buffer.from([0x82, 3, 1, 2, 3]);
    const masked = maskedFrame(WsOp.BINARY, Buffer.from([9, 9]));
    const { port, received } = await rawServer(
      (key) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\n\r\n${good.toString('latin1')}`,
      masked,
    );
    const { closed, seen } = client(`ws://127.0.0.1:${port}/`);
    expect(await closed).toBe(1002);
    expect(seen.messages).toEqual([{ binary: true, hex: '010203' }]);
    expect(seen.errors.map((e) => e.code)).toEqual(['WS_ERR_PROTOCOL']);
    // The close frame the client sent: masked, opcode 8, code 1002.
    await until(() => received.length > 0, 'the close frame');
    const f = Buffer.concat(received);
    expect(f[0]).toBe(0x88);
    expect(f[1]).toBe(0x80 | 2);
    expect(((f[6] ^ f[2]) << 8) | (f[7] ^ f[3])).toBe(1002);
  });

  it('fails a close frame carrying a code no endpoint may send (1005) with 1002', async () => {
    const { port, received } = await rawServer(
      (key) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\n\r\n`,
      Buffer.from([0x88, 2, 0x03, 0xed]),
    );
    const { closed, seen } = client(`ws://127.0.0.1:${port}/`);
    expect(await closed).toBe(1002);
    expect(seen.errors.map((e) => e.message)).toEqual(['a close frame with code 1005, which no endpoint may send']);
    await until(() => received.length > 0, 'the close frame');
    const f = Buffer.concat(received);
    expect(((f[6] ^ f[2]) << 8) | (f[7] ^ f[3])).toBe(1002);
  });

  it('refuses a URL that is not ws:// or wss://', () => {
    expect(() => client('http://127.0.0.1:1/')).toThrow(/not a WebSocket URL/);
  });
});

describe('WsClient over TLS', () => {
  let dir: string;
  let cert: Buffer;
  let key: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ws-client-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'));
    key = readFileSync(join(dir, 'key.pem'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('speaks wss:// with the certificate checked, and refuses one it does not trust', async () => {
    const https = createHttpsServer({ cert, key });
    const wss = new WebSocketServer({ server: https, perMessageDeflate: false });
    wss.on('connection', (ws) => ws.on('message', (d: Buffer) => ws.send(Buffer.concat([d, d]))));
    const port = await listen(https);
    try {
      const { c, opened, seen } = client(`wss://127.0.0.1:${port}/play`, { ca: cert });
      await opened;
      c.send(bytes(300, 1));
      await until(() => seen.messages.length === 1, 'the echo');
      expect(seen.messages[0].hex).toBe(Buffer.concat([bytes(300, 1), bytes(300, 1)]).toString('hex'));
      c.close();
      const untrusted = client(`wss://127.0.0.1:${port}/play`);
      expect(await untrusted.closed).toBe(1006);
      expect(untrusted.seen.opened).toBe(false);
      expect(untrusted.seen.errors[0].code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    } finally {
      // Upgraded sockets are the WebSocket server's, not the HTTPS server's to close.
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      https.closeAllConnections();
      await new Promise((r) => https.close(r));
    }
  });
});
