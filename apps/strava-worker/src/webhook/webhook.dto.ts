import { z } from 'zod';

/** Strava's subscription handshake: `GET callback?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`. */
export const WebhookChallengeQuery = z.object({
  'hub.mode': z.literal('subscribe'),
  'hub.challenge': z.string().min(1).max(512),
  'hub.verify_token': z.string().min(1).max(512),
});
export type WebhookChallengeQuery = z.output<typeof WebhookChallengeQuery>;

export const WebhookChallengeResponse = z.object({ 'hub.challenge': z.string() });

const stravaId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** An event as Strava POSTs it. Not signed: a hint to act on with the athlete's own token. */
export const WebhookEvent = z.object({
  object_type: z.enum(['activity', 'athlete']),
  object_id: stravaId,
  aspect_type: z.enum(['create', 'update', 'delete']),
  updates: z.record(z.string(), z.unknown()).optional().default({}),
  owner_id: stravaId,
  subscription_id: z.number().int().optional(),
  event_time: z.number().int().optional(),
});
export type WebhookEvent = z.output<typeof WebhookEvent>;

export const WebhookAck = z.object({ status: z.literal('accepted'), action: z.string() });
