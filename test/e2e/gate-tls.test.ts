/**
 * TLS: with TLS_CERT and TLS_KEY the one port speaks HTTPS and wss://.
 * The certificate is made for the test (openssl, self-signed for
 * 127.0.0.1) in a throwaway folder; no key is committed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/main/env.ts';
import { loadTls } from '../../src/main/http/tls.ts';
import { PromHttpMetrics } from '../../src/main/metrics/http.ts';
import { decodeServerMessage } from '../../src/protocol/decode.ts';
import { encodeHello } from '../../src/protocol/encode.ts';
import { startTestServer } from '../helpers/server.ts';

let dir: string;
let certFile: string;
let keyFile: string;
let otherKeyFile: string;
let cert: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-tls-'));
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  otherKeyFile = join(dir, 'other-key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', otherKeyFile], { stdio: 'ignore' });
  cert = readFileSync(certFile);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca: cert }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('TLS', () => {
  it('serves HTTPS and wss:// with the configured certificate, verified by the client', async () => {
    const metrics = new PromHttpMetrics();
    const server = await startTestServer({ TLS_CERT: certFile, TLS_KEY: keyFile, ZONE_CELLS: '1x1' }, { httpMetrics: metrics });
    try {
      expect(server.tls).toBe(true);
      const health = await httpsGet(`https://127.0.0.1:${server.port}/healthz`);
      expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
      // The certificate is checked against the CA given (no rejectUnauthorized: false).
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}/play`, { ca: cert, perMessageDeflate: false });
      const welcome = await new Promise<unknown>((resolve, reject) => {
        ws.once('error', reject);
        ws.once('open', () => ws.send(encodeHello('secure')));
        ws.on('message', (d: Buffer) => {
          const m = decodeServerMessage(d);
          if (m?.op === 'welcome') resolve(m);
        });
      });
      expect(welcome).toMatchObject({ op: 'welcome' });
      ws.close();
      // A client that does not trust the certificate is refused by its own TLS check.
      const untrusting = new WebSocket(`wss://127.0.0.1:${server.port}/play`);
      const err = await new Promise<Error>((resolve) => untrusting.once('error', resolve));
      expect(err.message).toMatch(/self[- ]signed/i);
      // Plain HTTP on the TLS port gets no answer worth reading.
      await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
      await expect.poll(() => metrics.refusals.get('tls_handshake')).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
    }
  });

  it('refuses unreadable or mismatched files with an error naming the variable', () => {
    expect(() => loadTls({ certFile: join(dir, 'missing.pem'), keyFile })).toThrow(/TLS_CERT: cannot read ".*missing\.pem" \(ENOENT\)/);
    expect(() => loadTls({ certFile, keyFile: dir })).toThrow(/TLS_KEY: cannot read ".*" \(EISDIR\)/);
    expect(() => loadTls({ certFile, keyFile: otherKeyFile })).toThrow(/TLS_CERT and TLS_KEY .* are not a usable certificate and key: .*mismatch/i);
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate\n');
    expect(() => loadTls({ certFile: garbage, keyFile })).toThrow(ConfigError);
    expect(loadTls({ certFile, keyFile }).cert.equals(cert)).toBe(true);
  });

  it('stops the server process at start (exit code 2) when a file is unreadable', () => {
    const r = spawnSync(process.execPath, ['src/main/main.ts'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, PORT: '0', TLS_CERT: join(dir, 'nope.pem'), TLS_KEY: keyFile },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/TLS_CERT: cannot read/);
  });
});
