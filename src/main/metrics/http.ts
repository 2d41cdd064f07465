import type { Registry } from 'prom-client';
import { registerFamily } from './family.ts';

/**
 * Why the HTTP server refused a request before (or instead of) a route
 * answering it: its headers or the whole request took too long (408), its
 * headers were too large (431), it was not HTTP (400), its body was over
 * HTTP_MAX_BODY_BYTES (413), or, with TLS, the connection failed its TLS
 * handshake (not TLS, no common cipher, a client that gave up).
 */
export const HTTP_REFUSALS = ['request_timeout', 'headers_too_large', 'bad_request', 'body_too_large', 'tls_handshake'] as const;
export type HttpRefusal = (typeof HTTP_REFUSALS)[number];

/** What the HTTP server reports; the default does nothing. */
export interface HttpMetrics {
  refused(reason: HttpRefusal): void;
}

export const noHttpMetrics: HttpMetrics = { refused() {} };

/** The HTTP server's refusals, counted in plain numbers and rendered at scrape time. */
export class PromHttpMetrics implements HttpMetrics {
  readonly refusals = new Map<HttpRefusal, number>(HTTP_REFUSALS.map((r) => [r, 0]));

  refused(reason: HttpRefusal): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  register(registry: Registry): void {
    registerFamily(registry, 'tessera_http_refused_total', 'HTTP requests refused by the server itself, by reason: slow (408), headers too large (431), not HTTP (400), body too large (413), failed TLS handshake.', 'counter', (out) => {
      for (const [reason, n] of this.refusals) out.push({ labels: { reason }, value: n });
    });
  }
}
