import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { MetricsService } from '@runnerly/platform';
import type { StravaPushSubscription, StravaWebhookEvent } from '@runnerly/strava';
import { ClockService } from '../common/clock.service.js';
import { Faults } from '../common/strava-fault.js';
import { SettingsService } from '../settings/settings.service.js';

/** Strava gives the callback 2 seconds, for the handshake and for each event. */
export const CALLBACK_TIMEOUT_MS = 2000;
/** Attempts per event, first one included. */
export const DELIVERY_ATTEMPTS = 3;

interface Subscription {
  id: number;
  callbackUrl: string;
  verifyToken: string;
  createdAt: string;
  updatedAt: string;
}

export interface Delivery {
  event: StravaWebhookEvent;
  callbackUrl: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError?: string;
}

/** The application's push subscription (at most one) and delivery of events to its callback. */
@Injectable()
export class WebhooksService implements OnModuleDestroy {
  private readonly logger = new Logger(WebhooksService.name);
  private subscription: Subscription | undefined;
  private nextId = 1;
  private deliveryLog: Delivery[] = [];
  private inFlight = new Set<Promise<void>>();
  private shutdown = new AbortController();
  private readonly delivered: ReturnType<MetricsService['counter']>;

  constructor(
    private readonly settings: SettingsService,
    private readonly clock: ClockService,
    metrics: MetricsService,
  ) {
    this.delivered = metrics.counter({
      name: 'strava_sandbox_webhook_events_total',
      help: 'Webhook events the sandbox sent, by outcome after all attempts',
      labelNames: ['outcome'],
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  reset(): void {
    this.subscription = undefined;
    this.nextId = 1;
    this.deliveryLog = [];
  }

  /**
   * Creates the subscription once the callback answers Strava's handshake: a GET with
   * `hub.challenge` that must be echoed as JSON with a 200 within 2 seconds.
   */
  async create(callbackUrl: string, verifyToken: string): Promise<{ id: number }> {
    if (this.subscription) throw Faults.subscriptionExists();
    let target: URL;
    try {
      target = new URL(callbackUrl);
    } catch {
      throw Faults.subscriptionNotVerifiable();
    }
    const challenge = randomBytes(12).toString('hex');
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.challenge', challenge);
    target.searchParams.set('hub.verify_token', verifyToken);
    try {
      const response = await fetch(target, { signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) });
      const body = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200 || body['hub.challenge'] !== challenge)
        throw new Error(`answered ${response.status}`);
    } catch (error) {
      this.logger.warn(
        `push subscription callback not verifiable: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw Faults.subscriptionNotVerifiable();
    }
    if (this.subscription) throw Faults.subscriptionExists();
    const now = this.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    this.subscription = { id: this.nextId++, callbackUrl, verifyToken, createdAt: now, updatedAt: now };
    return { id: this.subscription.id };
  }

  view(applicationId: number): StravaPushSubscription[] {
    if (!this.subscription) return [];
    const { id, callbackUrl, createdAt, updatedAt } = this.subscription;
    return [
      {
        id,
        resource_state: 2,
        application_id: applicationId,
        callback_url: callbackUrl,
        created_at: createdAt,
        updated_at: updatedAt,
      },
    ];
  }

  delete(id: number): void {
    if (this.subscription?.id !== id) throw Faults.notFound('PushSubscription');
    this.subscription = undefined;
  }

  deliveries(): Delivery[] {
    return this.deliveryLog;
  }

  /** Sends an event to the subscription's callback (if there is one), retrying like Strava. */
  publish(event: Omit<StravaWebhookEvent, 'subscription_id' | 'event_time'>): Delivery | undefined {
    if (!this.subscription) return undefined;
    const delivery: Delivery = {
      event: { ...event, subscription_id: this.subscription.id, event_time: this.clock.nowSeconds() },
      callbackUrl: this.subscription.callbackUrl,
      status: 'pending',
      attempts: 0,
    };
    this.deliveryLog.push(delivery);
    const running = this.deliver(delivery).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return delivery;
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const signal = this.shutdown.signal;
    while (delivery.attempts < DELIVERY_ATTEMPTS && !signal.aborted) {
      delivery.attempts += 1;
      try {
        const response = await fetch(delivery.callbackUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(delivery.event),
          signal: AbortSignal.any([AbortSignal.timeout(CALLBACK_TIMEOUT_MS), signal]),
        });
        await response.body?.cancel();
        if (response.status >= 200 && response.status < 300) {
          delivery.status = 'delivered';
          this.delivered.inc({ outcome: 'delivered' });
          return;
        }
        delivery.lastError = `HTTP ${response.status}`;
      } catch (error) {
        delivery.lastError = error instanceof Error ? error.message : String(error);
      }
      if (delivery.attempts < DELIVERY_ATTEMPTS) {
        await sleep(this.settings.get().webhookRetryDelayMs, undefined, { signal }).catch(() => undefined);
      }
    }
    delivery.status = 'failed';
    this.delivered.inc({ outcome: 'failed' });
  }
}
