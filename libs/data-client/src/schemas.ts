import { z } from 'zod';
import {
  type Calendar as CalendarView,
  type Eddington as EddingtonView,
  type Goal as GoalView,
  type Page as PageOf,
  type RouteLine as RouteLineView,
  type Shoe as ShoeView,
  type Streaks as StreaksView,
  type Years as YearsView,
  type Run as RunView,
  SPORT_TYPES,
  type SportType as SportTypeName,
  STATS_PERIODS,
  type StatsItem as StatsItemView,
  type StatsPeriod as StatsPeriodName,
} from './contract.js';

/**
 * The data-service API as zod schemas: the data-service validates with them (and generates its
 * OpenAPI document from them); callers get the same types and can validate answers with them.
 */

export const SportType = z.enum(SPORT_TYPES);
export type SportType = SportTypeName;

/** Strava ids are int64; Runnerly keeps them as JSON numbers, so they must stay below 2^53. */
const stravaId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const uuid = z.uuid();
const meters = z.number().nonnegative().finite();
/** PostgreSQL integer range: a bigger duration is a mistake, not a run. */
const seconds = z.number().int().nonnegative().max(2_147_483_647);
/** Text PostgreSQL can store (no NUL character). */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
/** PostgreSQL has no year 0. */
const storableYear = (value: string) => Number(value.slice(0, 4)) >= 1;
/** Years PostgreSQL and Strava both make sense of. */
const sensibleYear = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= 1900 && year <= 9999;
};
/** Strava's gear ids: `g12345` for shoes, `b12345` for bikes. */
const gearId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a Strava gear id');
const speed = z.number().nonnegative().finite();
const heartrate = z.number().positive().max(300);
/** `2018-05-02T12:15:09Z`; an offset is accepted and normalised to UTC, to the second (as Strava's). */
const utcDateTime = z.iso
  .datetime({ offset: true })
  .refine(sensibleYear, 'year must be between 1900 and 9999')
  .transform((value) => new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z'))
  .describe('ISO 8601 UTC date-time');
/** `2018-05-02T05:15:09`: the local wall clock. Strava writes it with a misleading `Z`: accepted and dropped. */
const localDateTime = z.iso
  .datetime({ local: true })
  .refine(sensibleYear, 'year must be between 1900 and 9999')
  .transform((value) => value.replace(/Z$/, '').replace(/\.\d+$/, ''))
  .describe('local wall-clock time, ISO 8601 without offset');

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

/** An opaque keyset cursor, as returned in `nextCursor`. */
export const Cursor = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page');
export const Limit = (defaultLimit: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(defaultLimit);

export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export type Page<T> = PageOf<T>;

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

export const StravaToken = z
  .object({
    accessToken: text(4096).min(1),
    refreshToken: text(4096).min(1),
    /** When the access token expires, in epoch seconds (as Strava gives it). */
    expiresAt: z.number().int().nonnegative().max(253_402_300_799),
    /** The scopes the athlete granted, as Strava gives them (`read,activity:read_all`). */
    scope: text(1024),
  })
  .strict();
export type StravaToken = z.infer<typeof StravaToken>;

const optionalText = (max: number) => text(max).nullish();

export const UpsertUser = z
  .object({
    stravaAthleteId: stravaId,
    firstname: text(255),
    lastname: text(255),
    email: z.email().max(320).nullish(),
    city: optionalText(255),
    country: optionalText(255),
    profileImageUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .nullish(),
    strava: StravaToken.optional(),
  })
  .strict();
/** The body of `PUT /users`. Optional fields left out keep their stored value; `null` clears them. */
export type UpsertUser = z.input<typeof UpsertUser>;

export const User = z.object({
  id: uuid,
  stravaAthleteId: stravaId,
  firstname: z.string(),
  lastname: z.string(),
  email: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  profileImageUrl: z.string().nullable(),
  /** Whether Runnerly holds Strava tokens for this athlete (false after a deauthorization). */
  connected: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof User>;

export const UserPage = Page(User);
export type UserPage = Page<User>;

/** `true`/`false` in a query string (callers may pass a boolean; it is sent as its text). */
const booleanQuery = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

export const ListUsersQuery = z
  .object({
    stravaAthleteId: z.coerce.number().pipe(stravaId).optional(),
    /** `true`: only athletes with Strava tokens (what the scheduler syncs); `false`: only the others. */
    connected: booleanQuery.optional(),
    limit: Limit(50, 500),
    cursor: Cursor.optional(),
  })
  .strict();
export type ListUsersQuery = z.input<typeof ListUsersQuery>;

export const UserIdParams = z.object({ id: uuid }).strict();

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

export const Run = z
  .object({
    stravaId,
    name: text(1024),
    sportType: SportType,
    startDate: utcDateTime,
    startDateLocal: localDateTime,
    timezone: text(128).nullish(),
    distance: meters,
    movingTime: seconds,
    elapsedTime: seconds,
    totalElevationGain: meters,
    averageSpeed: speed,
    maxSpeed: speed,
    averageHeartrate: heartrate.nullish(),
    maxHeartrate: heartrate.nullish(),
    summaryPolyline: text(100_000).nullish(),
    /** Strava's `gear_id`; left out, the stored one is kept (an archive import knows no gear ids). */
    gearId: gearId.nullish(),
  })
  .strict();
/** A run as sent to `PUT /users/{id}/runs`. */
export type RunInput = z.input<typeof Run>;
export type Run = RunView;
export const RunOutput = z.object({
  stravaId: z.number().int(),
  name: z.string(),
  sportType: SportType,
  startDate: z.string().describe('ISO 8601 UTC, e.g. 2018-05-02T12:15:09Z'),
  startDateLocal: z.string().describe('local wall clock, e.g. 2018-05-02T05:15:09'),
  timezone: z.string().nullable(),
  distance: z.number(),
  movingTime: z.number().int(),
  elapsedTime: z.number().int(),
  totalElevationGain: z.number(),
  averageSpeed: z.number(),
  maxSpeed: z.number(),
  averageHeartrate: z.number().nullable(),
  maxHeartrate: z.number().nullable(),
  summaryPolyline: z.string().nullable(),
  gearId: z.string().nullable(),
}) satisfies z.ZodType<Run>;

export const UpsertRuns = z
  .object({
    runs: z.array(Run),
    /**
     * Insert only the runs not stored yet and leave stored ones as they are (an archive import:
     * what the API synced wins over the archive's summary).
     */
    keepExisting: z.boolean().optional(),
  })
  .strict();
export type UpsertRuns = z.input<typeof UpsertRuns>;

export const UpsertRunsResult = z.object({
  /** Runs that were new. */
  inserted: z.number().int(),
  /** Runs that existed and changed; runs posted again unchanged count in neither. */
  updated: z.number().int(),
});
export type UpsertRunsResult = z.infer<typeof UpsertRunsResult>;

export const RunPage = Page(RunOutput);
export type RunPage = Page<Run>;

/** An instant: ISO 8601 date-time (with `Z` or an offset) or epoch seconds (as Strava's `after`/`before`). */
const instant = z.union([
  z.iso.datetime({ offset: true }).refine(storableYear, 'year must be between 0001 and 9999'),
  z
    .string()
    .regex(/^\d{1,12}$/, 'must be an ISO 8601 date-time or epoch seconds')
    .refine((value) => Number(value) <= 253_402_300_799, 'must be before the year 10000')
    .transform((value) => new Date(Number(value) * 1000).toISOString()),
]);

export const ListRunsQuery = z
  .object({
    /** Only runs that started at or after this instant. */
    after: instant.optional(),
    /** Only runs that started before this instant. */
    before: instant.optional(),
    /** `missing`: only runs whose best efforts are not computed yet (what the enrichment works through). */
    efforts: z.enum(['missing']).optional(),
    limit: Limit(50, 200),
    cursor: Cursor.optional(),
  })
  .strict();
export type ListRunsQuery = z.input<typeof ListRunsQuery>;

export const RunParams = z.object({ id: uuid, stravaId: z.coerce.number().pipe(stravaId) }).strict();

// ---------------------------------------------------------------------------------------------
// Stats
// ---------------------------------------------------------------------------------------------

export const StatsPeriod = z.enum(STATS_PERIODS);
export type StatsPeriod = StatsPeriodName;

const localDate = z.iso.date().refine(storableYear, 'year must be between 0001 and 9999');

export const StatsQuery = z
  .object({
    period: StatsPeriod,
    /** Only runs on or after this local calendar day (`YYYY-MM-DD`). */
    from: localDate.optional(),
    /** Only runs before this local calendar day. */
    to: localDate.optional(),
  })
  .strict();
export type StatsQuery = z.input<typeof StatsQuery>;

export const StatsItem = z.object({
  periodStart: z.string(),
  count: z.number().int(),
  distance: z.number(),
  movingTime: z.number(),
  elevationGain: z.number(),
}) satisfies z.ZodType<StatsItemView>;
export type StatsItem = StatsItemView;

/** Totals per period, oldest period first; periods without runs are left out. */
export const Stats = z.object({ period: StatsPeriod, items: z.array(StatsItem) });
export type Stats = z.infer<typeof Stats>;

// ---------------------------------------------------------------------------------------------
// The year at a glance
// ---------------------------------------------------------------------------------------------

/** The most days one calendar request covers (a year and a bit, for a 12-month heatmap). */
export const CALENDAR_MAX_DAYS = 400;

/** Days between two `YYYY-MM-DD` dates (to − from). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const calendarDate = z.iso.date().refine(sensibleYear, 'year must be between 1900 and 9999');

export const CalendarQuery = z
  .object({
    /** The first local day (inclusive). */
    from: calendarDate,
    /** The last local day (inclusive). */
    to: calendarDate,
  })
  .strict()
  .refine((query) => query.from <= query.to, { message: 'from must not be after to', path: ['from'] })
  .refine((query) => daysBetween(query.from, query.to) < CALENDAR_MAX_DAYS, {
    message: `at most ${CALENDAR_MAX_DAYS} days`,
    path: ['to'],
  });
export type CalendarQuery = z.input<typeof CalendarQuery>;

export const Streaks = z.object({
  currentDays: z.number().int(),
  longestDays: z.number().int(),
  currentWeeks: z.number().int(),
  longestWeeks: z.number().int(),
}) satisfies z.ZodType<StreaksView>;
export type Streaks = StreaksView;

export const Calendar = z.object({
  days: z.array(z.object({ date: z.string(), distance: z.number(), runs: z.number().int() })),
  streaks: Streaks,
  today: z.string(),
}) satisfies z.ZodType<CalendarView>;
export type Calendar = CalendarView;

const EddingtonNumber = z.object({ number: z.number().int(), nextNeeded: z.number().int() });
export const Eddington = z.object({ km: EddingtonNumber, mi: EddingtonNumber }) satisfies z.ZodType<EddingtonView>;
export type Eddington = EddingtonView;

export const Years = z.object({
  years: z.array(
    z.object({
      year: z.number().int(),
      distance: z.number(),
      runs: z.number().int(),
      months: z.array(z.number()).length(12),
      cumulative: z.array(z.number()),
    }),
  ),
  today: z.string(),
}) satisfies z.ZodType<YearsView>;
export type Years = YearsView;

/** A calendar year a goal may be set for. */
export const GoalYear = z.coerce.number().int().min(1900).max(9999);
/** Metres: at most 100,000 km a year. */
const goalDistance = z.number().positive().max(100_000_000);

/** A year, or `current`: the athlete's local current year. */
export const GoalParams = z.object({ id: uuid, year: z.union([z.literal('current'), GoalYear]) }).strict();
export const PutGoalParams = z.object({ id: uuid, year: GoalYear }).strict();
export const PutGoal = z.object({ distance: goalDistance }).strict();
export type PutGoal = z.input<typeof PutGoal>;

export const Goal = z.object({
  year: z.number().int(),
  distance: z.number().nullable(),
  done: z.number(),
  projected: z.number(),
  expected: z.number().nullable(),
}) satisfies z.ZodType<GoalView>;
export type Goal = GoalView;

/** A shoe as Strava lists it in `GET /athlete` (`shoes`, SummaryGear), camelCase. */
export const StravaShoe = z
  .object({
    id: gearId,
    name: text(255),
    primary: z.boolean(),
    retired: z.boolean(),
    /** Strava's distance for the shoe, metres. */
    distance: meters,
  })
  .strict();
export type StravaShoe = z.input<typeof StravaShoe>;

export const PutGear = z.object({ shoes: z.array(StravaShoe).max(500) }).strict();
export type PutGear = z.input<typeof PutGear>;

/** A retirement threshold: metres, up to 100,000 km. */
export const RetireAt = z.number().positive().max(100_000_000);
export const ShoeParams = z.object({ id: uuid, gearId }).strict();
export const PutShoe = z.object({ retireAt: RetireAt }).strict();
export type PutShoe = z.input<typeof PutShoe>;

export const Shoe = z.object({
  id: z.string(),
  name: z.string(),
  distance: z.number(),
  runs: z.number().int(),
  retireAt: z.number(),
  primary: z.boolean(),
  retired: z.boolean(),
  stravaDistance: z.number().nullable(),
}) satisfies z.ZodType<ShoeView>;
export type Shoe = ShoeView;
export const Shoes = z.object({ items: z.array(Shoe) });
export type Shoes = { items: Shoe[] };

export const RoutesQuery = z.object({ limit: Limit(500, 2000) }).strict();
export type RoutesQuery = z.input<typeof RoutesQuery>;
export const RouteLine = z.object({
  stravaId: z.number().int(),
  date: z.string(),
  polyline: z.string(),
}) satisfies z.ZodType<RouteLineView>;
export type RouteLine = RouteLineView;
export const Routes = z.object({ items: z.array(RouteLine) });
export type Routes = { items: RouteLine[] };
