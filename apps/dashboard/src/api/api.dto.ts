import { Cursor, StatsPeriod, type UserProfile } from '@runnerly/data-client';
import { SyncErrorCode, type SyncView as SyncViewType } from '@runnerly/jobs';
import { z } from 'zod';

export const RunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: Cursor.optional(),
});
export type RunsQueryParams = z.output<typeof RunsQuery>;

export const StatsQuery = z.object({ period: StatsPeriod });
export type StatsQueryParams = z.output<typeof StatsQuery>;

export const SyncView = z.object({
  status: z.enum(['idle', 'queued', 'running', 'done', 'failed']),
  requestedAt: z.string().nullable(),
  lastStartedAt: z.string().nullable(),
  lastFinishedAt: z.string().nullable(),
  runsAdded: z.number().int(),
  progress: z.object({ pages: z.number().int(), activities: z.number().int() }),
  lastError: z.object({ code: z.enum(SyncErrorCode), message: z.string() }).nullable(),
  waitingUntil: z.string().nullable(),
}) satisfies z.ZodType<SyncViewType>;

export const Me = z.object({
  id: z.string(),
  stravaAthleteId: z.number().int(),
  firstname: z.string(),
  lastname: z.string(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  profileImageUrl: z.string().nullable(),
  csrfToken: z.string().describe('send back in x-csrf-token on POST requests'),
}) satisfies z.ZodType<UserProfile & { csrfToken: string }>;
