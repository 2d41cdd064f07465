import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHello, encodeInput } from '../../src/protocol/encode.ts';
import { loadConfig } from '../../src/main/config.ts';
import { CloseCode } from '../../src/protocol/errors.ts';
import { AuthKind, Limits, MoveKind } from '../../src/protocol/opcodes.ts';
import { TestClient } from '../helpers/client.ts';
import { startTestServer } from '../helpers/server.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Opens a raw connection and sends `frames` in order; resolves with the close code. */
async function rawClose(url: string, frames: (Uint8Array | string)[], timeoutMs = 5000): Promise<number> {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  await new Promise((r) => ws.once('open', r));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  for (const f of frames) ws.send(f);
  return Promise.race([closed, new Promise<number>((_, rej) => setTimeout(() => rej(new Error('not closed')), timeoutMs))]);
}

describe('hostile clients at the gate', () => {
  let server: Server;
  let watcher: TestClient;

  beforeAll(async () => {
    server = await startTestServer({ HANDSHAKE_TIMEOUT_MS: '300', SPAWN_SPREAD: '0' });
    watcher = await TestClient.connect(server.url, 'watcher');
  });
  afterAll(async () => {
    watcher?.close();
    await server?.close();
  });

  it('closes garbage, oversized frames and wrong versions with protocol codes while a neighbour keeps its snapshots', async () => {
    const before = watcher.snapshots.length;
    const startTick = watcher.view.lastTick;
    const codes = await Promise.all([
      rawClose(server.url, [new Uint8Array([0xde, 0xad, 0xbe, 0xef])]),
      rawClose(server.url, [new Uint8Array(Limits.maxClientFrame + 1)]),
      rawClose(server.url, [encodeHello('old', 0, AuthKind.GUEST, 999)]),
      rawClose(server.url, ['{"op":"hello"}']),
      rawClose(server.url, [encodeInput({ seq: 1, ackTick: 0, move: MoveKind.STOP, dx: 0, dy: 0, x: 0, y: 0 })]),
      rawClose(server.url, [encodeHello('twice'), encodeHello('twice')]),
      rawClose(server.url, [encodeHello('bad\u202ename')]),
      rawClose(server.url, [encodeHello('ok'), new Uint8Array([2, 1, 0])]),
    ]);
    expect(codes).toEqual([
      CloseCode.PROTOCOL_ERROR, // unknown opcode
      CloseCode.MESSAGE_TOO_BIG, // over maxPayload
      CloseCode.UNSUPPORTED_VERSION,
      CloseCode.PROTOCOL_ERROR, // text frame
      CloseCode.PROTOCOL_ERROR, // input before hello
      CloseCode.PROTOCOL_ERROR, // second hello
      CloseCode.PROTOCOL_ERROR, // bidi override in a name
      CloseCode.PROTOCOL_ERROR, // truncated input after a good hello
    ]);
    // Let the watcher run on for a second after the storm.
    await watcher.until(() => watcher.view.lastTick >= startTick + 20, 5000, 'twenty more ticks');
    const seen = watcher.snapshots.slice(before);
    for (let i = 1; i < seen.length; i++) expect(seen[i].tick).toBe(seen[i - 1].tick + 1);
    expect(watcher.closeCode).toBeUndefined();
  });

  it('closes a connection that floods messages with the rate-limit code', async () => {
    const frames: Uint8Array[] = [encodeHello('flood')];
    // Past the burst a connection may send at once (GATE_MSG_BURST).
    for (let i = 0; i < loadConfig({}).gateLimits.msgBurst + 10; i++) {
      frames.push(encodeInput({ seq: i + 1, ackTick: 0, move: MoveKind.DIRECTION, dx: 1, dy: 0, x: 0, y: 0 }));
    }
    expect(await rawClose(server.url, frames)).toBe(CloseCode.RATE_LIMITED);
  });

  it('closes a connection that never says hello with the handshake-timeout code', async () => {
    expect(await rawClose(server.url, [])).toBe(CloseCode.HANDSHAKE_TIMEOUT);
  });

  it('refuses a session token when the server has no accounts', async () => {
    expect(await rawClose(server.url, [encodeHello('a'.repeat(64), 1, AuthKind.TOKEN)])).toBe(CloseCode.AUTH_FAILED);
  });

  it('answers a WebSocket upgrade on an unknown path with 404 and keeps serving', async () => {
    const ws = new WebSocket(server.url.replace('/play', '/nope'));
    const err = await new Promise<Error>((resolve) => ws.on('error', resolve));
    expect(err.message).toContain('404');
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('gate limits', () => {
  it('refuses guests when ALLOW_GUESTS is off and players past MAX_PLAYERS', async () => {
    const server = await startTestServer({ ALLOW_GUESTS: '0' });
    try {
      expect(await rawClose(server.url, [encodeHello('guest')])).toBe(CloseCode.AUTH_FAILED);
    } finally {
      await server.close();
    }
    const full = await startTestServer({ MAX_PLAYERS: '1' });
    try {
      const first = await TestClient.connect(full.url, 'first');
      expect(await rawClose(full.url, [encodeHello('second')])).toBe(CloseCode.SERVER_FULL);
      first.close();
    } finally {
      await full.close();
    }
  });

  it('closes an idle connection with the idle code', async () => {
    const server = await startTestServer({ IDLE_TIMEOUT_MS: '1000', HEARTBEAT_MS: '200' });
    try {
      const c = new WebSocket(server.url);
      c.on('error', () => {});
      await new Promise((r) => c.once('open', r));
      c.send(encodeHello('sleepy'));
      const code = await new Promise<number>((resolve) => c.on('close', (code) => resolve(code)));
      expect(code).toBe(CloseCode.IDLE_TIMEOUT);
    } finally {
      await server.close();
    }
  });
});
