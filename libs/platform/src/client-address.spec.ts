import { describe, expect, it } from 'vitest';
import { clientAddressKey } from './client-address.js';

/** As the services call it: the address the framework resolved, then the socket's. */
const request = (ip: string | undefined, remoteAddress = '203.0.113.9') => [ip, remoteAddress] as const;

describe('clientAddressKey', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as IPv4', () => {
    expect(clientAddressKey(...request('198.51.100.7'))).toBe('198.51.100.7');
    expect(clientAddressKey(...request('::ffff:198.51.100.7'))).toBe('198.51.100.7');
    expect(clientAddressKey(...request('::FFFF:127.0.0.1'))).toBe('127.0.0.1');
  });

  it('keys IPv6 by its /64, however it is written', () => {
    const key = '2001:db8:0:1::/64';
    for (const address of [
      '2001:db8:0:1::1',
      '2001:0db8:0000:0001:ffff:ffff:ffff:ffff',
      '2001:DB8:0:1:a:b:c:d',
      '2001:db8:0:1::9%eth0',
    ])
      expect(clientAddressKey(...request(address)), address).toBe(key);
    expect(clientAddressKey(...request('2001:db8:0:2::1'))).not.toBe(key);
    expect(clientAddressKey(...request('::1'))).toBe('0:0:0:0::/64');
    expect(clientAddressKey(...request('2001:db8::'))).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey(...request('2001:db8:1:2:aaaa:bbbb:cccc:dddd'))).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey(...request('2001:0db8:0001:0002::1'))).toBe('2001:db8:1:2::/64');
  });

  it('falls back to the socket address when Express hands over something that is no address', () => {
    for (const garbage of [
      'unknown',
      '',
      'evil.example',
      `1.2.3.4${'x'.repeat(5000)}`,
      '999.1.1.1',
      '1.2.3.4, 5.6.7.8',
    ])
      expect(clientAddressKey(...request(garbage)), garbage).toBe('203.0.113.9');
    expect(clientAddressKey(...request(undefined))).toBe('203.0.113.9');
    expect(clientAddressKey(...request(undefined, 'junk'))).toBe('unknown');
  });
});
