import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.ts';
import { noHttpMetrics, type HttpMetrics, type HttpRefusal } from '../metrics/http.ts';
import type { HttpLimits } from '../net-config.ts';
import { ClientAddresses } from '../net/client-address.ts';
import { createServer } from '../../shared/node-http.ts';
import type { TlsMaterial } from './tls.ts';

/** A route handler: serves the request and returns true, or returns false to pass. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

/** The defaults of the HTTP_* variables (net-config.ts), for servers made without a configuration. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, maxBodyBytes: 16_384 };

export interface HttpOptions {
  handlers: HttpHandler[];
  /** WebSocket upgrades on /play. */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  log: Logger;
  /** Timeouts against slow clients and the body limit; the HTTP_* defaults otherwise. */
  limits?: HttpLimits;
  /** Certificate and key: HTTPS (and wss://) instead of plain HTTP. */
  tls?: TlsMaterial;
  /** Who each request comes from (trusted proxies); the TCP peer otherwise. */
  addresses?: ClientAddresses;
  metrics?: HttpMetrics;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** How a request the parser gave up on is answered, by Node's error code. */
function clientErrorAnswer(code: string | undefined): { status: number; text: string; reason: HttpRefusal } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, text: 'Request Timeout', reason: 'request_timeout' };
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, text: 'Request Header Fields Too Large', reason: 'headers_too_large' };
  return { status: 400, text: 'Bad Request', reason: 'bad_request' };
}

/**
 * Node checks its header and request timeouts on an interval (30 s by
 * default), so a timeout fires up to that much late; a quarter of the
 * headers timeout, within 0.1..1 s, keeps them close to what they say for
 * the cost of walking the open HTTP connections (upgraded sockets are not
 * among them) a few times a second.
 */
export function checkingIntervalMs(limits: HttpLimits): number {
  return Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
}

/**
 * The coordinator's one HTTP server (HTTPS when given a certificate):
 * handlers in order (health, metrics, API and pages), a JSON 404, and the
 * /play WebSocket upgrade. Slow clients are cut off by the header, request
 * and keep-alive timeouts (408), a declared body over the limit is refused
 * (413) before any handler runs, and each request's client address is
 * resolved once (clientAddressOf).
 */
export function createHttpServer(o: HttpOptions): Server {
  const limits = o.limits ?? DEFAULT_HTTP_LIMITS;
  const metrics = o.metrics ?? noHttpMetrics;
  const addresses = o.addresses ?? new ClientAddresses();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    addresses.ofRequest(req);
    // A 413 from a route (a streamed body over the limit) counts as well as the server's own.
    res.once('finish', () => {
      if (res.statusCode === 413) metrics.refused('body_too_large');
    });
    const declared = Number(req.headers['content-length']);
    if (declared > limits.maxBodyBytes) {
      // The body is drained, not kept, until the answer is out; then the connection closes.
      req.resume();
      sendJson(res, 413, { error: { code: 'payload_too_large', message: `body must be at most ${limits.maxBodyBytes} bytes` } }, { connection: 'close' });
      return;
    }
    void (async () => {
      try {
        for (const h of o.handlers) if (await h(req, res)) return;
        sendJson(res, 404, { error: { code: 'not_found', message: `no route for ${req.method} ${req.url?.split('?')[0]}` } });
      } catch (err) {
        o.log.error({ err, url: req.url }, 'http handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
        else res.destroy();
      }
    })();
  };
  const options = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: checkingIntervalMs(limits),
    maxHeaderSize: 16 * 1024,
  };
  const server: Server = o.tls ? createHttpsServer({ ...options, cert: o.tls.cert, key: o.tls.key }, onRequest) : createServer(options, onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/play') {
      socket.on('error', () => {});
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    o.upgrade(req, socket, head);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or a peer gone mid-request is no refusal: nothing to answer.
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const a = clientErrorAnswer(err.code);
    metrics.refused(a.reason);
    socket.end(`HTTP/1.1 ${a.status} ${a.text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  // A TLS handshake that fails (not TLS, bad client hello) is the client's problem: counted, closed.
  server.on('tlsClientError', (_err: Error, socket: Duplex) => {
    metrics.refused('tls_handshake');
    socket.destroy();
  });
  return server;
}
