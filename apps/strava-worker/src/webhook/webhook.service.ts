import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { jobIds, JobName, jobOptions, type JobPayloads } from '@runnerly/jobs';
import type { Queue } from 'bullmq';
import type { Counter } from 'prom-client';
import { MetricsService } from '@runnerly/platform';
import { jobPolicy } from '../common/job-policy.js';
import { HOUSEKEEPING_QUEUE } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import type { WebhookEvent } from './webhook.dto.js';
import { WebhookErrorCode, WebhookException } from './webhook.exception.js';

export enum WebhookAction {
  SyncAthlete = 'sync_athlete',
  DeleteRun = 'delete_run',
  DeleteAthlete = 'delete_athlete',
  Ignored = 'ignored',
}

/**
 * Turns Strava's events into jobs and nothing more, so the answer goes back well within Strava's
 * 2 seconds. Deterministic job ids absorb Strava's redeliveries.
 */
@Injectable()
export class WebhookService {
  private readonly events: Counter<'object' | 'aspect' | 'action'>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(HOUSEKEEPING_QUEUE) private readonly queue: Queue,
    metrics: MetricsService,
  ) {
    this.events = metrics.counter({
      name: 'strava_webhook_events_total',
      help: 'Strava webhook events received, by object type, aspect and resulting action',
      labelNames: ['object', 'aspect', 'action'],
    });
  }

  verifyChallenge(verifyToken: string, challenge: string): { 'hub.challenge': string } {
    const expected = Buffer.from(this.config.STRAVA_WEBHOOK_VERIFY_TOKEN);
    const given = Buffer.from(verifyToken);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new WebhookException(WebhookErrorCode.InvalidVerifyToken, 'the verify token does not match', 403);
    }
    return { 'hub.challenge': challenge };
  }

  async accept(event: WebhookEvent, requestId?: string): Promise<WebhookAction> {
    const action = this.actionFor(event);
    const ids = requestId ? { requestId } : {};
    switch (action) {
      case WebhookAction.SyncAthlete:
        await this.add(
          JobName.SyncStravaAthlete,
          { stravaAthleteId: event.owner_id, stravaActivityId: event.object_id, ...ids },
          jobIds.syncStravaAthlete(event.owner_id, event.object_id),
        );
        break;
      case WebhookAction.DeleteRun:
        await this.add(
          JobName.DeleteRun,
          { stravaAthleteId: event.owner_id, stravaActivityId: event.object_id, ...ids },
          jobIds.deleteRun(event.owner_id, event.object_id),
        );
        break;
      case WebhookAction.DeleteAthlete:
        await this.add(
          JobName.DeleteAthlete,
          { stravaAthleteId: event.owner_id, ...ids },
          jobIds.deleteAthlete(event.owner_id),
        );
        break;
      case WebhookAction.Ignored:
        break;
    }
    this.events.inc({ object: event.object_type, aspect: event.aspect_type, action });
    return action;
  }

  private actionFor(event: WebhookEvent): WebhookAction {
    if (event.object_type === 'athlete') {
      return String(event.updates.authorized) === 'false' ? WebhookAction.DeleteAthlete : WebhookAction.Ignored;
    }
    if (event.aspect_type === 'delete') return WebhookAction.DeleteRun;
    // An activity whose sport changed away from running is no longer a run.
    const newType = event.updates.sport_type ?? event.updates.type;
    if (
      event.aspect_type === 'update' &&
      typeof newType === 'string' &&
      !this.config.STRAVA_RUN_SPORT_TYPES.includes(newType)
    ) {
      return WebhookAction.DeleteRun;
    }
    return WebhookAction.SyncAthlete;
  }

  private async add<N extends JobName>(name: N, data: JobPayloads[N], jobId: string): Promise<void> {
    await this.queue.add(name, data, { ...jobOptions(name, jobPolicy(this.config)), jobId });
  }
}
