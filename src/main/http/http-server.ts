import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.ts';

/** A route handler: serves the request and returns true, or returns false to pass. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface HttpOptions {
  handlers: HttpHandler[];
  /** WebSocket upgrades on /play. */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  log: Logger;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The coordinator's one HTTP server: handlers in order (health, metrics,
 * API and pages), a JSON 404, and the /play WebSocket upgrade.
 */
export function createHttpServer(o: HttpOptions): Server {
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, maxHeaderSize: 16 * 1024 }, (req, res) => {
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
  });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/play') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    o.upgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return server;
}
