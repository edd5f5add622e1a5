import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataServiceClient } from '@runnerly/data-client';
import {
  type DeleteAthleteData,
  type DeleteRunData,
  jobIds,
  JobName,
  jobOptions,
  type ScheduleSyncsData,
  SyncReason,
  type SyncQueue,
  type SyncStravaAthleteData,
} from '@runnerly/jobs';
import { MetricsService } from '@runnerly/platform';
import { ServiceClientError } from '@runnerly/service-client';
import type { Queue } from 'bullmq';
import type { Counter } from 'prom-client';
import { jobPolicy } from '../common/job-policy.js';
import { DATA_SERVICE, HOUSEKEEPING_QUEUE, SYNC_QUEUE } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import { RecheckOutcome, SyncCheckpointRepository } from '../sync/sync-checkpoint.repository.js';
import { DeauthorizationCheck, DeauthorizationService } from './deauthorization.service.js';

/** Users per data-service page in the fan-out: one GET and one bulk add each. */
const FAN_OUT_PAGE = 500;

/** The jobs of the housekeeping queue: fan-out, and what webhook events hint at. */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger(HousekeepingService.name);
  private readonly unconfirmed: Counter<'reason'>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(DATA_SERVICE) private readonly data: DataServiceClient,
    @Inject(SYNC_QUEUE) private readonly syncs: SyncQueue,
    @Inject(HOUSEKEEPING_QUEUE) private readonly housekeeping: Queue,
    private readonly checkpoints: SyncCheckpointRepository,
    private readonly deauthorization: DeauthorizationService,
    metrics: MetricsService,
  ) {
    this.unconfirmed = metrics.counter({
      name: 'strava_webhook_refused_total',
      help: 'Webhook events refused or not acted on, by reason',
      labelNames: ['reason'],
    });
  }

  /**
   * Queues a sync of every connected athlete, a page of users at a time (flat memory for any
   * number of athletes). `save` records the cursor so a retried fan-out resumes where it stopped.
   */
  async handleScheduleSyncs(
    data: ScheduleSyncsData,
    save: (data: ScheduleSyncsData) => Promise<void>,
  ): Promise<number> {
    let { cursor, queued = 0 } = data;
    do {
      const page = await this.data.listUsers({ connected: 'true', limit: FAN_OUT_PAGE, ...(cursor ? { cursor } : {}) });
      await this.syncs.requestSyncs(
        page.items.map((user) => user.id),
        { reason: SyncReason.Scheduled },
      );
      queued += page.items.length;
      cursor = page.nextCursor ?? undefined;
      await save({ ...(cursor ? { cursor } : {}), queued });
    } while (cursor);
    this.logger.log({ queued }, 'scheduled syncs queued');
    return queued;
  }

  /**
   * An event named an activity (created, changed or deleted): note it for the athlete's sync, which
   * reads it with the athlete's own token and decides from what Strava answers, even when it is older
   * than what an incremental sync pages through (an old run renamed, a ride turned into a run, a run
   * from last year uploaded today). Events about someone who is not a connected Runnerly user cost
   * nothing at Strava; one athlete's events are read one by one up to a cap per window, then the
   * pending set gives way to one paged sync.
   */
  async handleSyncStravaAthlete({
    stravaAthleteId,
    stravaActivityId,
    requestId,
  }: SyncStravaAthleteData): Promise<void> {
    const user = await this.data.findUserByStravaAthleteId(stravaAthleteId);
    if (!user?.connected) return;
    const ids = requestId ? { requestId } : {};
    if (stravaActivityId === undefined) {
      await this.syncs.requestSync(user.id, { reason: SyncReason.Webhook, ...ids });
      return;
    }
    const outcome = await this.checkpoints.addRecheck(user.id, stravaActivityId, {
      cap: this.config.STRAVA_WEBHOOK_RECHECK_CAP,
      windowSeconds: this.config.STRAVA_WEBHOOK_RECHECK_WINDOW_SECONDS,
    });
    switch (outcome) {
      case RecheckOutcome.Added:
        await this.syncs.requestSync(user.id, { reason: SyncReason.Webhook, ...ids });
        break;
      case RecheckOutcome.Overflow:
        this.logger.warn({ userId: user.id }, 'too many activity events for one athlete: one paged sync instead');
        this.unconfirmed.inc({ reason: 'recheck_cap' });
        await this.syncs.state.requestPagedSync(user.id);
        await this.syncs.requestSync(user.id, { reason: SyncReason.Webhook, ...ids });
        break;
      case RecheckOutcome.Dropped:
        this.unconfirmed.inc({ reason: 'recheck_cap' });
        break;
      case RecheckOutcome.Duplicate:
        break;
    }
  }

  /** Kept for jobs queued before events became hints: a recheck, never a deletion on the event's word. */
  async handleDeleteRun({ stravaAthleteId, stravaActivityId, requestId }: DeleteRunData): Promise<void> {
    await this.handleSyncStravaAthlete({ stravaAthleteId, stravaActivityId, ...(requestId ? { requestId } : {}) });
  }

  /**
   * An event says the athlete deauthorized Runnerly. Strava's agreement wants their data gone, but
   * the event is not signed: only when Strava itself refuses the athlete's stored token (401) and
   * its refresh (invalid_grant), or did so before (see DeauthorizationService), is everything
   * deleted. Otherwise nothing is. One check per athlete per interval; an event arriving sooner is
   * checked when the interval ends.
   */
  async handleDeleteAthlete({ stravaAthleteId, requestId }: DeleteAthleteData): Promise<void> {
    const user = await this.data.findUserByStravaAthleteId(stravaAthleteId);
    if (!user) return;
    const waitMs = await this.checkpoints.takeDeauthorizationCheck(
      stravaAthleteId,
      this.config.STRAVA_WEBHOOK_DEAUTHORIZATION_CHECK_SECONDS,
    );
    if (waitMs > 0) {
      await this.housekeeping.add(
        JobName.DeleteAthlete,
        { stravaAthleteId, ...(requestId ? { requestId } : {}) },
        {
          ...jobOptions(JobName.DeleteAthlete, jobPolicy(this.config)),
          jobId: jobIds.deleteAthleteLater(stravaAthleteId),
          delay: waitMs,
        },
      );
      return;
    }
    // When webhook-driven requests used their share of Strava's window (EventShareExceededError),
    // the job fails this attempt and is retried with backoff, past the window's reset.
    const check = await this.deauthorization.check(user.id);
    if (check !== DeauthorizationCheck.Revoked) {
      this.logger.warn(
        { userId: user.id, stravaAthleteId, check },
        'deauthorization event not confirmed by Strava: nothing deleted',
      );
      this.unconfirmed.inc({ reason: check });
      return;
    }
    await ignoreNotFound(this.data.deleteUser(user.id));
    await this.syncs.state.remove(user.id);
    await this.checkpoints.forget(user.id);
    this.logger.log({ userId: user.id }, 'deauthorized athlete deleted');
  }
}

async function ignoreNotFound(promise: Promise<void>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ServiceClientError && error.status === 404)) throw error;
  }
}
