import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataServiceClient, RunInput, StravaToken } from '@runnerly/data-client';
import { SyncErrorCode, SyncReason, type SyncStateStore } from '@runnerly/jobs';
import { ServiceClientError } from '@runnerly/service-client';
import {
  isExpiring,
  parseScopes,
  StravaAppInactiveError,
  StravaInvalidGrantError,
  StravaMissingScopeError,
  StravaNotFoundError,
  type StravaSummaryActivity,
  type StravaTokenSet,
  StravaUnauthorizedError,
  stravaWindow,
} from '@runnerly/strava';
import { CLOCK, type Clock } from '../common/clock.js';
import { DATA_SERVICE, STRAVA_GATEWAY, SYNC_STATE } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import type { StravaGateway } from '../rate-limit/strava-gateway.js';
import { type AthleteShare, RequestShare, StravaPausedError } from '../rate-limit/strava-rate-limiter.js';
import { isRun, toRun, toShoes } from './run-mapper.js';
import { SyncCheckpointRepository } from './sync-checkpoint.repository.js';
import { SyncAbortedError, SyncHandedBackError } from './sync.errors.js';

export interface SyncContext {
  /** True once the worker is stopping: the sync saves its place and hands the job back. */
  shouldStop(): boolean;
  /** Why the sync was asked for: a webhook's sync only reads the activities events named. */
  reason?: SyncReason;
  /** Whether other athletes' syncs wait: then this one keeps to its share of Strava's window. */
  othersWaiting?: () => Promise<boolean>;
}

export interface SyncOutcome {
  pages: number;
  activities: number;
  runsAdded: number;
  /** Strava API requests this run of the sync made (token refreshes not included). */
  requests: number;
}

/** Refresh tokens this long before they expire, so a page never goes out with a dying token. */
const TOKEN_MARGIN_SECONDS = 10 * 60;
const STORE_TOKEN_ATTEMPTS = 5;

/**
 * Brings one athlete's runs in step with Strava: only what is new since the newest activity seen
 * (with an overlap for late uploads), page by page (one page in memory at a time), resuming where
 * an interrupted sync stopped.
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);
  private readonly runTypes: ReadonlySet<string>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(DATA_SERVICE) private readonly data: DataServiceClient,
    @Inject(STRAVA_GATEWAY) private readonly strava: StravaGateway,
    @Inject(SYNC_STATE) private readonly state: SyncStateStore,
    private readonly checkpoints: SyncCheckpointRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.runTypes = new Set(config.STRAVA_RUN_SPORT_TYPES);
  }

  async sync(userId: string, context: SyncContext): Promise<SyncOutcome> {
    const outcome: SyncOutcome = { pages: 0, activities: 0, runsAdded: 0, requests: 0 };
    const share: AthleteShare = { id: userId, othersWaiting: context.othersWaiting ?? (async () => false) };
    let tokens = await this.freshTokens(userId, await this.loadTokens(userId));
    // Pages are read when anyone but a webhook asked (or an interrupted paged sync resumes, or too
    // many events arrived to read one by one); a webhook's sync reads only the activities named.
    const pagedRequested = await this.state.takePagedSync(userId);
    let checkpoint = await this.checkpoints.get(userId);
    if (!checkpoint && (pagedRequested || context.reason !== SyncReason.Webhook)) {
      checkpoint = { after: await this.startAfter(userId), page: 1 };
      // Saved at once: a retry of this job pages too, even if the request that asked for it is gone.
      await this.checkpoints.save(userId, checkpoint);
      // Once per paged sync (a resumed one has done it): the athlete's shoes, for the dashboard's
      // mileage per shoe. Only a token with profile:read_all sees them; without it, no request.
      if (parseScopes(tokens.scope).includes('profile:read_all')) {
        tokens = await this.syncGear(userId, tokens, outcome, share);
      }
    }
    let newest = (await this.checkpoints.getWatermark(userId)) ?? 0;
    // Activities that webhooks said changed: those the pages below do not cover are read one by one.
    const rechecks = await this.checkpoints.rechecks(userId);
    const unseen = new Set(rechecks);
    for (let page = checkpoint?.page ?? 1; checkpoint; page += 1) {
      if (context.shouldStop()) throw new SyncHandedBackError();
      tokens = await this.freshTokens(userId, tokens);
      const fetched = await this.fetchPage(userId, tokens, checkpoint.after, page, outcome, share);
      tokens = fetched.tokens;
      const activities = fetched.value;
      if (activities.length === 0) break;
      const runs: RunInput[] = [];
      for (const activity of activities) {
        unseen.delete(activity.id);
        newest = Math.max(newest, epochSeconds(activity.start_date));
        if (isRun(activity, this.runTypes)) runs.push(toRun(activity));
      }
      let inserted = 0;
      for (let start = 0; start < runs.length; start += this.config.STRAVA_SYNC_BATCH_SIZE) {
        const result = await this.data.upsertRuns(
          userId,
          runs.slice(start, start + this.config.STRAVA_SYNC_BATCH_SIZE),
        );
        inserted += result.inserted;
      }
      outcome.pages += 1;
      outcome.activities += activities.length;
      outcome.runsAdded += inserted;
      // The page is stored: only now move the checkpoint past it (a crash repeats it, idempotently).
      await this.checkpoints.save(userId, { after: checkpoint.after, page: page + 1 });
      await this.state.addProgress(userId, { pages: 1, activities: activities.length, runsAdded: inserted });
    }
    // The pages are done: a sync parked or stopped among the rechecks below resumes with them alone.
    if (newest > 0) await this.checkpoints.setWatermark(userId, newest);
    await this.checkpoints.clear(userId);
    // Those the pages covered are stored; the others are read and stored one at a time.
    await this.checkpoints.doneRechecks(
      userId,
      rechecks.filter((activityId) => !unseen.has(activityId)),
    );
    if (unseen.size > 0) {
      const { stravaAthleteId } = await this.data.getUser(userId);
      for (const activityId of unseen) {
        if (context.shouldStop()) throw new SyncHandedBackError();
        tokens = await this.recheck(
          { userId, stravaAthleteId },
          await this.freshTokens(userId, tokens),
          activityId,
          outcome,
          share,
        );
        await this.checkpoints.doneRechecks(userId, [activityId]);
      }
    }
    return outcome;
  }

  /** One `GET /athlete` (counted in the budget like every Strava call); its `shoes` stored as Strava lists them. */
  private async syncGear(
    userId: string,
    tokens: StravaTokenSet,
    outcome: SyncOutcome,
    share: AthleteShare,
  ): Promise<StravaTokenSet> {
    const fetched = await this.withToken(userId, tokens, (accessToken) => {
      outcome.requests += 1;
      return this.strava.call('get_athlete', (client) => client.getAthlete(accessToken), share);
    });
    const shoes = fetched.value.shoes;
    if (Array.isArray(shoes)) await this.data.putGear(userId, { shoes: toShoes(shoes) });
    return fetched.tokens;
  }

  /** Whether a sync of this athlete was interrupted and will resume. */
  async isResuming(userId: string): Promise<boolean> {
    return (await this.checkpoints.get(userId)) !== undefined;
  }

  /** `after` for a new sync: the newest activity already seen (or run stored) minus the overlap. */
  private async startAfter(userId: string): Promise<number> {
    const [watermark, newestRun] = await Promise.all([
      this.checkpoints.getWatermark(userId),
      this.data.listRuns(userId, { limit: 1 }),
    ]);
    const newestRunStart = newestRun.items[0] ? epochSeconds(newestRun.items[0].startDate) : 0;
    const newest = Math.max(watermark ?? 0, newestRunStart);
    return newest === 0 ? 0 : Math.max(0, newest - this.config.STRAVA_SYNC_OVERLAP_SECONDS);
  }

  private fetchPage(
    userId: string,
    tokens: StravaTokenSet,
    after: number,
    page: number,
    outcome: SyncOutcome,
    share: AthleteShare,
  ): Promise<{ value: StravaSummaryActivity[]; tokens: StravaTokenSet }> {
    return this.withToken(userId, tokens, (accessToken) => {
      outcome.requests += 1;
      return this.strava.call(
        'list_activities',
        (client) => client.listActivitiesPage(accessToken, { after, page, perPage: 200 }),
        share,
      );
    });
  }

  /**
   * Reads one activity with the athlete's own token: stored as a run only when it is one and it is
   * theirs; removed if it is gone, no run (any more), private (Strava answers 404 without
   * activity:read_all) or someone else's. What a webhook event said decides nothing.
   */
  private async recheck(
    { userId, stravaAthleteId }: { userId: string; stravaAthleteId: number },
    tokens: StravaTokenSet,
    activityId: number,
    outcome: SyncOutcome,
    share: AthleteShare,
  ): Promise<StravaTokenSet> {
    let activity: StravaSummaryActivity | undefined;
    try {
      const fetched = await this.withToken(userId, tokens, (accessToken) => {
        outcome.requests += 1;
        return this.strava.call(
          'get_activity',
          (client) => client.getActivity(accessToken, activityId),
          share,
          RequestShare.Events,
        );
      });
      tokens = fetched.tokens;
      activity = fetched.value;
    } catch (error) {
      // Deleted since, or private and Runnerly may not read private activities.
      if (!(error instanceof StravaNotFoundError)) throw error;
    }
    if (activity && activity.athlete?.id === stravaAthleteId && isRun(activity, this.runTypes)) {
      outcome.runsAdded += (await this.data.upsertRuns(userId, [toRun(activity)])).inserted;
    } else {
      await this.data.deleteRun(userId, activityId);
    }
    return tokens;
  }

  /** A Strava call with the athlete's token; if the token died early (revoked, a clock off), refreshes once and tries again. */
  async withToken<T>(
    userId: string,
    tokens: StravaTokenSet,
    call: (accessToken: string) => Promise<T>,
  ): Promise<{ value: T; tokens: StravaTokenSet }> {
    try {
      return { value: await this.stravaCall(userId, () => call(tokens.accessToken)), tokens };
    } catch (error) {
      if (!(error instanceof StravaUnauthorizedError) || error instanceof StravaMissingScopeError) throw error;
      const fresh = await this.freshTokens(userId, tokens, true);
      return { value: await this.stravaCall(userId, () => call(fresh.accessToken)), tokens: fresh };
    }
  }

  async loadTokens(userId: string): Promise<StravaToken> {
    try {
      return await this.data.getStravaToken(userId);
    } catch (error) {
      if (error instanceof ServiceClientError && error.status === 404) {
        throw new SyncAbortedError(SyncErrorCode.NotConnected, 'Runnerly holds no Strava tokens for this user', {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Tokens valid for a while yet; a refreshed pair is stored back before it is used. */
  async freshTokens(userId: string, tokens: StravaTokenSet, force = false): Promise<StravaTokenSet> {
    if (!force && !isExpiring(tokens, TOKEN_MARGIN_SECONDS, this.clock.now())) return tokens;
    const fresh = await this.stravaCall(userId, () => this.strava.client.refresh(tokens.refreshToken, tokens.scope));
    await this.storeTokens(userId, { ...fresh, scope: fresh.scope ?? tokens.scope ?? '' });
    return fresh;
  }

  /**
   * Strava may have rotated the refresh token: the old one is already dead, so losing the new pair
   * would disconnect the athlete. Insist a little before giving up.
   */
  private async storeTokens(userId: string, token: StravaToken): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.data.putStravaToken(userId, token);
        return;
      } catch (error) {
        if (
          attempt >= STORE_TOKEN_ATTEMPTS ||
          (error instanceof ServiceClientError && error.status >= 400 && error.status < 500)
        ) {
          this.logger.error({ userId, err: error }, 'could not store the refreshed Strava tokens');
          throw error;
        }
        await sleep(200 * 2 ** attempt);
      }
    }
  }

  /** Maps what Strava says about the athlete into what the job does next. */
  private async stravaCall<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof StravaInvalidGrantError) {
        await this.disconnect(userId, true);
        throw new SyncAbortedError(
          SyncErrorCode.Revoked,
          'Strava refused the athlete’s refresh token: access was revoked',
          { cause: error },
        );
      }
      if (error instanceof StravaMissingScopeError) {
        await this.disconnect(userId);
        throw new SyncAbortedError(
          SyncErrorCode.MissingScope,
          'the athlete did not allow Runnerly to read activities',
          { cause: error },
        );
      }
      if (error instanceof StravaAppInactiveError) {
        // The operator's problem, the same for every athlete: wait a window, do not hammer Strava.
        const until = stravaWindow('15min', this.clock.now()).resetAt;
        throw new StravaPausedError(until, 'app_inactive', error.message);
      }
      throw error;
    }
  }

  /** No more scheduled syncs until the athlete connects again; their runs stay. */
  private async disconnect(userId: string, revoked = false): Promise<void> {
    await this.data.deleteStravaToken(userId).catch((error: unknown) => {
      if (!(error instanceof ServiceClientError && error.status === 404)) throw error;
    });
    await this.state.setDisconnected(userId, true, revoked);
    await this.checkpoints.clear(userId);
  }
}

function epochSeconds(iso: string): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}
