import type { RedisClient } from '@runnerly/platform';

export interface FailureThrottleOptions {
  /** Failed authentications tolerated per window for one client id from one address. */
  maxFailuresPerClientAddress: number;
  /** Failed authentications tolerated per window from one address, whatever the client id. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

const PREFIX = 'runnerly:token-dealer:failures:';

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
    private readonly redis: RedisClient,
    private readonly options: FailureThrottleOptions,
  ) {}

  /**
   * Counts one failure from `address` (a key from @runnerly/platform's clientAddressKey: IPv6 by its
   * /64); the seconds the address (for this client) should wait, 0 while within budget.
   */
  async recordFailure(address: string, knownClientId?: string): Promise<number> {
    const window = this.options.windowSeconds;
    const addressCount = `${PREFIX}addr:${address}`;
    const pipeline = this.redis.multi().incr(addressCount).expire(addressCount, window, 'NX').ttl(addressCount);
    const pair = knownClientId === undefined ? undefined : `${PREFIX}client-addr:${knownClientId}:${address}`;
    if (pair !== undefined) pipeline.incr(pair).expire(pair, window, 'NX').ttl(pair);
    const results = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return Number(value);
    });
    let wait = 0;
    if (results[0]! > this.options.maxFailuresPerAddress) wait = Math.max(wait, results[2]!, 1);
    if (pair !== undefined && results[3]! > this.options.maxFailuresPerClientAddress)
      wait = Math.max(wait, results[5]!, 1);
    return wait;
  }
}
