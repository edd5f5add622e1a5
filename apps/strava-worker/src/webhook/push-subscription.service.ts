import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { KEY_PREFIX } from '@runnerly/jobs';
import { HealthService } from '@runnerly/platform';
import type { StravaPushSubscription } from '@runnerly/strava';
import type { RedisClient } from '@runnerly/platform';
import { REDIS, STRAVA_GATEWAY } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import type { StravaGateway } from '../rate-limit/strava-gateway.js';

export type PushSubscriptionResult = 'disabled' | 'exists' | 'created' | 'replaced';

/** The current subscription's id in Redis, shared by every worker process (`none`: there is none). */
const CURRENT_KEY = `${KEY_PREFIX}:strava-webhook:subscription`;
/** Held while a process lists the subscriptions again: at most one listing per refresh interval. */
const RELIST_KEY = `${KEY_PREFIX}:strava-webhook:subscription-relist`;
/** Longest an event waits for a listing before it is refused (Strava gives the callback 2 s). */
const RELIST_WAIT_MS = 1_200;

/**
 * Strava allows one push subscription per application. When a callback URL is configured, make
 * sure it is the one: Strava calls our handshake before it answers, so this runs once the HTTP
 * server listens. Either way, the worker learns the current subscription's id from Strava and
 * keeps it in Redis: Strava's events are not signed, and one naming another subscription (or none)
 * is not Strava's.
 */
@Injectable()
export class PushSubscriptionService {
  private readonly logger = new Logger(PushSubscriptionService.name);

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(STRAVA_GATEWAY) private readonly strava: StravaGateway,
    @Inject(REDIS) private readonly redis: RedisClient,
    health: HealthService,
  ) {
    // Without its subscription the worker would miss Strava's events: not ready until it exists.
    health.register('strava-push-subscription', async () => {
      if (this.config.STRAVA_WEBHOOK_CALLBACK_URL && !this.ensured)
        throw new Error('push subscription not ensured yet');
    });
  }

  private ensured = false;

  async ensure(): Promise<PushSubscriptionResult> {
    const callbackUrl = this.config.STRAVA_WEBHOOK_CALLBACK_URL;
    const client = this.strava.client;
    const existing = await client.listPushSubscriptions();
    if (!callbackUrl) {
      await this.remember(this.pick(existing));
      return 'disabled';
    }
    const current = existing.find((subscription) => subscription.callback_url === callbackUrl);
    if (current) {
      await this.remember(current.id);
      this.ensured = true;
      return 'exists';
    }
    for (const subscription of existing) await client.deletePushSubscription(subscription.id);
    const { id } = await client.createPushSubscription(callbackUrl, this.config.STRAVA_WEBHOOK_VERIFY_TOKEN);
    await this.remember(id);
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
          // Strava (or the sandbox) not answering yet is expected while a stack starts: a warning of
          // one line per retry; an error with its stack only when the worker gives up.
          if (attempt === attempts) {
            this.logger.error({ err: error, attempt }, 'could not ensure the Strava push subscription; giving up');
            return;
          }
          this.logger.warn(
            { attempt },
            `could not ensure the Strava push subscription yet (${error instanceof Error ? error.message : String(error)}); retrying`,
          );
          await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 30_000)).unref());
        }
      }
    })();
  }

  /**
   * Whether an event naming this subscription comes from the app's current one. An id the worker
   * does not know may be a subscription made since (by another process, or by hand): then the
   * subscriptions are listed again, but at most once per STRAVA_WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS
   * for all processes together, so forged events never cost one Strava call each.
   */
  async isCurrent(subscriptionId: number): Promise<boolean> {
    const known = await this.redis.get(CURRENT_KEY);
    if (known === String(subscriptionId)) return true;
    const interval = this.config.STRAVA_WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS;
    if ((await this.redis.set(RELIST_KEY, '1', 'EX', interval, 'NX')) !== 'OK') return false;
    const relisted = this.relist();
    const timeout = sleep(RELIST_WAIT_MS, undefined, { ref: false });
    const current = await Promise.race([relisted, timeout]);
    return current === subscriptionId;
  }

  /** Lists the app's subscriptions at Strava and remembers the current one's id; undefined on failure. */
  private async relist(): Promise<number | null | undefined> {
    try {
      const id = this.pick(await this.strava.client.listPushSubscriptions());
      await this.remember(id);
      return id;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not list the Strava push subscriptions');
      return undefined;
    }
  }

  /** The app's subscription: the one at our callback URL when one is configured, else Strava's one. */
  private pick(subscriptions: StravaPushSubscription[]): number | null {
    const callbackUrl = this.config.STRAVA_WEBHOOK_CALLBACK_URL;
    const mine = callbackUrl
      ? subscriptions.find((subscription) => subscription.callback_url === callbackUrl)
      : subscriptions[0];
    return mine?.id ?? null;
  }

  private async remember(id: number | null): Promise<void> {
    await this.redis.set(CURRENT_KEY, id === null ? 'none' : String(id));
  }
}
