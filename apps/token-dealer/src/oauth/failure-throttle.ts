import { isIPv4, isIPv6 } from 'node:net';
import type { Redis } from 'ioredis';

export interface FailureThrottleOptions {
  /** Failed authentications tolerated per window for one client id from one address. */
  maxFailuresPerClientAddress: number;
  /** Failed authentications tolerated per window from one address, whatever the client id. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

const PREFIX = 'runnerly:token-dealer:failures:';

/**
 * The address a failure is counted against: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its
 * /64, the block one host usually holds, so that a host cannot reset its budget by changing address.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped !== null) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Slows down secret guessing without ever locking a client out. Failed authentications are
 * counted in Redis (fixed windows shared by every instance) per (client id, address) and per
 * address; the secret is always checked first, so a right secret is accepted whatever the counts,
 * from any address, and the counts only decide how a wrong one is answered: 401 within the budget,
 * 429 with Retry-After beyond it. A client id is counted only once it is known to exist, so random
 * ids create no keys but the address's.
 */
export class FailureThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly options: FailureThrottleOptions,
  ) {}

  /** Counts one failure; the seconds the address (for this client) should wait, 0 while within budget. */
  async recordFailure(ip: string, knownClientId?: string): Promise<number> {
    const window = this.options.windowSeconds;
    const address = `${PREFIX}addr:${addressKey(ip)}`;
    const pipeline = this.redis.multi().incr(address).expire(address, window, 'NX').ttl(address);
    const pair = knownClientId === undefined ? undefined : `${PREFIX}client-addr:${knownClientId}:${addressKey(ip)}`;
    if (pair !== undefined) pipeline.incr(pair).expire(pair, window, 'NX').ttl(pair);
    const results = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return Number(value);
    });
    let wait = 0;
    if (results[0]! > this.options.maxFailuresPerAddress) wait = Math.max(wait, results[2]!, 1);
    if (pair !== undefined && results[3]! > this.options.maxFailuresPerClientAddress) wait = Math.max(wait, results[5]!, 1);
    return wait;
  }
}
