import { describe, expect, it } from 'vitest';
import { AddressLimits } from '../../../src/main/gate/address-limits.ts';
import { TokenBucket } from '../../../src/main/gate/token-bucket.ts';
import { loadConfig } from '../../../src/main/config.ts';

const limits = (env: Record<string, string> = {}) => loadConfig(env).gateLimits;

describe('TokenBucket', () => {
  it('lets a burst through, then the rate', () => {
    const b = new TokenBucket(10, 3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(50)).toBe(false); // half a token
    expect(b.take(100)).toBe(true);
    expect(b.secondsUntil(100)).toBeCloseTo(0.1);
    expect(b.full(1000)).toBe(true);
    expect(b.take(10_000, 4)).toBe(false); // more than the burst never fits
  });

  it('refills nothing when the clock steps back', () => {
    const b = new TokenBucket(1000, 1, 1000);
    expect(b.take(1000)).toBe(true);
    expect(b.take(500)).toBe(false);
    expect(b.take(1001)).toBe(true);
  });
});

describe('AddressLimits', () => {
  it('refuses sockets past GATE_SOCKETS_PER_IP and counts closes back', () => {
    const l = new AddressLimits(limits({ GATE_SOCKETS_PER_IP: '3', GATE_HANDSHAKES_PER_IP: '3', GATE_CONNECT_BURST_PER_IP: '100' }));
    const r = [1, 2, 3, 4].map(() => l.admit('1.1.1.1', '1.1.1.1', 0));
    expect(r).toEqual([null, null, null, 'ip_sockets']);
    expect(l.admit('2.2.2.2', '2.2.2.2', 0)).toBeNull(); // another address is not affected
    for (let i = 0; i < 3; i++) l.handshakeDone('1.1.1.1');
    l.closed('1.1.1.1', false);
    expect(l.counts('1.1.1.1')).toEqual({ sockets: 2, handshakes: 0 });
    expect(l.admit('1.1.1.1', '1.1.1.1', 0)).toBeNull();
  });

  it('refuses handshakes past GATE_HANDSHAKES_PER_IP until one finishes or closes', () => {
    const l = new AddressLimits(limits({ GATE_SOCKETS_PER_IP: '10', GATE_HANDSHAKES_PER_IP: '2', GATE_CONNECT_BURST_PER_IP: '100' }));
    expect([l.admit('1.1.1.1', 'k', 0), l.admit('1.1.1.1', 'k', 0), l.admit('1.1.1.1', 'k', 0)]).toEqual([null, null, 'ip_handshakes']);
    l.handshakeDone('k');
    expect(l.admit('1.1.1.1', 'k', 0)).toBeNull();
    l.closed('k', true);
    expect(l.admit('1.1.1.1', 'k', 0)).toBeNull();
    expect(l.counts('k')).toEqual({ sockets: 3, handshakes: 2 });
  });

  it('meters attempts with a token bucket that refusals drain too', () => {
    const l = new AddressLimits(limits({ GATE_CONNECT_RATE_PER_IP: '2', GATE_CONNECT_BURST_PER_IP: '2', GATE_SOCKETS_PER_IP: '1', GATE_HANDSHAKES_PER_IP: '1' }));
    expect(l.admit('1.1.1.1', 'k', 0)).toBeNull();
    expect(l.admit('1.1.1.1', 'k', 0)).toBe('ip_sockets'); // took the second token
    expect(l.admit('1.1.1.1', 'k', 0)).toBe('ip_connect_rate');
    expect(l.retryAfterS('k', 0)).toBe(1);
    l.closed('k', true);
    expect(l.admit('1.1.1.1', 'k', 100)).toBe('ip_connect_rate'); // a fifth of a token
    expect(l.admit('1.1.1.1', 'k', 500)).toBeNull();
  });

  it('counts but never refuses an exempt address', () => {
    const l = new AddressLimits(limits({ GATE_SOCKETS_PER_IP: '1', GATE_HANDSHAKES_PER_IP: '1', GATE_CONNECT_BURST_PER_IP: '1', GATE_IP_LIMIT_EXEMPT: '127.0.0.0/8' }));
    for (let i = 0; i < 50; i++) expect(l.admit('127.0.0.2', '127.0.0.2', 0)).toBeNull();
    expect(l.counts('127.0.0.2')).toEqual({ sockets: 50, handshakes: 50 });
    expect(l.admit('10.0.0.1', '10.0.0.1', 0)).toBeNull();
    expect(l.admit('10.0.0.1', '10.0.0.1', 0)).not.toBeNull();
  });

  it('logs refusals of an address at most once a minute, with the count', () => {
    const l = new AddressLimits(limits({ GATE_CONNECT_BURST_PER_IP: '1', GATE_CONNECT_RATE_PER_IP: '1' }));
    l.admit('1.1.1.1', 'k', 0);
    for (let i = 0; i < 5; i++) l.admit('1.1.1.1', 'k', 0);
    expect(l.refusalsToLog('k', 0)).toBe(5);
    for (let i = 0; i < 3; i++) l.admit('1.1.1.1', 'k', 10);
    expect(l.refusalsToLog('k', 30_000)).toBe(0);
    expect(l.refusalsToLog('k', 60_001)).toBe(3);
    expect(l.refusalsToLog('k', 200_000)).toBe(0);
  });

  it('forgets addresses without sockets once their bucket refilled', () => {
    const l = new AddressLimits(limits({ GATE_CONNECT_RATE_PER_IP: '10', GATE_CONNECT_BURST_PER_IP: '10' }));
    for (let i = 0; i < 1000; i++) l.admit(`10.0.${i >> 8}.${i & 255}`, `10.0.${i >> 8}.${i & 255}`, 0);
    l.closed('10.0.0.0', true);
    for (let i = 1; i < 1000; i++) l.closed(`10.0.${i >> 8}.${i & 255}`, true);
    l.admit('9.9.9.9', '9.9.9.9', 0); // still holds a socket
    expect(l.size).toBe(1001);
    l.sweep(50); // buckets not refilled yet
    expect(l.size).toBe(1001);
    l.sweep(1000);
    expect(l.size).toBe(1);
    expect(l.counts('9.9.9.9').sockets).toBe(1);
  });
});
