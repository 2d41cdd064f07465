/**
 * The gate's door: every upgrade on /play is checked here before ws makes
 * a WebSocket of it. Over a per-address limit, or while shutting down, the
 * socket is answered with a bare HTTP response (429 or 503) and closed: no
 * WebSocket, no Connection, no timer, a few microseconds of work.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.ts';
import type { GateMetrics, GateRefusal } from '../metrics/gate-metrics.ts';
import type { GateLimits } from '../net-config.ts';
import type { ClientAddresses } from '../net/client-address.ts';
import { addressKey } from '../net/ip.ts';
import { AddressLimits } from './address-limits.ts';

/** An admitted socket: who it is, and whether it still counts as handshaking. */
export interface Admission {
  /** The client's address (trusted proxies applied), for logs. */
  readonly ip: string;
  /** What the per-address limits count it under (IPv6: its /64). */
  readonly key: string;
  handshaking: boolean;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 429: 'Too Many Requests', 503: 'Service Unavailable' };

/** Why each refusal happened, as the response body says it (for people and load-test reports). */
const EXPLAIN: Record<GateRefusal, string> = {
  ip_sockets: 'too many open connections from your address',
  ip_handshakes: 'too many connections from your address still handshaking',
  ip_connect_rate: 'too many connection attempts from your address; slow down',
  shutting_down: 'server shutting down',
  bad_upgrade: 'not a valid WebSocket upgrade',
};

/** Answers an upgrade with a bare HTTP response and closes the socket once it is written. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, retryAfterS?: number, extraHeaders = ''): void {
  const body = `${reason}\n`;
  const head =
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    (retryAfterS !== undefined ? `Retry-After: ${retryAfterS}\r\n` : '') +
    extraHeaders +
    '\r\n';
  // Closed once the bytes are handed to the kernel: a client that never reads or closes holds nothing.
  socket.once('finish', () => socket.destroy());
  socket.end(head + body);
}

/** Per-address admission of upgrades, with counted and rate-limited logging of refusals. */
export class UpgradeGuard {
  readonly limits: AddressLimits;
  private readonly addresses: ClientAddresses;
  private readonly metrics: GateMetrics;
  private readonly log: Logger;

  constructor(limits: GateLimits, addresses: ClientAddresses, metrics: GateMetrics, log: Logger) {
    this.limits = new AddressLimits(limits);
    this.addresses = addresses;
    this.metrics = metrics;
    this.log = log;
  }

  /**
   * Admits an upgrade (counted until its socket closes) or refuses it with
   * 429 on the socket and returns null.
   */
  admit(req: IncomingMessage, socket: Duplex, now = Date.now()): Admission | null {
    const peer = req.socket.remoteAddress;
    if (peer === undefined || socket.destroyed) {
      // Already gone: its 'close' may have passed, so it is not counted.
      socket.destroy();
      return null;
    }
    const ip = this.addresses.resolve(peer, req.headers['x-forwarded-for']);
    const key = addressKey(ip);
    const reason = this.limits.admit(ip, key, now);
    if (reason !== null) {
      this.refuse(socket, reason, this.limits.retryAfterS(key, now));
      const n = this.limits.refusalsToLog(key, now);
      if (n > 0) this.log.warn({ ip, reason, refused: n }, 'refusing connections from an address over its limit');
      return null;
    }
    const a: Admission = { ip, key, handshaking: true };
    socket.once('close', () => this.limits.closed(key, a.handshaking));
    return a;
  }

  /** Refuses an upgrade for `reason` (429, or 503 while shutting down), counted. */
  refuse(socket: Duplex, reason: GateRefusal, retryAfterS?: number): void {
    this.metrics.refused(reason);
    refuseUpgrade(socket, reason === 'shutting_down' ? 503 : 429, EXPLAIN[reason], retryAfterS);
  }

  /**
   * An upgrade ws found malformed (method, Upgrade, Sec-WebSocket-Key or
   * -Version headers): answered as ws would (405 for the method, 400
   * otherwise, with the versions it speaks), and counted.
   */
  refuseMalformed(socket: Duplex, message: string): void {
    this.metrics.refused('bad_upgrade');
    const status = /method/i.test(message) ? 405 : 400;
    refuseUpgrade(socket, status, message.slice(0, 100), undefined, /version/i.test(message) ? 'Sec-WebSocket-Version: 13, 8\r\n' : '');
  }

  /** The admitted socket finished its handshake: it no longer counts against GATE_HANDSHAKES_PER_IP. */
  handshakeDone(a: Admission): void {
    if (!a.handshaking) return;
    a.handshaking = false;
    this.limits.handshakeDone(a.key);
  }

  /** Forgets idle addresses (the gate's sweep calls this). */
  sweep(now: number): void {
    this.limits.sweep(now);
  }
}
