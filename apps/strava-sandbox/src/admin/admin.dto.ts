import { STRAVA_OAUTH_SCOPES } from '@runnerly/strava';
import { z } from 'zod';

export const NewActivitySchema = z.object({
  name: z.string().min(1).optional(),
  sport_type: z.string().min(1).optional(),
  start_date: z.iso.datetime().optional(),
  distance: z.number().nonnegative().optional(),
  moving_time: z.number().int().positive().optional(),
  total_elevation_gain: z.number().nonnegative().optional(),
  private: z.boolean().optional(),
  heartrate: z.boolean().optional(),
  gps: z.boolean().optional(),
  /** The gear worn; left out, a run gets the athlete's primary shoe (as Strava's default gear does). */
  gear_id: z.string().max(64).nullable().optional(),
});

export const ActivityPatchSchema = z.object({
  name: z.string().min(1).optional(),
  sport_type: z.string().min(1).optional(),
  private: z.boolean().optional(),
  description: z.string().nullable().optional(),
  commute: z.boolean().optional(),
  trainer: z.boolean().optional(),
});

export const ExpireTokensSchema = z
  .object({
    access_token: z.string().optional(),
    athlete_id: z.number().int().optional(),
    /** Seconds left; 0: expired now. Under an hour, a refresh returns a new access token. */
    expires_in: z.number().int().min(0).default(0),
  })
  .refine((value) => value.access_token !== undefined || value.athlete_id !== undefined, {
    message: 'give access_token or athlete_id',
  });

export const MintTokensSchema = z.object({
  scope: z
    .string()
    .default('read,activity:read_all')
    .transform((value) => value.split(','))
    .pipe(z.array(z.enum(STRAVA_OAUTH_SCOPES))),
});

export const SettingsPatchSchema = z.object({
  rateLimits: z
    .object({
      overall15min: z.number().int().positive(),
      overallDaily: z.number().int().positive(),
      read15min: z.number().int().positive(),
      readDaily: z.number().int().positive(),
    })
    .partial()
    .optional(),
  usage: z
    .object({ fifteenMinute: z.number().int().min(0), daily: z.number().int().min(0) })
    .partial()
    .optional(),
  shortPages: z
    .object({ every: z.number().int().min(0), fraction: z.number().gt(0).lt(1) })
    .partial()
    .optional(),
  program: z
    .object({ appInactive: z.boolean(), athleteLimit: z.number().int().min(0).nullable() })
    .partial()
    .optional(),
  rotateRefreshTokens: z.boolean().optional(),
  webhookRetryDelayMs: z.number().int().min(0).optional(),
  /** Replaces the fault rules; `[]` clears them. */
  faults: z
    .array(
      z
        .object({
          path: z.string().regex(/^[a-z_]+(\/[a-z_0-9]+)*$/, 'an API path below /api/v3/, e.g. athlete/activities'),
          status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
          hangMs: z.number().int().min(1).max(120_000).optional(),
          afterRequests: z.number().int().min(0).default(0),
          count: z.number().int().min(1).default(1),
        })
        .refine((rule) => (rule.status === undefined) !== (rule.hangMs === undefined), {
          message: 'give status or hangMs',
        }),
    )
    .max(20)
    .optional(),
});

/** A century either way at most: further, the clock leaves the dates JavaScript (and Strava) can write. */
const CENTURY_SECONDS = 100 * 366 * 24 * 3600;

export const ClockSchema = z.object({ advance_seconds: z.number().int().min(-CENTURY_SECONDS).max(CENTURY_SECONDS) });
