import { isIPv4, isIPv6 } from 'node:net';
import type { Request } from 'express';

/** The first 64 bits of an IPv6 address, written out (`2001:db8:0:1::/64`). */
function ipv6Prefix64(address: string): string {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/**
 * Whom a per-address limit counts: the client address Express resolved (`trust proxy` decides how
 * far X-Forwarded-For is believed), an IPv4-mapped IPv6 address as IPv4, and IPv6 by its /64 (one
 * subscriber holds a whole /64, so single addresses would be free to rotate). Anything else Express
 * may hand over (an untrusted hop's garbage) falls back to the socket's own address.
 */
export function clientAddressKey(req: Request): string {
  for (const candidate of [req.ip, req.socket.remoteAddress]) {
    const address = candidate?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
    if (address === undefined) continue;
    if (isIPv4(address)) return address;
    if (isIPv6(address) && !address.includes('.')) return ipv6Prefix64(address.toLowerCase());
    if (isIPv6(address)) return address.toLowerCase();
  }
  return 'unknown';
}
