import { describe, expect, it } from 'vitest';
import { addressKey, normaliseIp, parseAddressList } from '../../../src/main/net/ip.ts';

describe('normaliseIp', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['0:0:0:0:0:ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:0a00:0001', '10.0.0.1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
  ])('%s → %s', (text, ip) => expect(normaliseIp(text)).toBe(ip));

  it.each(['', 'unknown', '10.0.0', '10.0.0.256', '1.2.3.4:80', 'example.org', '::g'])('refuses %j', (text) => {
    expect(normaliseIp(text)).toBeUndefined();
  });
});

describe('addressKey', () => {
  it('is the address for IPv4 and the /64 for IPv6', () => {
    expect(addressKey('10.0.0.1')).toBe('10.0.0.1');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::1.2.3.4')).toBe('0:0:0:0::/64');
  });

  it('puts two addresses of one /64 under one key and of two /64s under two', () => {
    expect(addressKey('2001:db8:0:1::a')).toBe(addressKey('2001:db8:0:1:ffff::b'));
    expect(addressKey('2001:db8:0:1::a')).not.toBe(addressKey('2001:db8:0:2::a'));
  });
});

describe('parseAddressList', () => {
  it('reads addresses, subnets and named ranges', () => {
    const list = parseAddressList(' 10.1.2.3, 192.168.0.0/16 , fd00::/8,loopback');
    if (typeof list === 'string') throw new Error(list);
    expect(list.entries).toEqual(['10.1.2.3', '192.168.0.0/16', 'fd00::/8', 'loopback']);
    for (const ip of ['10.1.2.3', '192.168.44.1', 'fd12::1', '127.0.0.9', '::1']) expect(list.has(ip), ip).toBe(true);
    for (const ip of ['10.1.2.4', '192.169.0.1', 'fe80::1', '8.8.8.8', 'garbage']) expect(list.has(ip), ip).toBe(false);
  });

  it('names the bad entry', () => {
    expect(parseAddressList('10.0.0.1, proxy.local')).toMatch(/entry 2 must be an IP address.*"proxy\.local"/);
    expect(parseAddressList('10.0.0.0/33')).toMatch(/entry 1 has a prefix length out of 0\.\.32/);
    expect(parseAddressList('fd00::/129')).toMatch(/out of 0\.\.128/);
    expect(parseAddressList('10.0.0.0/x')).toMatch(/prefix length/);
  });

  it('is empty for a list of nothing', () => {
    const list = parseAddressList(' , ');
    expect(typeof list !== 'string' && list.entries).toEqual([]);
  });
});
