import { Inject, Injectable } from '@nestjs/common';
import { safeEqual } from '@runnerly/config';
import { jobIds, JobName, jobOptions, type JobPayloads } from '@runnerly/jobs';
import type { Queue } from 'bullmq';
import type { Counter } from 'prom-client';
import { MetricsService } from '@runnerly/platform';
import { jobPolicy } from '../common/job-policy.js';
import { HOUSEKEEPING_QUEUE } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import { PushSubscriptionService } from './push-subscription.service.js';
import type { WebhookEvent } from './webhook.dto.js';
import { WebhookErrorCode, WebhookException } from './webhook.exception.js';

export enum WebhookAction {
  /** An activity was created, changed or deleted: read it with the athlete's token, then decide. */
  RecheckActivity = 'recheck_activity',
  /** The athlete deauthorized Runnerly, says the event: ask Strava before deleting anything. */
  ConfirmDeauthorization = 'confirm_deauthorization',
  Ignored = 'ignored',
}

/**
 * Turns Strava's events into jobs and nothing more, so the answer goes back well within Strava's
 * 2 seconds. Events are not signed and athlete and activity ids are public: an event is a hint,
 * never an order. Only events of the app's current push subscription are taken; every activity
 * event becomes a recheck of that activity and a deauthorization is confirmed with Strava first.
 * Deterministic job ids absorb Strava's redeliveries and repeated events.
 */
@Injectable()
export class WebhookService {
  private readonly events: Counter<'object' | 'aspect' | 'action'>;
  private readonly refused: Counter<'reason'>;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(HOUSEKEEPING_QUEUE) private readonly queue: Queue,
    private readonly subscriptions: PushSubscriptionService,
    metrics: MetricsService,
  ) {
    this.events = metrics.counter({
      name: 'strava_webhook_events_total',
      help: 'Strava webhook events received, by object type, aspect and resulting action',
      labelNames: ['object', 'aspect', 'action'],
    });
    this.refused = metrics.counter({
      name: 'strava_webhook_refused_total',
      help: 'Webhook events refused or not acted on, by reason',
      labelNames: ['reason'],
    });
  }

  verifyChallenge(verifyToken: string, challenge: string): { 'hub.challenge': string } {
    if (!safeEqual(this.config.STRAVA_WEBHOOK_VERIFY_TOKEN, verifyToken)) {
      throw new WebhookException(WebhookErrorCode.InvalidVerifyToken, 'the verify token does not match', 403);
    }
    return { 'hub.challenge': challenge };
  }

  async accept(event: WebhookEvent, requestId?: string): Promise<WebhookAction> {
    await this.checkSubscription(event.subscription_id);
    const action = this.actionFor(event);
    const ids = requestId ? { requestId } : {};
    switch (action) {
      case WebhookAction.RecheckActivity:
        await this.add(
          JobName.SyncStravaAthlete,
          { stravaAthleteId: event.owner_id, stravaActivityId: event.object_id, ...ids },
          jobIds.syncStravaAthlete(event.owner_id, event.object_id),
        );
        break;
      case WebhookAction.ConfirmDeauthorization:
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

  /**
   * Refused with a 403: Strava retries an event it did not get a 2xx for, so a genuine event that
   * arrives before this process learned a new subscription id comes again (by then listed), while a
   * forged one queues nothing.
   */
  private async checkSubscription(subscriptionId: number | undefined): Promise<void> {
    if (subscriptionId === undefined) {
      this.refused.inc({ reason: 'missing_subscription' });
      throw new WebhookException(WebhookErrorCode.UnknownSubscription, 'the event names no push subscription', 403);
    }
    if (!(await this.subscriptions.isCurrent(subscriptionId))) {
      this.refused.inc({ reason: 'unknown_subscription' });
      throw new WebhookException(
        WebhookErrorCode.UnknownSubscription,
        "the event does not name the application's push subscription",
        403,
      );
    }
  }

  private actionFor(event: WebhookEvent): WebhookAction {
    if (event.object_type === 'athlete') {
      return String(event.updates.authorized) === 'false'
        ? WebhookAction.ConfirmDeauthorization
        : WebhookAction.Ignored;
    }
    return WebhookAction.RecheckActivity;
  }

  private async add<N extends JobName>(name: N, data: JobPayloads[N], jobId: string): Promise<void> {
    await this.queue.add(name, data, { ...jobOptions(name, jobPolicy(this.config)), jobId });
  }
}
