import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthService } from '@runnerly/platform';
import { STRAVA_GATEWAY } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import type { StravaGateway } from '../rate-limit/strava-gateway.js';

export type PushSubscriptionResult = 'disabled' | 'exists' | 'created' | 'replaced';

/**
 * Strava allows one push subscription per application. When a callback URL is configured, make
 * sure it is the one: Strava calls our handshake before it answers, so this runs once the HTTP
 * server listens.
 */
@Injectable()
export class PushSubscriptionService {
  private readonly logger = new Logger(PushSubscriptionService.name);

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(STRAVA_GATEWAY) private readonly strava: StravaGateway,
    health: HealthService,
  ) {
    // Without its subscription the worker would miss Strava's events: not ready until it exists.
    health.register('strava-push-subscription', async () => {
      if (this.config.STRAVA_WEBHOOK_CALLBACK_URL && !this.ensured) throw new Error('push subscription not ensured yet');
    });
  }

  private ensured = false;

  async ensure(): Promise<PushSubscriptionResult> {
    const callbackUrl = this.config.STRAVA_WEBHOOK_CALLBACK_URL;
    if (!callbackUrl) return 'disabled';
    const client = this.strava.client;
    const existing = await client.listPushSubscriptions();
    if (existing.some((subscription) => subscription.callback_url === callbackUrl)) {
      this.ensured = true;
      return 'exists';
    }
    for (const subscription of existing) await client.deletePushSubscription(subscription.id);
    const { id } = await client.createPushSubscription(callbackUrl, this.config.STRAVA_WEBHOOK_VERIFY_TOKEN);
    this.ensured = true;
    this.logger.log({ subscriptionId: id, callbackUrl }, 'Strava push subscription created');
    return existing.length ? 'replaced' : 'created';
  }

  /** In the background with a few retries: a missing subscription must not stop the worker. */
  ensureInBackground(attempts = 8): void {
    void (async () => {
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        try {
          await this.ensure();
          return;
        } catch (error) {
          this.logger.error({ err: error, attempt }, 'could not ensure the Strava push subscription');
          await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 30_000)).unref());
        }
      }
    })();
  }
}
