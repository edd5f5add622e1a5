import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AppException, clientAddressKey, MetricsService } from '@runnerly/platform';
import type { Request } from 'express';
import type { RedisClient } from '@runnerly/platform';
import { REDIS } from '../connections/connections.module.js';
import { DASHBOARD_CONFIG, type DashboardConfig } from '../config.js';

export const LOGIN_RATE_PREFIX = 'runnerly:dashboard:login-rate:';

/**
 * Logins started per client address: a fixed window in Redis (the counter is created with the
 * window's expiry, then incremented, in one MULTI). Every start writes a session, so this, with the
 * short lifetime of a login in progress, is what bounds the sessions a client can leave in a Redis
 * that must never evict (BullMQ shares it). Runs before the Strava strategy: a refused start
 * touches no session.
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  private readonly refused;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    metrics: MetricsService,
  ) {
    this.refused = metrics.counter({
      name: 'dashboard_login_starts_refused_total',
      help: 'GET /auth/strava refused by the per-address rate limit',
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const key = LOGIN_RATE_PREFIX + clientAddressKey(request.ip, request.socket.remoteAddress);
    const window = this.config.DASHBOARD_LOGIN_RATE_WINDOW_SECONDS;
    let count: number;
    let ttl: number;
    try {
      const results = await this.redis.multi().set(key, 0, 'EX', window, 'NX').incr(key).ttl(key).exec();
      count = Number(results?.[1]?.[1]);
      ttl = Number(results?.[2]?.[1]);
    } catch {
      count = Number.NaN;
      ttl = 0;
    }
    if (!Number.isFinite(count)) {
      throw new AppException('login_unavailable', 'Logging in is not possible right now: try again shortly', 503);
    }
    if (count <= this.config.DASHBOARD_LOGIN_RATE_LIMIT) return true;
    this.refused.inc();
    const retryAfter = ttl > 0 ? Math.min(ttl, window) : window;
    throw new AppException(
      'too_many_logins',
      `Too many logins started from your address: try again in ${retryAfter} s`,
      429,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }
}
