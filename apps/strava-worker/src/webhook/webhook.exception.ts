import { AppException } from '@runnerly/platform';

export enum WebhookErrorCode {
  InvalidVerifyToken = 'invalid_verify_token',
}

export class WebhookException extends AppException<WebhookErrorCode> {}
