import { Inject, Injectable } from '@nestjs/common';
import { computeBestEfforts, type EffortSource } from '@runnerly/best-efforts';
import type { DataServiceClient, Run } from '@runnerly/data-client';
import { ServiceClientError } from '@runnerly/service-client';
import { StravaNotFoundError, type StravaStreamSet, type StravaTokenSet } from '@runnerly/strava';
import { DATA_SERVICE, STRAVA_GATEWAY } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import type { StravaGateway } from '../rate-limit/strava-gateway.js';
import { RequestShare } from '../rate-limit/strava-rate-limiter.js';
import { SyncService } from '../sync/sync.service.js';

export interface EnrichmentContext {
  /** True once the worker is stopping: the job hands itself back between runs. */
  shouldStop(): boolean;
}

export interface EnrichmentOutcome {
  /** Runs given their efforts in this turn, by source. */
  runs: Record<EffortSource, number>;
  /** Strava requests this turn made. */
  requests: number;
  /** False: runs remain (the turn's quota was used or the worker is stopping). */
  done: boolean;
}

/** Runs listed per data-service call (the missing ones, newest first). */
const PAGE = 50;

/**
 * Best efforts for an athlete's runs that lack them: for each, its streams from Strava (one
 * request, on the enrichment's share of the budget), the engine, one PUT to the data-service. A run
 * Strava has no streams for (manual; 404) gets its whole-run figures only (`summary`).
 */
@Injectable()
export class EnrichmentService {
  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(DATA_SERVICE) private readonly data: DataServiceClient,
    @Inject(STRAVA_GATEWAY) private readonly strava: StravaGateway,
    private readonly sync: SyncService,
  ) {}

  async enrich(userId: string, context: EnrichmentContext): Promise<EnrichmentOutcome> {
    const outcome: EnrichmentOutcome = { runs: { streams: 0, distance: 0, summary: 0 }, requests: 0, done: false };
    let tokens: StravaTokenSet | undefined;
    let enriched = 0;
    for (;;) {
      const { items } = await this.data.listRuns(userId, { efforts: 'missing', limit: PAGE });
      if (items.length === 0) {
        outcome.done = true;
        return outcome;
      }
      for (const run of items) {
        if (enriched >= this.config.STRAVA_ENRICHMENT_RUNS_PER_TURN || context.shouldStop()) return outcome;
        tokens = await this.sync.freshTokens(userId, tokens ?? (await this.sync.loadTokens(userId)));
        const fetched = await this.streams(userId, tokens, run, outcome);
        tokens = fetched.tokens;
        const result = computeBestEfforts(
          {
            time: fetched.streams?.time?.data,
            distance: fetched.streams?.distance?.data,
            latlng: fetched.streams?.latlng?.data,
          },
          { distance: run.distance, elapsedTime: run.elapsedTime, movingTime: run.movingTime },
        );
        try {
          await this.data.putBestEfforts(userId, run.stravaId, {
            source: result.source,
            efforts: result.efforts.map(({ distance, elapsedTime, startOffset }) => ({
              distance,
              elapsedTime,
              startOffset,
            })),
          });
        } catch (error) {
          // Deleted since it was listed: nothing to enrich.
          if (!(error instanceof ServiceClientError && error.status === 404)) throw error;
        }
        outcome.runs[result.source] += 1;
        enriched += 1;
      }
    }
  }

  private async streams(
    userId: string,
    tokens: StravaTokenSet,
    run: Run,
    outcome: EnrichmentOutcome,
  ): Promise<{ streams: StravaStreamSet | undefined; tokens: StravaTokenSet }> {
    try {
      const fetched = await this.sync.withToken(userId, tokens, (accessToken) => {
        outcome.requests += 1;
        return this.strava.call(
          'get_activity_streams',
          (client) => client.getActivityStreams(accessToken, run.stravaId),
          undefined,
          RequestShare.Enrichment,
        );
      });
      return { streams: fetched.value, tokens: fetched.tokens };
    } catch (error) {
      // No streams (a manual activity), or gone or private since: the summary is all there is.
      if (error instanceof StravaNotFoundError) return { streams: undefined, tokens };
      throw error;
    }
  }
}
