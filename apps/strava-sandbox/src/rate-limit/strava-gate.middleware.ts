import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { MetricsService } from '@runnerly/platform';
import { Faults, type StravaFaultException } from '../common/strava-fault.js';
import { SettingsService } from '../settings/settings.service.js';
import { RateLimitService } from './rate-limit.service.js';
import { RequestLogService } from './request-log.service.js';

const API_PREFIX = '/api/v3/';
const OAUTH_TOKEN_PATHS = new Set(['/oauth/token', '/api/v3/oauth/token', '/oauth/deauthorize', '/oauth/revoke']);

/**
 * In front of every Strava-facing route: counts it, answers 403 while the application is
 * inactive (Strava's 2026 program), applies the per-application rate limits with Strava's
 * four headers on every API answer (errors included), and plays the fault rules of the settings.
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
    const url = new URL(
      (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/',
      'http://sandbox',
    );
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const api = path.startsWith(API_PREFIX) && !OAUTH_TOKEN_PATHS.has(path);
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
    const fault = api ? this.settings.takeFault(path.slice(API_PREFIX.length)) : undefined;
    if (fault?.status !== undefined) return sendServerError(res, fault.status);
    if (fault?.hangMs !== undefined) {
      // A slow Strava: the answer comes, but after the client gave up (then it goes nowhere).
      const timer = setTimeout(next, fault.hangMs);
      res.once('close', () => clearTimeout(timer));
      return;
    }
    next();
  }
}

/**
 * Strava's own 500 is JSON with a bare message; 502-504 come from the edge in front of it as an
 * HTML page, without the rate-limit headers.
 */
function sendServerError(res: ServerResponse, status: 500 | 502 | 503 | 504): void {
  res.statusCode = status;
  if (status === 500) {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ message: 'error' }));
    return;
  }
  for (const name of res.getHeaderNames())
    if (name.startsWith('x-') && name.includes('ratelimit')) res.removeHeader(name);
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(
    `<html><head><title>${status} ${STATUS_TEXT[status]}</title></head><body><h1>${status} ${STATUS_TEXT[status]}</h1></body></html>`,
  );
}

const STATUS_TEXT = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' } as const;

function send(res: ServerResponse, fault: StravaFaultException): void {
  res.statusCode = fault.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(fault.body));
}
