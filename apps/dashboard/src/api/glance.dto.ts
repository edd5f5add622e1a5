import {
  CALENDAR_MAX_DAYS,
  Calendar as CalendarSchema,
  daysBetween,
  GoalYear,
  Goal as GoalSchema,
  RetireAt,
  Shoe as ShoeSchema,
} from '@runnerly/data-client';
import { z } from 'zod';

const date = z.iso.date().refine((value) => {
  const year = Number(value.slice(0, 4));
  return year >= 1900 && year <= 9999;
}, 'year must be between 1900 and 9999');

/** `from`/`to`: local days, both inclusive; left out, the last 53 weeks up to today. */
export const CalendarQuery = z
  .object({ from: date.optional(), to: date.optional() })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'from must not be after to',
    path: ['from'],
  })
  .refine((query) => !query.from || !query.to || daysBetween(query.from, query.to) < CALENDAR_MAX_DAYS, {
    message: `at most ${CALENDAR_MAX_DAYS} days`,
    path: ['to'],
  });
export type CalendarQueryParams = z.output<typeof CalendarQuery>;
export const CalendarView = CalendarSchema;

export const GoalQuery = z.object({ year: GoalYear.optional() }).strict();
export type GoalQueryParams = z.output<typeof GoalQuery>;
export const PutGoalBody = z
  .object({ year: z.number().int().min(1900).max(9999), distance: z.number().positive().max(100_000_000) })
  .strict();
export type PutGoalBodyParams = z.output<typeof PutGoalBody>;
export const GoalView = GoalSchema;

/** `near` from 90% of the threshold, `over` past it (retired shoes warn no more). */
export const SHOE_WARNING_SHARE = 0.9;
export const ShoeView = ShoeSchema.extend({ warning: z.enum(['near', 'over']).nullable() });
export type ShoeView = z.infer<typeof ShoeView>;
export const ShoeParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Strava gear id') });
export const PutShoeBody = z.object({ retireAt: RetireAt }).strict();
export type PutShoeBodyParams = z.output<typeof PutShoeBody>;

export const RoutesView = z.object({
  /** Metres hidden at each end of every route. */
  privacyMeters: z.number(),
  routes: z.array(z.object({ id: z.number().int(), date: z.string(), polyline: z.string() })),
});
export type RoutesView = z.infer<typeof RoutesView>;
