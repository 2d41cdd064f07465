import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config.ts';

describe('edge configuration (net-config.ts)', () => {
  it('has the documented defaults: limits on, TLS off, no proxy trusted', () => {
    const c = loadConfig({});
    expect(c.tls).toBeUndefined();
    expect(c.trustedProxies.entries).toEqual([]);
    expect(c.trustedProxies.has('127.0.0.1')).toBe(false);
    expect(c.gateLimits).toMatchObject({ socketsPerIp: 64, handshakesPerIp: 16, connectRatePerIp: 10, connectBurstPerIp: 30, msgRate: 120, msgBurst: 240, byteRate: 8192, byteBurst: 16_384 });
    expect(c.gateLimits.exempt.entries).toEqual([]);
    expect(c.http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, maxBodyBytes: 16_384 });
  });

  it('reads TLS files, proxies and exemptions', () => {
    const c = loadConfig({ TLS_CERT: '/etc/x/cert.pem', TLS_KEY: '/etc/x/key.pem', TRUSTED_PROXIES: '10.0.0.0/8,loopback', GATE_IP_LIMIT_EXEMPT: '192.0.2.7' });
    expect(c.tls).toEqual({ certFile: '/etc/x/cert.pem', keyFile: '/etc/x/key.pem' });
    expect(c.trustedProxies.has('10.200.0.1')).toBe(true);
    expect(c.trustedProxies.has('::1')).toBe(true);
    expect(c.gateLimits.exempt.has('192.0.2.7')).toBe(true);
  });

  it.each([
    [{ TLS_CERT: '/x/cert.pem' }, /set both TLS_CERT and TLS_KEY, or neither \(only TLS_CERT is set\)/],
    [{ TLS_KEY: '/x/key.pem' }, /only TLS_KEY is set/],
    [{ TRUSTED_PROXIES: '10.0.0.1, my-proxy' }, /TRUSTED_PROXIES: entry 2 must be an IP address/],
    [{ GATE_IP_LIMIT_EXEMPT: '10.0.0.0/40' }, /GATE_IP_LIMIT_EXEMPT: entry 1 has a prefix length out of 0\.\.32/],
    [{ GATE_SOCKETS_PER_IP: '0' }, /GATE_SOCKETS_PER_IP must be in 1\.\./],
    [{ GATE_SOCKETS_PER_IP: '4', GATE_HANDSHAKES_PER_IP: '8' }, /GATE_HANDSHAKES_PER_IP \(8\) must not exceed GATE_SOCKETS_PER_IP \(4\)/],
    [{ GATE_CONNECT_RATE_PER_IP: '1.5' }, /GATE_CONNECT_RATE_PER_IP must be an integer/],
    [{ GATE_MSG_RATE: '0' }, /GATE_MSG_RATE must be in 1\.\./],
    [{ GATE_BYTE_BURST: '100' }, /GATE_BYTE_BURST must be in 256\.\./],
    [{ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }, /HTTP_HEADERS_TIMEOUT_MS \(20000\) must not exceed HTTP_REQUEST_TIMEOUT_MS \(10000\)/],
    [{ HTTP_MAX_BODY_BYTES: '10' }, /HTTP_MAX_BODY_BYTES must be in 256\.\./],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
