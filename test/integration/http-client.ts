/** A small HTTP client for API tests: raw bodies, any header, a chosen local address. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountsAndStorage } from '../helpers/accounts-storage.ts';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
  ms: number;
}

export interface Client {
  base: string;
  raw(method: string, path: string, opts?: { body?: string | Buffer; headers?: Record<string, string>; localAddress?: string }): Promise<Reply>;
  call(method: string, path: string, body?: unknown, token?: string, localAddress?: string): Promise<Reply>;
  close(): Promise<void>;
}

/** Serves p.handleHttp (404 for what it declines) on a loopback port. */
export async function serve(p: Pick<AccountsAndStorage, 'handleHttp'>): Promise<Client> {
  const server = http.createServer((req, res) => {
    p.handleHttp(req, res).then(
      (mine) => {
        if (!mine) res.writeHead(404).end('not mine');
      },
      (err: unknown) => {
        res.writeHead(500).end(String(err));
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: false });
  const raw: Client['raw'] = (method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port, method, path, headers: opts.headers, agent, localAddress: opts.localAddress, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - t0 });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(opts.body);
    });
  return {
    base: `http://127.0.0.1:${port}`,
    raw,
    call: (method, path, body, token, localAddress) =>
      raw(method, path, {
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        localAddress,
      }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
