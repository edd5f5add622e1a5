import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EnrichmentQueue, QueueName, SyncQueue } from '@runnerly/jobs';
import { MetricsService } from '@runnerly/platform';
import type { Queue } from 'bullmq';
import { ENRICHMENT_QUEUE, HOUSEKEEPING_QUEUE, STRAVA_RATE_LIMITER, SYNC_QUEUE } from '../common/tokens.js';
import type { StravaRateLimiter } from '../rate-limit/strava-rate-limiter.js';

const STATES = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'] as const;

export interface QueuesOverview {
  queues: Array<{ name: string; counts: Record<string, number>; paused: boolean; rateLimitedForMs: number }>;
  stravaBudget: Array<{ scope: string; usage: number; limit: number; remaining: number; resetAt: string }>;
}

/** Queue depth and Strava budget: JSON for operators, gauges for Prometheus (read at scrape time). */
@Injectable()
export class QueueStatsService implements OnModuleInit {
  constructor(
    @Inject(SYNC_QUEUE) private readonly syncs: SyncQueue,
    @Inject(HOUSEKEEPING_QUEUE) private readonly housekeeping: Queue,
    @Inject(ENRICHMENT_QUEUE) private readonly enrichment: EnrichmentQueue,
    @Inject(STRAVA_RATE_LIMITER) private readonly limiter: StravaRateLimiter,
    private readonly metrics: MetricsService,
  ) {}

  get queues(): Queue[] {
    return [this.syncs.queue as unknown as Queue, this.housekeeping, this.enrichment.queue as unknown as Queue];
  }

  onModuleInit(): void {
    const readOverview = () => this.overview();
    const budget = () => this.limiter.snapshot();
    this.metrics.gauge({
      name: 'strava_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      async collect() {
        const overview = await readOverview().catch(() => undefined);
        for (const queue of overview?.queues ?? []) {
          for (const [state, count] of Object.entries(queue.counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
    this.metrics.gauge({
      name: 'strava_rate_limit_remaining',
      help: 'Strava requests left in the current window (shared by all workers)',
      labelNames: ['window'],
      async collect() {
        for (const window of await budget().catch(() => [])) {
          this.set({ window: window.scope }, window.limit - window.usage);
        }
      },
    });
  }

  async overview(): Promise<QueuesOverview> {
    const queues = await Promise.all(
      this.queues.map(async (queue) => ({
        name: queue.name as QueueName,
        counts: await queue.getJobCounts(...STATES),
        paused: await queue.isPaused(),
        rateLimitedForMs: Math.max(0, await queue.getRateLimitTtl(Number.MAX_SAFE_INTEGER)),
      })),
    );
    const budget = await this.limiter.snapshot();
    return {
      queues,
      stravaBudget: budget.map((window) => ({
        scope: window.scope,
        usage: window.usage,
        limit: window.limit,
        remaining: window.limit - window.usage,
        resetAt: window.resetAt.toISOString(),
      })),
    };
  }
}
