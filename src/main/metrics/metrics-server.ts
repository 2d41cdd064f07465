import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from '../../shared/node-http.ts';
import type { Metrics } from './registry.ts';

/**
 * A separate HTTP server for /metrics (METRICS_PORT), so Prometheus can be
 * fenced off from the public port. Anything else is a 404. Resolves with the
 * server once it listens; its port is `(server.address() as AddressInfo).port`.
 */
export async function startMetricsServer(metrics: Metrics, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    metrics.handleHttp(req, res).then(
      (served) => {
        if (!served) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: this port serves /metrics only\n');
      },
      () => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Port a started server listens on. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
