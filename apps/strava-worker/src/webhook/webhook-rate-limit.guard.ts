import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { KEY_PREFIX } from '@runnerly/jobs';
import { clientAddressKey, MetricsService } from '@runnerly/platform';
import type { FastifyRequest } from 'fastify';
import type { RedisClient } from '@runnerly/platform';
import type { Counter } from 'prom-client';
import { REDIS } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import { WebhookErrorCode, WebhookException } from './webhook.exception.js';

const WINDOW_MS = 60_000;

// One fixed one-minute window per source address and one for everyone, counted in Redis so that it
// holds across worker processes. Answers 0 (let through) or the milliseconds until the full window
// ends.
const TAKE = `
local source = redis.call('INCR', KEYS[1])
if source == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if source > tonumber(ARGV[1]) then return math.max(1, redis.call('PTTL', KEYS[1])) end
local total = redis.call('INCR', KEYS[2])
if total == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
if total > tonumber(ARGV[2]) then return math.max(1, redis.call('PTTL', KEYS[2])) end
return 0`;

/**
 * `POST /strava/webhook` faces the internet and its events are not signed: a flood is turned away
 * before it is parsed, with a 429 JSON and Retry-After. Strava posts from a few addresses of its
 * own, so the per-address limit is sized for all of a large app's real traffic.
 */
@Injectable()
export class WebhookRateLimitGuard implements CanActivate {
  private readonly refused: Counter<'reason'>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    metrics: MetricsService,
  ) {
    this.refused = metrics.counter({
      name: 'strava_webhook_refused_total',
      help: 'Webhook events refused or not acted on, by reason',
      labelNames: ['reason'],
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const window = Math.floor(Date.now() / WINDOW_MS);
    // One hash tag for the source's and everyone's counters: the script touches both (Redis Cluster).
    const prefix = `${KEY_PREFIX}:{strava-webhook-rate}:${window}`;
    const waitMs = (await this.redis.eval(
      TAKE,
      2,
      `${prefix}:source:${clientAddressKey(request.ip, request.socket.remoteAddress)}`,
      `${prefix}:total`,
      this.config.STRAVA_WEBHOOK_RATE_LIMIT_PER_SOURCE,
      this.config.STRAVA_WEBHOOK_RATE_LIMIT_TOTAL,
      WINDOW_MS,
    )) as number;
    if (waitMs === 0) return true;
    this.refused.inc({ reason: 'rate_limited' });
    const seconds = Math.ceil(waitMs / 1000);
    throw new WebhookException(
      WebhookErrorCode.RateLimited,
      `too many webhook requests; try again in ${seconds} s`,
      429,
      { retryAfterSeconds: seconds },
      { 'retry-after': String(seconds) },
    );
  }
}
