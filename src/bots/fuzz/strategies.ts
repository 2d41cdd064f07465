/**
 * What one fuzzing connection does, and how the server must end it. Each
 * strategy opens a connection to /play (or only tries to), sends its
 * frames, and then waits for the server to close it; the close code (or
 * the HTTP status of a refused upgrade) must be one the strategy expects,
 * and never 1006 (the socket cut without a close frame).
 */
import { connect } from 'node:net';
import WebSocket from 'ws';
import { CloseCode } from '../../protocol/errors.ts';
import { encodeHello } from '../../protocol/encode.ts';
import { Limits, ServerOp } from '../../protocol/opcodes.ts';
import { upgradeRequest } from '../flood.ts';
import { BAD_OPCODE, int, mutatedFrame, pick, randomFrame, validFrame, type Rnd } from './frames.ts';

/** How one fuzzing connection ended. */
export interface FuzzOutcome {
  strategy: string;
  /** Seed of the connection's random choices: `npm run fuzz -- --replay SEED` does it again. */
  seed: number;
  /** closed: the server closed it with `code`; refused: the upgrade got `httpStatus`; terminated: the strategy cut it on purpose; hung: nothing within the wait. */
  end: 'closed' | 'refused' | 'terminated' | 'hung';
  code: number | null;
  httpStatus: number | null;
  ms: number;
  /** Frames sent, as hex (the first 48 bytes of each), kept for the report of a failure. */
  frames: string[];
  error?: string;
}

/** What a strategy gets: the connection, its seed's numbers, and the server's handshake timeout. */
export interface FuzzContext {
  url: string;
  rnd: Rnd;
  localAddress: string | undefined;
  handshakeTimeoutMs: number;
}

export interface Strategy {
  name: string;
  /** Relative frequency. */
  weight: number;
  /** Close codes that are right for it (end 'closed'). */
  codes?: readonly number[];
  /** HTTP statuses that are right for it (end 'refused'). */
  http?: readonly number[];
  /** The strategy cuts the connection itself (end 'terminated'). */
  terminates?: boolean;
  /** Longest wait for the server to end it after the strategy is done, ms. */
  waitMs?: (ctx: FuzzContext) => number;
  run(c: FuzzSocket, ctx: FuzzContext): Promise<void>;
}

const hex = (b: Uint8Array): string => Buffer.from(b.subarray(0, 48)).toString('hex') + (b.length > 48 ? `…(${b.length})` : '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A ws client that remembers what it sent and how it ended. */
export class FuzzSocket {
  readonly ws: WebSocket;
  readonly frames: string[] = [];
  code: number | null = null;
  httpStatus: number | null = null;
  error: string | undefined;
  welcomed = false;
  readonly opened: Promise<boolean>;
  readonly closed: Promise<void>;

  constructor(url: string, localAddress: string | undefined) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, localAddress, handshakeTimeout: 10_000 });
    this.ws.on('message', (d: Buffer) => {
      if (d[0] === ServerOp.WELCOME) this.welcomed = true;
    });
    this.opened = new Promise((resolve) => {
      this.ws.once('open', () => resolve(true));
      this.ws.once('close', () => resolve(false));
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code) => {
        this.code = code;
        resolve();
      });
    });
    this.ws.on('unexpected-response', (_req, res) => {
      this.httpStatus = res.statusCode ?? 0;
      res.resume();
      this.ws.terminate();
    });
    this.ws.on('error', (err: Error & { code?: string }) => {
      this.error ??= err.code ?? err.message.slice(0, 80);
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(b: Uint8Array, opts: { binary?: boolean; fin?: boolean } = {}): void {
    if (!this.open) return;
    this.frames.push(hex(b));
    this.ws.send(b, { binary: opts.binary ?? true, fin: opts.fin ?? true });
  }

  /** Bytes written on the socket under ws: frames ws would never make. */
  raw(b: Uint8Array): void {
    if (!this.open) return;
    this.frames.push(`raw:${hex(b)}`);
    (this.ws as unknown as { _socket: { write(b: Uint8Array): void } })._socket.write(b);
  }

  /** Waits for WELCOME or the end; true when welcomed. */
  async welcome(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.welcomed && this.open && Date.now() < deadline) await sleep(5);
    return this.welcomed;
  }
}

/** A masked client frame: FIN/RSV/opcode byte, payload (length coded as asked). */
function clientFrame(first: number, payload: Uint8Array, o: { masked?: boolean; len64?: bigint } = {}): Uint8Array {
  const masked = o.masked ?? true;
  const head: number[] = [first];
  const m = masked ? 0x80 : 0;
  if (o.len64 !== undefined) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(o.len64);
    head.push(m | 127, ...b);
  } else if (payload.length < 126) head.push(m | payload.length);
  else head.push(m | 126, payload.length >> 8, payload.length & 0xff);
  const key = masked ? [0x12, 0x34, 0x56, 0x78] : [];
  const body = masked ? payload.map((x, i) => x ^ key[i & 3]) : payload;
  return Uint8Array.from([...head, ...key, ...body]);
}

/** WebSocket frames that break RFC 6455 itself; ws refuses each with 1002 (1009 for an absurd length). */
function badFrame(rnd: Rnd): Uint8Array {
  const p = randomFrame(rnd, 16);
  switch (int(rnd, 8)) {
    case 0:
      return clientFrame(0x80 | 0x40 | 0x2, p); // RSV1 without an extension
    case 1:
      return clientFrame(0x80 | 0x3, p); // reserved data opcode
    case 2:
      return clientFrame(0x80 | 0x2, p, { masked: false }); // client frames must be masked
    case 3:
      return clientFrame(0x80 | 0x9, new Uint8Array(126)); // control frame over 125 bytes
    case 4:
      return clientFrame(0x9, p); // fragmented ping
    case 5:
      return clientFrame(0x80 | 0x0, p); // continuation with nothing to continue
    case 6:
      return clientFrame(0x80 | 0x8, Uint8Array.of(0x03, 0xe7)); // close with code 999
    default:
      return clientFrame(0x80 | 0x2, new Uint8Array(0), { len64: 1n << 62n }); // a length no one can send
  }
}

/** A HELLO the server admits: a guest of a plain name, the server's version. */
function goodHello(rnd: Rnd): Uint8Array {
  return encodeHello(`fuzz${int(rnd, 1e6)}`);
}

/** Every code the server closes a misbehaving client with. */
const PROTOCOL = [
  CloseCode.PROTOCOL_ERROR,
  CloseCode.UNSUPPORTED_VERSION,
  CloseCode.AUTH_FAILED,
  CloseCode.SERVER_FULL,
  CloseCode.MESSAGE_TOO_BIG,
  CloseCode.RATE_LIMITED,
  CloseCode.RESUME_REFUSED,
] as const;

/** Answers to an upgrade ws or the HTTP server refuses. */
const BAD_UPGRADE_STATUSES = [400, 405, 426, 431];

/** Malformed upgrade requests, each written raw; resolves with the HTTP status (0: none). */
function badUpgrade(url: string, rnd: Rnd, localAddress: string | undefined): Promise<number> {
  const { hostname, port } = new URL(url);
  const good = upgradeRequest(hostname, Number(port));
  const variants = [
    good.replace(/Sec-WebSocket-Key: [^\r]*\r\n/, ''),
    good.replace('Sec-WebSocket-Key: ', 'Sec-WebSocket-Key: short'),
    good.replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 99'),
    good.replace('GET /play', 'POST /play'),
    good.replace('Upgrade: websocket', 'Upgrade: h2c'),
    good.replace('GET /play HTTP/1.1', 'GET /play HTTP/9.9'),
    `\x16\x03\x01${Buffer.from(randomFrame(rnd, 64)).toString('latin1')}\r\n\r\n`,
    good.replace('\r\n\r\n', `\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
  ];
  const request = pick(rnd, variants);
  return new Promise((resolve) => {
    const s = connect({ host: hostname, port: Number(port), localAddress });
    let buf = '';
    const done = (status: number) => {
      clearTimeout(timer);
      s.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => done(0), 5000);
    s.on('error', () => done(Number(/^HTTP\/1\.1 (\d{3})/.exec(buf)?.[1] ?? 0)));
    s.on('connect', () => s.write(request, 'latin1'));
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(buf);
      if (m) done(Number(m[1]));
    });
    s.on('close', () => done(Number(/^HTTP\/1\.1 (\d{3})/.exec(buf)?.[1] ?? 0)));
  });
}

export const STRATEGIES: readonly Strategy[] = [
  {
    name: 'random',
    weight: 3,
    codes: PROTOCOL,
    async run(c, { rnd }) {
      for (let i = 1 + int(rnd, 3); i > 0; i--) c.send(randomFrame(rnd));
      c.send(BAD_OPCODE);
    },
  },
  {
    name: 'mutated',
    weight: 5,
    codes: PROTOCOL,
    async run(c, { rnd }) {
      for (let i = 1 + int(rnd, 3); i > 0; i--) c.send(mutatedFrame(rnd));
      c.send(BAD_OPCODE);
    },
  },
  {
    name: 'playing',
    weight: 5,
    codes: PROTOCOL,
    async run(c, { rnd }) {
      // Valid HELLO, then mutated inputs, acks and pings once the player is in the world: the decoders and routes of play.
      c.send(goodHello(rnd));
      await c.welcome();
      for (let i = 1 + int(rnd, 20); i > 0; i--) {
        c.send(
          rnd() < 0.3
            ? validFrame(pick(rnd, ['input_direction', 'input_destination', 'ack', 'ping', 'chat_say', 'chat_zone', 'chat_whisper'] as const), rnd)
            : mutatedFrame(rnd, ['input_stop', 'input_direction', 'input_destination', 'ack', 'ping', 'chat_say', 'chat_zone', 'chat_whisper']),
        );
        if (rnd() < 0.3) await sleep(int(rnd, 60));
      }
      c.send(BAD_OPCODE);
    },
  },
  {
    name: 'text',
    weight: 1,
    codes: [CloseCode.PROTOCOL_ERROR, CloseCode.INVALID_PAYLOAD],
    async run(c, { rnd }) {
      // A text frame: NOT_BINARY; one that is not even UTF-8 is ws's 1007.
      if (rnd() < 0.5) c.send(Buffer.from('{"op":"hello"}'), { binary: false });
      else c.send(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), { binary: false });
    },
  },
  {
    name: 'oversize',
    weight: 1,
    codes: [CloseCode.MESSAGE_TOO_BIG],
    async run(c, { rnd }) {
      c.send(Uint8Array.from({ length: Limits.maxClientFrame + 1 + int(rnd, 4000) }, () => int(rnd, 256)));
    },
  },
  {
    name: 'fragmented',
    weight: 1,
    codes: PROTOCOL,
    async run(c, { rnd }) {
      const hello = validFrame('hello_guest', rnd);
      const cut = int(rnd, hello.length);
      c.send(hello.subarray(0, cut), { fin: false });
      c.send(hello.subarray(cut), { fin: true });
      c.send(BAD_OPCODE);
    },
  },
  {
    name: 'message_flood',
    weight: 1,
    codes: [CloseCode.RATE_LIMITED],
    async run(c, { rnd }) {
      c.send(goodHello(rnd));
      for (let i = 0; i < 400 && c.open; i++) c.send(validFrame('ping', rnd));
    },
  },
  {
    name: 'ping_frame_flood',
    weight: 1,
    codes: [CloseCode.RATE_LIMITED],
    async run(c) {
      for (let i = 0; i < 400 && c.open; i++) {
        c.frames.push('ws-ping');
        c.ws.ping(Buffer.alloc(64));
      }
    },
  },
  {
    name: 'bad_frame',
    weight: 2,
    codes: [CloseCode.WS_PROTOCOL_ERROR, CloseCode.MESSAGE_TOO_BIG, CloseCode.INVALID_PAYLOAD],
    async run(c, { rnd }) {
      if (rnd() < 0.5) c.send(goodHello(rnd));
      c.raw(badFrame(rnd));
    },
  },
  {
    name: 'silent',
    weight: 0.3,
    codes: [CloseCode.HANDSHAKE_TIMEOUT],
    waitMs: (ctx) => ctx.handshakeTimeoutMs + 5000,
    async run() {},
  },
  {
    name: 'abrupt',
    weight: 2,
    terminates: true,
    async run(c, { rnd }) {
      // Cut without a close frame at a random point: during the handshake, while joining, while playing.
      const when = int(rnd, 3);
      if (when > 0) c.send(goodHello(rnd));
      if (when > 1) {
        await c.welcome();
        for (let i = int(rnd, 5); i > 0; i--) c.send(validFrame('input_destination', rnd));
      }
      await sleep(int(rnd, 30));
      c.ws.terminate();
    },
  },
];

/** The upgrade-level strategy: not a WebSocket at all. */
export const BAD_UPGRADE: Strategy = { name: 'bad_upgrade', weight: 1, http: BAD_UPGRADE_STATUSES, async run() {} };

/** Picks a strategy by weight (BAD_UPGRADE among them). */
export function pickStrategy(rnd: Rnd): Strategy {
  const all = [...STRATEGIES, BAD_UPGRADE];
  let r = rnd() * all.reduce((n, s) => n + s.weight, 0);
  for (const s of all) if ((r -= s.weight) < 0) return s;
  return all[0];
}

/** Whether an outcome is what its strategy expects. */
export function expected(s: Strategy, o: FuzzOutcome): boolean {
  if (o.end === 'terminated') return s.terminates === true;
  if (o.end === 'refused') return (s.http ?? []).includes(o.httpStatus ?? -1);
  if (o.end === 'closed') return o.code !== 1005 && o.code !== 1006 && (s.codes ?? []).includes(o.code ?? -1);
  return false;
}

/** Runs one fuzzing connection with `seed` and reports how it ended. */
export async function runConnection(s: Strategy, seed: number, ctx: FuzzContext): Promise<FuzzOutcome> {
  const t0 = performance.now();
  const base = { strategy: s.name, seed };
  if (s === BAD_UPGRADE) {
    const status = await badUpgrade(ctx.url, ctx.rnd, ctx.localAddress);
    return { ...base, end: status === 0 ? 'hung' : 'refused', code: null, httpStatus: status || null, ms: performance.now() - t0, frames: [] };
  }
  const c = new FuzzSocket(ctx.url, ctx.localAddress);
  const opened = await c.opened;
  if (opened) await s.run(c, ctx);
  const waitMs = s.waitMs?.(ctx) ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([c.closed.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), waitMs)))]);
  clearTimeout(timer);
  if (!ended) c.ws.terminate();
  const end: FuzzOutcome['end'] = !ended ? 'hung' : c.httpStatus !== null ? 'refused' : s.terminates ? 'terminated' : 'closed';
  return { ...base, end, code: c.httpStatus === null ? c.code : null, httpStatus: c.httpStatus, ms: performance.now() - t0, frames: c.frames, ...(c.error ? { error: c.error } : {}) };
}
