import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataServiceClient, STRAVA_WORKER_CALLER } from '@runnerly/data-client';
import {
  createRedisConnection,
  EnrichmentQueue,
  ImportStateStore,
  QUEUE_PREFIX,
  QueueName,
  SyncQueue,
} from '@runnerly/jobs';
import { HealthService, logRedisError, MetricsService, PlatformModule } from '@runnerly/platform';
import { ServiceClient } from '@runnerly/service-client';
import { StravaClient } from '@runnerly/strava';
import { Queue } from 'bullmq';
import type { RedisClient } from '@runnerly/platform';
import { CLOCK, type Clock, systemClock } from './common/clock.js';
import { jobPolicy } from './common/job-policy.js';
import {
  DATA_SERVICE,
  ENRICHMENT_QUEUE,
  HOUSEKEEPING_QUEUE,
  REDIS,
  STRAVA_GATEWAY,
  STRAVA_RATE_LIMITER,
  SYNC_QUEUE,
  SYNC_STATE,
} from './common/tokens.js';
import { WORKER_OPTIONS, type WorkerOptions } from './common/worker-options.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from './config.js';
import { EnrichmentProcessor } from './enrichment/enrichment.processor.js';
import { EnrichmentService } from './enrichment/enrichment.service.js';
import { HousekeepingProcessor } from './housekeeping/housekeeping.processor.js';
import { DeauthorizationService } from './housekeeping/deauthorization.service.js';
import { HousekeepingService } from './housekeeping/housekeeping.service.js';
import { ArchiveImportProcessor } from './imports/archive-import.processor.js';
import { ArchiveImportService, IMPORT_STATE } from './imports/archive-import.service.js';
import { QueueStatsService } from './operators/queue-stats.service.js';
import { QueuesController } from './operators/queues.controller.js';
import { StravaGateway } from './rate-limit/strava-gateway.js';
import { StravaRateLimiter } from './rate-limit/strava-rate-limiter.js';
import { SyncCheckpointRepository } from './sync/sync-checkpoint.repository.js';
import { SyncProcessor } from './sync/sync.processor.js';
import { SyncService } from './sync/sync.service.js';
import { PushSubscriptionService } from './webhook/push-subscription.service.js';
import { WebhookController } from './webhook/webhook.controller.js';
import { WebhookService } from './webhook/webhook.service.js';
import { WebhookRateLimitGuard } from './webhook/webhook-rate-limit.guard.js';

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(SYNC_QUEUE) private readonly syncQueue: SyncQueue,
    @Inject(HOUSEKEEPING_QUEUE) private readonly housekeepingQueue: Queue,
    @Inject(ENRICHMENT_QUEUE) private readonly enrichmentQueue: EnrichmentQueue,
    health: HealthService,
  ) {
    health.register('redis', () => this.redis.ping());
  }

  static forRoot(config: StravaWorkerConfig, options: WorkerOptions = {}): DynamicModule {
    const clock: Clock = options.clock ?? systemClock;
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'strava-worker', logLevel: config.LOG_LEVEL, logFormat: config.LOG_FORMAT }),
      ],
      controllers: [WebhookController, QueuesController],
      providers: [
        { provide: STRAVA_WORKER_CONFIG, useValue: config },
        { provide: WORKER_OPTIONS, useValue: options },
        { provide: CLOCK, useValue: clock },
        // Producers and state: fail fast while Redis is down (the HTTP caller sees an error).
        {
          provide: REDIS,
          useFactory: () => createRedisConnection(config.REDIS_URL, { failFast: true }).on('error', logRedisError),
        },
        {
          provide: SYNC_QUEUE,
          inject: [REDIS],
          useFactory: (redis: RedisClient) => {
            const syncs = new SyncQueue(redis, jobPolicy(config));
            syncs.queue.on('error', logRedisError);
            return syncs;
          },
        },
        { provide: SYNC_STATE, inject: [SYNC_QUEUE], useFactory: (syncs: SyncQueue) => syncs.state },
        {
          provide: HOUSEKEEPING_QUEUE,
          inject: [REDIS],
          useFactory: (redis: RedisClient) =>
            new Queue(QueueName.Housekeeping, { connection: redis, prefix: QUEUE_PREFIX }).on('error', logRedisError),
        },
        {
          provide: ENRICHMENT_QUEUE,
          inject: [REDIS],
          useFactory: (redis: RedisClient) => {
            const enrichment = new EnrichmentQueue(redis, jobPolicy(config));
            enrichment.queue.on('error', logRedisError);
            return enrichment;
          },
        },
        {
          provide: STRAVA_RATE_LIMITER,
          inject: [REDIS],
          useFactory: (redis: RedisClient) =>
            new StravaRateLimiter(redis, clock, {
              shortLimit: config.STRAVA_RATE_LIMIT_15MIN,
              longLimit: config.STRAVA_RATE_LIMIT_DAILY,
              trustHeaders: options.trustRateHeaders ?? !options.rateWindowsMs,
              athleteSharePercent: config.STRAVA_RATE_LIMIT_ATHLETE_SHARE_PERCENT,
              eventSharePercent: config.STRAVA_RATE_LIMIT_EVENT_SHARE_PERCENT,
              enrichmentSharePercent: config.STRAVA_RATE_LIMIT_ENRICHMENT_SHARE_PERCENT,
              ...(options.rateWindowsMs
                ? { shortWindowMs: options.rateWindowsMs.short, longWindowMs: options.rateWindowsMs.long }
                : {}),
            }),
        },
        {
          provide: STRAVA_GATEWAY,
          inject: [STRAVA_RATE_LIMITER, MetricsService],
          useFactory: (limiter: StravaRateLimiter, metrics: MetricsService) =>
            new StravaGateway(
              new StravaClient({
                baseUrl: config.STRAVA_BASE_URL,
                clientId: config.STRAVA_CLIENT_ID,
                clientSecret: config.STRAVA_CLIENT_SECRET,
                timeoutMs: config.STRAVA_TIMEOUT_MS,
                now: () => clock.now(),
              }),
              limiter,
              metrics.counter({
                name: 'strava_requests_total',
                help: 'Strava API requests by endpoint and outcome',
                labelNames: ['endpoint', 'outcome'],
              }),
            ),
        },
        {
          provide: DATA_SERVICE,
          useFactory: () =>
            new DataServiceClient(
              new ServiceClient({
                baseUrl: config.DATA_SERVICE_URL,
                tokenDealerUrl: config.TOKEN_DEALER_URL,
                clientId: config.STRAVA_WORKER_CLIENT_ID,
                clientSecret: config.STRAVA_WORKER_CLIENT_SECRET,
                audience: STRAVA_WORKER_CALLER.audience,
                scope: STRAVA_WORKER_CALLER.scopes.join(' '),
              }),
            ),
        },
        {
          provide: SyncCheckpointRepository,
          inject: [REDIS],
          useFactory: (redis: RedisClient) => new SyncCheckpointRepository(redis),
        },
        SyncService,
        SyncProcessor,
        { provide: IMPORT_STATE, inject: [REDIS], useFactory: (redis: RedisClient) => new ImportStateStore(redis) },
        ArchiveImportService,
        ArchiveImportProcessor,
        EnrichmentService,
        EnrichmentProcessor,
        DeauthorizationService,
        HousekeepingService,
        HousekeepingProcessor,
        WebhookService,
        WebhookRateLimitGuard,
        PushSubscriptionService,
        QueueStatsService,
      ],
    };
  }

  /** After the processors stopped (beforeApplicationShutdown): close the producers' connections. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.syncQueue.close(), this.housekeepingQueue.close(), this.enrichmentQueue.close()]);
    this.redis.disconnect();
  }
}
