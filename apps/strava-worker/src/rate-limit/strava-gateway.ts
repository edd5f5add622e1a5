import { StravaRateLimitError, type StravaClient } from '@runnerly/strava';
import type { Counter } from 'prom-client';
import {
  type AthleteShare,
  RateBudgetExhaustedError,
  type RequestShare,
  type StravaRateLimiter,
} from './strava-rate-limiter.js';

/**
 * Every rate-limited Strava call of the worker goes through here: it takes a unit of the shared
 * budget first, learns usage from the answer, and turns a 429 into a spent window for all workers.
 */
export class StravaGateway {
  constructor(
    readonly client: StravaClient,
    private readonly limiter: StravaRateLimiter,
    private readonly requests?: Counter<'endpoint' | 'outcome'>,
  ) {}

  /**
   * `athlete`: the request is for this athlete's sync, held to their fair share of the window.
   * `share`: it belongs to a class held to its own share of each window (webhook events, enrichment).
   */
  async call<T>(
    endpoint: string,
    fn: (client: StravaClient) => Promise<T>,
    athlete?: AthleteShare,
    share?: RequestShare,
  ): Promise<T> {
    await this.limiter.acquire(athlete, share);
    let outcome = 'ok';
    try {
      return await fn(this.client);
    } catch (error) {
      outcome = error instanceof Error ? error.name : 'error';
      if (error instanceof StravaRateLimitError) {
        outcome = error.sent ? 'rate_limited' : 'refused_locally';
        const resetAt = await this.limiter.exhaust(error.scope);
        throw new RateBudgetExhaustedError(resetAt, error.scope);
      }
      throw error;
    } finally {
      this.requests?.inc({ endpoint, outcome });
      await this.limiter.observe(this.client.rateLimits);
    }
  }
}
