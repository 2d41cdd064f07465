/**
 * The bots' WebSocket client: RFC 6455 over one socket, read through
 * Node's `onread` into a buffer that all of a worker's sockets share.
 *
 * Why not ws, which the rest of the project uses: a bot's work is to
 * receive 20 snapshots a second, and ws hands each read through the
 * socket's Readable stream (a new Buffer per read), its Receiver (a
 * Writable stream) and an event. With the frames parsed straight from the
 * read, a client process spends about half the CPU in user mode per frame
 * and a quarter less in all (`npm run bench:ws-client`), and the load
 * bench's bots 15-18 % less per frame (docs/benchmarks.md, "The bots' own
 * WebSocket client"). The bots share the box with the server in every load
 * figure, so that is the server's headroom. The decoding itself is
 * unchanged: every snapshot still goes through the shared ClientView.
 *
 * What it speaks: the opening handshake (the key and the accept checked),
 * binary and text messages, fragmented ones joined, ping answered with
 * pong, the closing handshake both ways, and failing the connection with
 * 1002 or 1009 on a frame RFC 6455 forbids, a close code no endpoint may
 * send, or a message past `maxPayload`. No extensions and no subprotocols
 * are offered. Text messages are handed on without UTF-8 validation, as the
 * bots had ws do (`skipUTF8Validation`): a bot counts any text frame as an
 * error. Every frame it sends is masked with a random key, as RFC 6455
 * requires of a client.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { wsHeaderBytes, writeWsHeader } from '../protocol/ws-header.ts';
import { CloseCode } from '../protocol/errors.ts';
import { WsFrameReader, WsOp, WsProtocolError } from './ws-frame-reader.ts';

export const WsState = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;

/** What the client tells its owner. `onClose` comes once, last, whatever happened. */
export interface WsClientEvents {
  onOpen(): void;
  /** A whole message; `payload` is valid only during the call. */
  onMessage(payload: Uint8Array, binary: boolean): void;
  /** A failure: before `onClose`, at most once. */
  onError(err: Error & { code?: string }): void;
  /** The close code the server sent (1005: none), or 1006 when the connection ended without one. */
  onClose(code: number): void;
}

export interface WsClientOptions {
  /** Largest message accepted from the server. */
  maxPayload: number;
  /** The opening handshake must finish within this. */
  handshakeTimeoutMs: number;
  /** Every socket of a thread may read into the same buffer: a read is parsed before the next one. */
  readBuffer: Buffer;
  localAddress?: string;
  /** wss:// only: certificates to trust besides the system's. */
  ca?: string | Buffer;
}

/** Codes RFC 6455 reserves for reporting, never sent: a close frame without a code, and a connection that ended without one. */
const NO_STATUS = 1005;
const ABNORMAL = 1006;
/** RFC 6455's GUID, hashed with the key into Sec-WebSocket-Accept. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A response head larger than this is not a WebSocket server's. */
const MAX_HEAD_BYTES = 8192;
/** How long a close we started waits for the server's before the socket is dropped. */
const CLOSE_TIMEOUT_MS = 5000;
/** Masking keys are cut from this many random bytes, filled at once. */
const MASK_POOL_BYTES = 4096;

const maskPool = Buffer.allocUnsafe(MASK_POOL_BYTES);
let maskAt = MASK_POOL_BYTES;

export class WsClient {
  private state: number = WsState.CONNECTING;
  private readonly socket: Socket;
  private readonly events: WsClientEvents;
  private readonly reader: WsFrameReader;
  private readonly key = randomBytes(16).toString('base64');
  /** The response head read so far (a copy: the read buffer is shared). */
  private head: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | null;
  private closeCode: number = ABNORMAL;
  private errored = false;

  constructor(url: string, options: WsClientOptions, events: WsClientEvents) {
    const u = new URL(url);
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new TypeError(`not a WebSocket URL: ${url}`);
    this.events = events;
    this.reader = new WsFrameReader(options.maxPayload, {
      message: (op, payload) => {
        this.events.onMessage(payload, op === WsOp.BINARY);
      },
      control: (op, payload) => {
        this.onControl(op, payload);
      },
    });
    const secure = u.protocol === 'wss:';
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    const port = u.port ? Number(u.port) : secure ? 443 : 80;
    const onread = { buffer: options.readBuffer, callback: (n: number, buf: Buffer): boolean => this.onRead(n, buf) };
    const request =
      `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    const sendRequest = (): void => {
      this.socket.setNoDelay(true);
      this.socket.write(request);
    };
    this.socket = secure
      ? // tls.connect takes `onread` as net.connect does (Node's docs); @types/node leaves it out.
        tlsConnect({ host, port, servername: isIP(host) ? undefined : host, localAddress: options.localAddress, ca: options.ca, onread } as ConnectionOptions, sendRequest)
      : netConnect({ host, port, localAddress: options.localAddress, onread }, sendRequest);
    this.socket.on('error', (err) => {
      this.fail(err);
    });
    this.socket.on('close', () => {
      this.finish();
    });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fail(Object.assign(new Error('Opening handshake has timed out'), { code: 'WS_HANDSHAKE_TIMEOUT' }));
    }, options.handshakeTimeoutMs);
  }

  get readyState(): number {
    return this.state;
  }

  /** Sends one binary message as one masked frame in one write; dropped unless open. */
  send(payload: Uint8Array): void {
    if (this.state !== WsState.OPEN) return;
    this.socket.write(maskedFrame(WsOp.BINARY, payload));
  }

  /** Starts the closing handshake; the socket ends once the server answers (or after 5 s). */
  close(code: number = CloseCode.NORMAL, reason = ''): void {
    if (this.state === WsState.CONNECTING) {
      this.terminate();
      return;
    }
    if (this.state !== WsState.OPEN) return;
    this.state = WsState.CLOSING;
    this.socket.write(maskedFrame(WsOp.CLOSE, closePayload(code, reason)));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.socket.destroy();
    }, CLOSE_TIMEOUT_MS);
  }

  /** Drops the connection at once, with no closing handshake. */
  terminate(): void {
    if (this.state === WsState.CLOSED) return;
    this.state = WsState.CLOSING;
    this.socket.destroy();
  }

  /** `onread`'s callback: the handshake's response head, then frames. */
  private onRead(n: number, buf: Buffer): boolean {
    if (this.state === WsState.CLOSED) return false;
    let chunk = buf.subarray(0, n);
    if (this.state === WsState.CONNECTING) {
      const rest = this.readHead(chunk);
      if (rest === null) return true;
      chunk = rest;
    }
    try {
      this.reader.push(chunk);
    } catch (err) {
      if (!(err instanceof WsProtocolError)) throw err;
      this.failWith(err, err.closeCode);
    }
    return true;
  }

  /** Collects the response head; once whole, checks it and opens. Returns the bytes after it (frames), or null. */
  private readHead(chunk: Buffer): Buffer | null {
    const all = Buffer.concat([this.head, chunk]);
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) {
      if (all.length > MAX_HEAD_BYTES) this.fail(Object.assign(new Error(`a response head of more than ${MAX_HEAD_BYTES} bytes`), { code: 'WS_HANDSHAKE' }));
      else this.head = all;
      return null;
    }
    this.head = Buffer.alloc(0);
    const problem = checkHead(all.toString('latin1', 0, end), this.key);
    if (problem) {
      this.fail(problem);
      return null;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state = WsState.OPEN;
    this.events.onOpen();
    return all.subarray(end + 4);
  }

  private onControl(op: number, payload: Uint8Array): void {
    if (op === WsOp.PING) {
      if (this.state === WsState.OPEN) this.socket.write(maskedFrame(WsOp.PONG, payload));
      return;
    }
    if (op !== WsOp.CLOSE) return;
    if (payload.length === 1) {
      this.failWith(new WsProtocolError('a close frame of 1 byte', CloseCode.WS_PROTOCOL_ERROR), CloseCode.WS_PROTOCOL_ERROR);
      return;
    }
    const code = payload.length >= 2 ? (payload[0] << 8) | payload[1] : NO_STATUS;
    if (payload.length >= 2 && !isSendableCloseCode(code)) {
      this.failWith(new WsProtocolError(`a close frame with code ${code}, which no endpoint may send`, CloseCode.WS_PROTOCOL_ERROR), CloseCode.WS_PROTOCOL_ERROR);
      return;
    }
    this.closeCode = code;
    if (this.state === WsState.OPEN) {
      // The server closed first: echo its code, and it ends the TCP connection (§5.5.1).
      this.state = WsState.CLOSING;
      this.socket.write(maskedFrame(WsOp.CLOSE, payload.subarray(0, Math.min(2, payload.length))));
    }
    this.socket.end();
  }

  /** Fails the connection: sends a close with `closeCode` if it can, then drops the socket. */
  private failWith(err: Error & { code?: string }, closeCode: number): void {
    if (this.state === WsState.OPEN) this.socket.write(maskedFrame(WsOp.CLOSE, closePayload(closeCode, '')));
    this.fail(err);
    // As ws reports it: the code the client failed the connection with.
    this.closeCode = closeCode;
  }

  private fail(err: Error & { code?: string }): void {
    if (this.state === WsState.CLOSED) return;
    if (!this.errored) {
      this.errored = true;
      this.events.onError(err);
    }
    this.state = WsState.CLOSING;
    this.closeCode = ABNORMAL;
    this.socket.destroy();
  }

  private finish(): void {
    if (this.state === WsState.CLOSED) return;
    this.state = WsState.CLOSED;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.events.onClose(this.closeCode);
  }
}

/** Why a response head is not the upgrade asked for, or null when it is. */
function checkHead(head: string, key: string): (Error & { code?: string }) | null {
  const lines = head.split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0]);
  // ws words it the same way, so a report's failure reasons read as before.
  if (!status || status[1] !== '101') return new Error(`Unexpected server response: ${status ? status[1] : JSON.stringify(lines[0].slice(0, 40))}`);
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon > 0) headers.set(lines[i].slice(0, colon).trim().toLowerCase(), lines[i].slice(colon + 1).trim());
  }
  const bad = (what: string): Error & { code: string } => Object.assign(new Error(`Invalid upgrade response: ${what}`), { code: 'WS_HANDSHAKE' });
  if (headers.get('upgrade')?.toLowerCase() !== 'websocket') return bad('no "Upgrade: websocket"');
  if (!/(^|,)\s*upgrade\s*(,|$)/i.test(headers.get('connection') ?? '')) return bad('no "Connection: Upgrade"');
  const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
  if (headers.get('sec-websocket-accept') !== accept) return bad('a wrong Sec-WebSocket-Accept');
  if (headers.has('sec-websocket-extensions')) return bad('an extension that was not offered');
  if (headers.has('sec-websocket-protocol')) return bad('a subprotocol that was not offered');
  return null;
}

/** Codes a close frame may carry (RFC 6455 §7.4): 1000-1014 but for 1004-1006 (reserved or never sent), and 3000-4999. */
function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** A close frame's payload: the code, then the reason (at most 123 bytes of UTF-8). */
function closePayload(code: number, reason: string): Uint8Array {
  const text = Buffer.from(reason, 'utf8');
  if (text.length > 123) throw new RangeError('a close reason takes at most 123 bytes');
  const out = Buffer.allocUnsafe(2 + text.length);
  out.writeUInt16BE(code, 0);
  text.copy(out, 2);
  return out;
}

/** A final frame of `op`, masked with a fresh random key, header and payload in one buffer. */
export function maskedFrame(op: number, payload: Uint8Array): Buffer {
  const n = payload.length;
  const out = Buffer.allocUnsafe(wsHeaderBytes(n, true) + n);
  // Where the key goes: after 2 header bytes, 4 with a 16-bit length, 10 with a 64-bit one.
  const header = writeWsHeader(out, 0, op, n, true);
  if (maskAt + 4 > MASK_POOL_BYTES) {
    randomFillSync(maskPool);
    maskAt = 0;
  }
  out[header] = maskPool[maskAt];
  out[header + 1] = maskPool[maskAt + 1];
  out[header + 2] = maskPool[maskAt + 2];
  out[header + 3] = maskPool[maskAt + 3];
  maskAt += 4;
  const at = header + 4;
  for (let i = 0; i < n; i++) out[at + i] = payload[i] ^ out[header + (i & 3)];
  return out;
}
