import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { MetricsService } from '@runnerly/platform';
import { Faults, type StravaFaultException } from '../common/strava-fault.js';
import { SettingsService } from '../settings/settings.service.js';
import { RateLimitService } from './rate-limit.service.js';
import { RequestLogService } from './request-log.service.js';

const OAUTH_TOKEN_PATHS = new Set(['/oauth/token', '/api/v3/oauth/token', '/oauth/deauthorize', '/oauth/revoke']);

/**
 * In front of every Strava-facing route: counts it, answers 403 while the application is
 * inactive (Strava's 2026 program), and applies the per-application rate limits with Strava's
 * four headers on every API answer (errors included).
 */
@Injectable()
export class StravaGateMiddleware implements NestMiddleware {
  private readonly refused: ReturnType<MetricsService['counter']>;

  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly requests: RequestLogService,
    private readonly settings: SettingsService,
    metrics: MetricsService,
  ) {
    this.refused = metrics.counter({
      name: 'strava_sandbox_refused_requests_total',
      help: 'Requests the sandbox refused before routing: rate limited (429) or application inactive (403)',
      labelNames: ['reason'],
    });
  }

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    // Mounted on every route, the middleware sees req.url relative to its mount point.
    const url = new URL((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const api = path.startsWith('/api/v3/') && !OAUTH_TOKEN_PATHS.has(path);
    const oauth = path.startsWith('/oauth/') || OAUTH_TOKEN_PATHS.has(path);
    if (!api && !oauth) return next();
    this.requests.record(req.method ?? 'GET', path, url.searchParams.has('access_token'));
    const subscriptions = path.startsWith('/api/v3/push_subscriptions');
    if (api && !subscriptions) {
      const decision = this.rateLimits.record(false);
      for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
      if (decision.limited) {
        this.refused.inc({ reason: 'rate_limited' });
        return send(res, Faults.rateLimited());
      }
    }
    if (this.settings.get().program.appInactive && path !== '/oauth/authorize') {
      this.refused.inc({ reason: 'app_inactive' });
      return send(res, Faults.appInactive());
    }
    next();
  }
}

function send(res: ServerResponse, fault: StravaFaultException): void {
  res.statusCode = fault.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(fault.body));
}
