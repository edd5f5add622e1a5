import { isIPv4, isIPv6 } from 'node:net';

/** The first 64 bits of a (full, colon-only) IPv6 address, written out (`2001:db8:0:1::/64`). */
function ipv6Prefix64(address: string): string {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/**
 * Whom a per-address limit counts: the first candidate that is an address (the one the framework
 * resolved, which its trust-proxy setting may have read from X-Forwarded-For; then the socket's),
 * an IPv4-mapped IPv6 address as IPv4, and IPv6 by its /64 (one subscriber holds a whole /64, so
 * single addresses would be free to rotate). Anything else (an untrusted hop's garbage) is passed
 * over, so no key is made of it.
 */
export function clientAddressKey(...candidates: Array<string | undefined>): string {
  for (const candidate of candidates) {
    const address = candidate?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
    if (address === undefined) continue;
    if (isIPv4(address)) return address;
    if (isIPv6(address) && !address.includes('.')) return ipv6Prefix64(address.toLowerCase());
    if (isIPv6(address)) return address.toLowerCase();
  }
  return 'unknown';
}
