/**
 * Who a request comes from. The TCP peer, unless that peer is a trusted
 * proxy (TRUSTED_PROXIES): then X-Forwarded-For names the client. The
 * header is honoured from trusted proxies only, since anyone else can write
 * anything in it.
 *
 * The HTTP server resolves each request once and remembers the answer on the
 * request (clientAddressOf), for the account API's limits and logs; the gate
 * resolves each upgrade for its per-address limits and logs.
 */
import type { IncomingMessage } from 'node:http';
import { normaliseIp, NO_ADDRESSES, type AddressList } from './ip.ts';

/** Hops of X-Forwarded-For looked at, from the right: a bound on the work a long header can cause. */
const MAX_HOPS = 32;

/** "1.2.3.4:5678" and "[::1]:443", as some proxies write hops: the address without the port. */
function withoutPort(hop: string): string {
  const s = hop.trim();
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s);
  if (v4) return v4[1];
  const v6 = /^\[([^\]]+)\]:\d{1,5}$/.exec(s);
  return v6 ? v6[1] : s;
}

/** Resolves client addresses behind the configured trusted proxies. */
export class ClientAddresses {
  readonly trusted: AddressList;

  constructor(trusted: AddressList = NO_ADDRESSES) {
    this.trusted = trusted;
  }

  /**
   * The client's address: the TCP peer's, or, when the peer is a trusted
   * proxy, the right-most address in X-Forwarded-For that is not itself a
   * trusted proxy (each proxy appends the peer it saw, so hops to the right
   * of it are vouched for and hops to its left are the client's word). When
   * every hop is trusted, the left-most; at a hop that is not an address,
   * the last trusted hop before it (a broken header does not let the client
   * choose its address). 'unknown' when the socket has no peer address any more.
   */
  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
    let client = normaliseIp(peer ?? '') ?? 'unknown';
    if (forwardedFor === undefined || !this.trusted.has(client)) return client;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    const stop = Math.max(0, hops.length - MAX_HOPS);
    for (let i = hops.length - 1; i >= stop; i--) {
      const ip = normaliseIp(withoutPort(hops[i]));
      if (ip === undefined) return client;
      client = ip;
      if (!this.trusted.has(ip)) return ip;
    }
    return client;
  }

  /** resolve() for a request, remembered on it for clientAddressOf(). */
  ofRequest(req: IncomingMessage): string {
    const known = remembered.get(req);
    if (known !== undefined) return known;
    const ip = this.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    remembered.set(req, ip);
    return ip;
  }
}

const remembered = new WeakMap<IncomingMessage, string>();

/**
 * The client address of a request, as the HTTP server resolved it (trusted
 * proxies applied); the TCP peer for a request it did not see (tests that
 * call a handler directly).
 */
export function clientAddressOf(req: IncomingMessage): string {
  return remembered.get(req) ?? normaliseIp(req.socket.remoteAddress ?? '') ?? 'unknown';
}
