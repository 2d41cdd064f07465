/**
 * The configuration of the server's edge: transport (TLS, trusted proxies),
 * the gate's per-address and per-connection limits, and the HTTP server's
 * timeouts and body limit. Read by loadConfig (config.ts) through the one
 * environment reader; its rows follow config.ts's in the README table.
 *
 * Defaults are chosen for a server facing players directly: generous enough
 * for a household or a small NAT behind one address, tight enough that one
 * address cannot hold more than a sliver of MAX_PLAYERS or of the
 * coordinator's time (docs/operations.md, "The gate under attack").
 */
import { Limits } from '../protocol/opcodes.ts';
import type { ConfigVar, EnvReader } from './env.ts';
import { NO_ADDRESSES, parseAddressList, type AddressList } from './net/ip.ts';

/** What one address, and one connection, may do at the gate. */
export interface GateLimits {
  /** Open WebSocket sockets per address (IPv6: per /64). */
  socketsPerIp: number;
  /** Sockets per address that have not finished the handshake (no WELCOME yet). */
  handshakesPerIp: number;
  /** Upgrade attempts per second per address, and the burst above that rate. */
  connectRatePerIp: number;
  connectBurstPerIp: number;
  /** Addresses the per-address limits do not apply to (load generators, monitoring). */
  exempt: AddressList;
  /** Client messages (data frames, pings and pongs) per second per connection, and the burst. */
  msgRate: number;
  msgBurst: number;
  /** Client payload bytes per second per connection, and the burst. */
  byteRate: number;
  byteBurst: number;
}

/** The HTTP server's defences against slow and oversized requests. */
export interface HttpLimits {
  /** Time to receive a request's headers (a slowloris client is cut off with 408). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Largest request body any route reads (413 beyond it). */
  maxBodyBytes: number;
}

/** Certificate and key files: the server speaks HTTPS and wss://. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface NetConfig {
  /** Reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: AddressList;
  tls: TlsFiles | undefined;
  gateLimits: GateLimits;
  http: HttpLimits;
}

export const NET_CONFIG_VARS: ConfigVar[] = [
  { name: 'TLS_CERT', default: '(unset: plain HTTP and ws://)', doc: 'PEM certificate chain file; with TLS_KEY the server speaks HTTPS and wss:// on PORT. Set both or neither; an unreadable or mismatched file stops the start.' },
  { name: 'TLS_KEY', default: '(unset)', doc: 'PEM private key file for TLS_CERT.' },
  { name: 'TRUSTED_PROXIES', default: '(unset: none)', doc: 'Reverse proxies (comma-separated addresses, CIDR subnets, or loopback, private, linklocal) whose X-Forwarded-For is believed: the client is the right-most hop that is not one of them. From anyone else the header is ignored.' },
  { name: 'GATE_SOCKETS_PER_IP', default: '64', doc: 'Open /play sockets one address (IPv6: one /64) may hold; more are refused at the upgrade with 429.' },
  { name: 'GATE_HANDSHAKES_PER_IP', default: '16', doc: 'Sockets of one address that have not finished the handshake (no WELCOME yet); more are refused with 429. At most GATE_SOCKETS_PER_IP.' },
  { name: 'GATE_CONNECT_RATE_PER_IP', default: '10', doc: 'Upgrade attempts per second per address (token bucket); refused attempts count too, so a client that hammers stays refused (429) until it slows down.' },
  { name: 'GATE_CONNECT_BURST_PER_IP', default: '30', doc: 'Upgrade attempts one address may make at once above GATE_CONNECT_RATE_PER_IP.' },
  { name: 'GATE_IP_LIMIT_EXEMPT', default: '(unset: none)', doc: 'Addresses or subnets (as TRUSTED_PROXIES) the per-address limits do not apply to, e.g. a load generator; per-connection rates still apply. The anti-cheat counts the violations of guests from them but never warns, kicks or bans them by address (accounts still are).' },
  { name: 'GATE_MSG_RATE', default: '120', doc: 'Client messages per second per connection (WebSocket data frames, pings and pongs), token bucket; past it the connection is closed with 4004.' },
  { name: 'GATE_MSG_BURST', default: '240', doc: 'Messages a connection may send at once above GATE_MSG_RATE.' },
  { name: 'GATE_BYTE_RATE', default: '8192', doc: 'Client payload bytes per second per connection; past it the connection is closed with 4004.' },
  { name: 'GATE_BYTE_BURST', default: '16384', doc: `Payload bytes a connection may send at once above GATE_BYTE_RATE; at least ${Limits.maxClientFrame} (one largest frame).` },
  { name: 'HTTP_HEADERS_TIMEOUT_MS', default: '10000', doc: 'A request whose headers have not all arrived by then gets 408 and is closed (slow clients); at most HTTP_REQUEST_TIMEOUT_MS.' },
  { name: 'HTTP_REQUEST_TIMEOUT_MS', default: '30000', doc: 'A request (headers and body) not received by then gets 408 and is closed.' },
  { name: 'HTTP_KEEPALIVE_TIMEOUT_MS', default: '5000', doc: 'An idle keep-alive HTTP connection is closed after this.' },
  { name: 'HTTP_MAX_BODY_BYTES', default: '16384', doc: 'Largest request body (account API); a larger one gets 413 and the connection is closed.' },
];

/** An address list variable, or the empty list when unset. */
function addressList(r: EnvReader, name: string): AddressList {
  const raw = r.raw(name);
  if (raw === undefined) return NO_ADDRESSES;
  const list = parseAddressList(raw);
  if (typeof list === 'string') {
    r.problem(`${name}: ${list}`);
    return NO_ADDRESSES;
  }
  return list;
}

/** Reads the edge's configuration; problems go to `r` (thrown together by loadConfig). */
export function readNetConfig(r: EnvReader): NetConfig {
  const certFile = r.raw('TLS_CERT');
  const keyFile = r.raw('TLS_KEY');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    r.problem(`set both TLS_CERT and TLS_KEY, or neither (only ${certFile === undefined ? 'TLS_KEY' : 'TLS_CERT'} is set)`);
  }
  const gateLimits: GateLimits = {
    socketsPerIp: r.int('GATE_SOCKETS_PER_IP', 64, 1, 1_000_000),
    handshakesPerIp: r.int('GATE_HANDSHAKES_PER_IP', 16, 1, 1_000_000),
    connectRatePerIp: r.int('GATE_CONNECT_RATE_PER_IP', 10, 1, 1_000_000),
    connectBurstPerIp: r.int('GATE_CONNECT_BURST_PER_IP', 30, 1, 1_000_000),
    exempt: addressList(r, 'GATE_IP_LIMIT_EXEMPT'),
    msgRate: r.int('GATE_MSG_RATE', 120, 1, 1_000_000),
    msgBurst: r.int('GATE_MSG_BURST', 240, 1, 1_000_000),
    byteRate: r.int('GATE_BYTE_RATE', 8192, 1, 1 << 30),
    byteBurst: r.int('GATE_BYTE_BURST', 16_384, Limits.maxClientFrame, 1 << 30),
  };
  if (gateLimits.handshakesPerIp > gateLimits.socketsPerIp) {
    r.problem(`GATE_HANDSHAKES_PER_IP (${gateLimits.handshakesPerIp}) must not exceed GATE_SOCKETS_PER_IP (${gateLimits.socketsPerIp})`);
  }
  const http: HttpLimits = {
    headersTimeoutMs: r.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: r.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    keepAliveTimeoutMs: r.int('HTTP_KEEPALIVE_TIMEOUT_MS', 5000, 100, 600_000),
    maxBodyBytes: r.int('HTTP_MAX_BODY_BYTES', 16_384, 256, 64 * 1024 * 1024),
  };
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    r.problem(`HTTP_HEADERS_TIMEOUT_MS (${http.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs})`);
  }
  return {
    trustedProxies: addressList(r, 'TRUSTED_PROXIES'),
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    gateLimits,
    http,
  };
}
