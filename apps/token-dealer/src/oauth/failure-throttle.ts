import type { Redis } from 'ioredis';

export interface BruteForceOptions {
  maxFailuresPerClient: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

const PREFIX = 'runnerly:token-dealer:failures:';

/**
 * Failed client authentications counted per client id and per IP in Redis (fixed windows shared by
 * every instance). Past the limit, every attempt is refused until the window ends, right or wrong.
 */
export class BruteForceLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: BruteForceOptions,
  ) {}

  /** Seconds to wait when locked out, else 0. */
  async lockedFor(clientId: string, ip: string): Promise<number> {
    const [client, address] = await this.redis.mget(`${PREFIX}client:${clientId}`, `${PREFIX}ip:${ip}`);
    const locked =
      (client !== null && Number(client) >= this.options.maxFailuresPerClient) ||
      (address !== null && Number(address) >= this.options.maxFailuresPerIp);
    if (!locked) return 0;
    const ttl = Math.max(await this.redis.ttl(`${PREFIX}client:${clientId}`), await this.redis.ttl(`${PREFIX}ip:${ip}`));
    return Math.max(1, ttl);
  }

  async recordFailure(clientId: string, ip: string): Promise<void> {
    const window = this.options.windowSeconds;
    await this.redis
      .multi()
      .incr(`${PREFIX}client:${clientId}`)
      .expire(`${PREFIX}client:${clientId}`, window, 'NX')
      .incr(`${PREFIX}ip:${ip}`)
      .expire(`${PREFIX}ip:${ip}`, window, 'NX')
      .exec();
  }
}
