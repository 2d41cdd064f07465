import { describe, expect, it } from 'vitest';
import { ClientAddresses } from '../../../src/main/net/client-address.ts';
import { parseAddressList, type AddressList } from '../../../src/main/net/ip.ts';

function list(text: string): AddressList {
  const l = parseAddressList(text);
  if (typeof l === 'string') throw new Error(l);
  return l;
}

describe('ClientAddresses', () => {
  const proxies = new ClientAddresses(list('10.0.0.0/8, ::1'));

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(new ClientAddresses().resolve('203.0.113.5', '1.2.3.4')).toBe('203.0.113.5');
    expect(proxies.resolve('203.0.113.5', '1.2.3.4')).toBe('203.0.113.5');
    expect(proxies.resolve('::ffff:203.0.113.5', undefined)).toBe('203.0.113.5');
  });

  it('takes the right-most hop that is not a trusted proxy', () => {
    expect(proxies.resolve('10.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    // The client wrote the left-most hop itself: never believed over the proxy's own.
    expect(proxies.resolve('10.0.0.1', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(proxies.resolve('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.2.3.4')).toBe('198.51.100.7');
    expect(proxies.resolve('::1', ['198.51.100.7', '10.9.9.9'])).toBe('198.51.100.7');
    expect(proxies.resolve('10.0.0.1', '198.51.100.7:4711')).toBe('198.51.100.7');
    expect(proxies.resolve('10.0.0.1', '[2001:db8::7]:443')).toBe('2001:db8::7');
  });

  it('takes the left-most hop when every hop is a trusted proxy, and stops at garbage', () => {
    expect(proxies.resolve('10.0.0.1', '10.1.1.1, 10.2.2.2')).toBe('10.1.1.1');
    expect(proxies.resolve('10.0.0.1', '198.51.100.7, not-an-ip')).toBe('10.0.0.1');
    expect(proxies.resolve('10.0.0.1', '198.51.100.7, not-an-ip, 10.3.3.3')).toBe('10.3.3.3');
    expect(proxies.resolve('10.0.0.1', '')).toBe('10.0.0.1');
  });

  it('looks at no more than 32 hops of a long header', () => {
    const hops = [...new Array(40)].map(() => '10.1.1.1');
    hops[0] = '198.51.100.7';
    expect(proxies.resolve('10.0.0.1', hops.join(','))).toBe('10.1.1.1');
  });

  it("says 'unknown' for a socket without a peer address", () => {
    expect(proxies.resolve(undefined, '1.2.3.4')).toBe('unknown');
  });
});
