/**
 * Client addresses: normal form, the key per-address limits count under,
 * and lists of addresses and subnets read from configuration
 * (TRUSTED_PROXIES, GATE_IP_LIMIT_EXEMPT).
 */
import { BlockList, isIP } from 'node:net';

/**
 * An address in its plain form: IPv4 dotted quad (also for an IPv4-mapped
 * IPv6 address such as `::ffff:10.0.0.1`, which a dual-stack socket
 * reports), IPv6 in lower case without a zone id; undefined when `text` is
 * not an IP address.
 */
export function normaliseIp(text: string): string | undefined {
  let s = text.trim();
  // "[::1]" as some proxies write it, and a zone id ("fe80::1%eth0").
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  const family = isIP(s);
  if (family === 4) return s;
  if (family !== 6) return undefined;
  s = s.toLowerCase();
  const g = ipv6Groups(s);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
  }
  return s;
}

/** The eight 16-bit groups of an IPv6 address (already checked by isIP). */
function ipv6Groups(s: string): number[] {
  let text = s;
  // An embedded IPv4 tail ("::1.2.3.4") is two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/**
 * The key an address is counted under by per-address limits: an IPv4
 * address itself, and for IPv6 its /64 prefix ("2001:db8:1:2::/64"), since
 * one subscriber usually holds a whole /64 and could otherwise step around
 * every per-address limit. `ip` must be normalised (normaliseIp).
 */
export function addressKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const g = ipv6Groups(ip);
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

/** Named ranges a list may use instead of spelling them out. */
const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

/** A list of addresses and subnets, as configured. */
export interface AddressList {
  /** The entries as written (for logs and the start line). */
  readonly entries: readonly string[];
  /** True when the (normalised) address is in the list. */
  has(ip: string): boolean;
}

/** The empty list. */
export const NO_ADDRESSES: AddressList = { entries: [], has: () => false };

/**
 * Parses a comma-separated list of IP addresses, CIDR subnets
 * ("10.0.0.0/8", "fd00::/8") and the names loopback, private and linklocal.
 * Returns the list, or a message saying which entry is wrong (to be given
 * with the variable's name).
 */
export function parseAddressList(text: string): AddressList | string {
  const block = new BlockList();
  const entries: string[] = [];
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const [i, raw] of parts.entries()) {
    const named = NAMED[raw.toLowerCase()];
    const items = named ?? [raw];
    for (const item of items) {
      const slash = item.indexOf('/');
      const ip = normaliseIp(slash < 0 ? item : item.slice(0, slash));
      if (ip === undefined) {
        return `entry ${i + 1} must be an IP address, a CIDR subnet (e.g. 10.0.0.0/8) or one of ${Object.keys(NAMED).join(', ')}; got ${JSON.stringify(raw.slice(0, 60))}`;
      }
      const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
      if (slash < 0) {
        block.addAddress(ip, family);
        continue;
      }
      const bitsText = item.slice(slash + 1);
      const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
      const max = family === 'ipv4' ? 32 : 128;
      if (!(bits >= 0 && bits <= max)) return `entry ${i + 1} has a prefix length out of 0..${max}: ${JSON.stringify(raw.slice(0, 60))}`;
      block.addSubnet(ip, bits, family);
    }
    entries.push(raw);
  }
  if (entries.length === 0) return NO_ADDRESSES;
  return {
    entries,
    has(ip: string): boolean {
      const family = isIP(ip);
      return family !== 0 && block.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
