import { AppException } from '@runnerly/platform';

export enum WebhookErrorCode {
  InvalidVerifyToken = 'invalid_verify_token',
  /** The event names no subscription, or not the app's current one: not Strava's. */
  UnknownSubscription = 'unknown_subscription',
  RateLimited = 'rate_limited',
}

export class WebhookException extends AppException<WebhookErrorCode> {}
