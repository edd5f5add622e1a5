// The data-service's contract in plain TypeScript, no imports: the token-dealer's CLI and the runner's
// page (`@runnerly/data-client/contract`) load it without the client, zod or Nest.

/** The scopes of the data-service API. */
export enum DataScope {
  UsersRead = 'users:read',
  UsersWrite = 'users:write',
  /** Deleting a user with its tokens and runs: the strava-worker's alone (a deauthorized athlete). */
  UsersDelete = 'users:delete',
  StravaTokensRead = 'strava-tokens:read',
  StravaTokensWrite = 'strava-tokens:write',
  RunsRead = 'runs:read',
  RunsWrite = 'runs:write',
}

export const DATA_SERVICE_AUDIENCE = 'data-service';

/** A Runnerly service that calls the data-service: its token-dealer client and its least-privilege grant. */
export interface DataServiceCaller {
  /** The client id unless `idVariable` says otherwise; also the name of its secrets file in compose. */
  defaultId: string;
  idVariable: string;
  secretVariable: string;
  /** What the token-dealer grants it and what it asks for: one list for both. */
  scopes: readonly DataScope[];
  audience: typeof DATA_SERVICE_AUDIENCE;
}

/** The dashboard stores athletes and their Strava tokens at login and reads their runs. */
export const DASHBOARD_CALLER: DataServiceCaller = {
  defaultId: 'dashboard',
  idVariable: 'DASHBOARD_CLIENT_ID',
  secretVariable: 'DASHBOARD_CLIENT_SECRET',
  scopes: [DataScope.UsersRead, DataScope.UsersWrite, DataScope.StravaTokensWrite, DataScope.RunsRead],
  audience: DATA_SERVICE_AUDIENCE,
};

/** The strava-worker syncs runs with the athletes' tokens; `users:delete` for a deauthorized athlete. */
export const STRAVA_WORKER_CALLER: DataServiceCaller = {
  defaultId: 'strava-worker',
  idVariable: 'STRAVA_WORKER_CLIENT_ID',
  secretVariable: 'STRAVA_WORKER_CLIENT_SECRET',
  scopes: [
    DataScope.UsersRead,
    DataScope.UsersWrite,
    DataScope.UsersDelete,
    DataScope.StravaTokensRead,
    DataScope.StravaTokensWrite,
    DataScope.RunsRead,
    DataScope.RunsWrite,
  ],
  audience: DATA_SERVICE_AUDIENCE,
};

/** The callers every Runnerly stack provisions (`token-dealer clients provision`: compose and `pnpm start`). */
export const SERVICE_CLIENTS: readonly DataServiceCaller[] = [DASHBOARD_CALLER, STRAVA_WORKER_CALLER];

/** Strava's `sport_type` values. The worker stores the run types; anything else is still a known sport. */
export const SPORT_TYPES = [
  'AlpineSki',
  'BackcountrySki',
  'Badminton',
  'Canoeing',
  'Crossfit',
  'EBikeRide',
  'Elliptical',
  'EMountainBikeRide',
  'Golf',
  'GravelRide',
  'Handcycle',
  'HighIntensityIntervalTraining',
  'Hike',
  'IceSkate',
  'InlineSkate',
  'Kayaking',
  'Kitesurf',
  'MountainBikeRide',
  'NordicSki',
  'Pickleball',
  'Pilates',
  'Racquetball',
  'Ride',
  'RockClimbing',
  'RollerSki',
  'Rowing',
  'Run',
  'Sail',
  'Skateboard',
  'Snowboard',
  'Snowshoe',
  'Soccer',
  'Squash',
  'StairStepper',
  'StandUpPaddling',
  'Surfing',
  'Swim',
  'TableTennis',
  'Tennis',
  'TrailRun',
  'Velomobile',
  'VirtualRide',
  'VirtualRow',
  'VirtualRun',
  'Walk',
  'WeightTraining',
  'Wheelchair',
  'Windsurf',
  'Workout',
  'Yoga',
] as const;
export type SportType = (typeof SPORT_TYPES)[number];
/** The sport types that count as runs. */
export const RUN_SPORT_TYPES: readonly SportType[] = ['Run', 'TrailRun', 'VirtualRun'];

/** A page of a list, newest or first items first; `nextCursor` fetches the next one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A run as returned: optional fields are `null` when unknown. */
export interface Run {
  stravaId: number;
  name: string;
  sportType: SportType;
  startDate: string;
  startDateLocal: string;
  timezone: string | null;
  distance: number;
  movingTime: number;
  elapsedTime: number;
  totalElevationGain: number;
  averageSpeed: number;
  maxSpeed: number;
  averageHeartrate: number | null;
  maxHeartrate: number | null;
  summaryPolyline: string | null;
  /** Strava's `gear_id` (the shoe the run was done in), or null. */
  gearId: string | null;
}
/** What may be shown of a user (to the runner on their page): never tokens or e-mail. */
export interface UserProfile {
  id: string;
  stravaAthleteId: number;
  firstname: string;
  lastname: string;
  city: string | null;
  country: string | null;
  profileImageUrl: string | null;
}

export const STATS_PERIODS = ['week', 'month', 'year'] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];

/** Totals of one period (`GET /users/{id}/stats`; the dashboard's `GET /api/stats`). */
export interface StatsItem {
  /** The first local day of the period (`YYYY-MM-DD`; a Monday for weeks). */
  periodStart: string;
  count: number;
  /** Metres. */
  distance: number;
  /** Seconds. */
  movingTime: number;
  /** Metres. */
  elevationGain: number;
}

// ---------------------------------------------------------------------------------------------
// The year at a glance (`/users/{id}/calendar`, `eddington`, `years`, `goals`, `shoes`, `routes`):
// days are the athlete's local days (a run counts on the day it started where it was run).
// ---------------------------------------------------------------------------------------------

/** One local day with runs. */
export interface CalendarDay {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Metres. */
  distance: number;
  runs: number;
}

/**
 * Streaks over the athlete's whole history. A day streak is a run of consecutive local days with
 * a run; it is current while its last day is today or yesterday (the athlete's local today). A week
 * streak is consecutive weeks (Monday to Sunday) with a run; current while its last week is this
 * week or the previous one.
 */
export interface Streaks {
  currentDays: number;
  longestDays: number;
  currentWeeks: number;
  longestWeeks: number;
}

export interface Calendar {
  days: CalendarDay[];
  streaks: Streaks;
  /** The athlete's local today (`YYYY-MM-DD`), in the time zone of their latest run (UTC without runs). */
  today: string;
}

export interface EddingtonNumber {
  /** The largest n with n days of at least n (km or mi) run. */
  number: number;
  /** Days of at least number + 1 still missing for number + 1. */
  nextNeeded: number;
}

export interface Eddington {
  km: EddingtonNumber;
  mi: EddingtonNumber;
}

export interface YearTotals {
  year: number;
  /** Metres. */
  distance: number;
  runs: number;
  /** Metres per month, January first (12 numbers). */
  months: number[];
  /**
   * Cumulative metres at the end of each day of the year, 1 January first: 365 or 366 numbers, or
   * up to today (the athlete's local today) for the current year.
   */
  cumulative: number[];
}

export interface Years {
  /** Years with at least one run, oldest first. */
  years: YearTotals[];
  today: string;
}

export interface Goal {
  year: number;
  /** The goal in metres, or null when none is set for that year. */
  distance: number | null;
  /** Metres run in that year so far. */
  done: number;
  /**
   * Metres at the end of the year at the pace so far: done ÷ days elapsed (today included) × days
   * in the year for the current year; done for a past year; 0 for a future one.
   */
  projected: number;
  /** The goal prorated to today (where the runner should stand now), null without a goal. */
  expected: number | null;
}

export interface Shoe {
  /** Strava's gear id (`g12345`). */
  id: string;
  /** Strava's name for the shoe (its id when Strava has not named it to Runnerly). */
  name: string;
  /** Metres of the runs stored in Runnerly with this gear. */
  distance: number;
  runs: number;
  /** The runner's retirement threshold, metres (800 km unless set). */
  retireAt: number;
  primary: boolean;
  retired: boolean;
  /** The distance Strava counts for the shoe (includes what Runnerly does not store), null if unknown. */
  stravaDistance: number | null;
}

/** The route of one run: Strava's summary polyline (Google encoded, precision 5). */
export interface RouteLine {
  stravaId: number;
  /** The local day of the run (`YYYY-MM-DD`). */
  date: string;
  polyline: string;
}

/** Where a run's best efforts come from (see @runnerly/best-efforts): GPS streams, a distance stream without GPS, or the run's own summary. */
export const EFFORT_SOURCES = ['streams', 'distance', 'summary'] as const;
export type EffortSource = (typeof EFFORT_SOURCES)[number];

/** One record of a progression: a best effort faster than every earlier one at that distance. */
export interface BestRecord {
  /** Seconds. */
  elapsedTime: number;
  stravaId: number;
  /** The run's local start (`YYYY-MM-DDTHH:MM:SS`, the athlete's wall clock). */
  date: string;
}

/** The best time at one standard distance (`GET /users/{id}/bests`; the dashboard's `GET /api/bests`). */
export interface Best {
  /** Metres. */
  distance: number;
  /** The distance's name (`5K`, `Half-Marathon`, …). */
  name: string;
  /** Seconds. */
  elapsedTime: number;
  run: { stravaId: number; name: string; startDate: string; startDateLocal: string };
  /** Each successive record, oldest first; the last is the best. */
  progression: BestRecord[];
}

/** How far the best-efforts enrichment has got: runs with efforts computed, of all runs. */
export interface BestEffortsProgress {
  runs: number;
  withEfforts: number;
}

/** The dashboard's `GET /api/bests`: the bests (run trimmed to what the page shows) and the enrichment's progress. */
export interface PersonalBests {
  items: Array<Omit<Best, 'run'> & { run: Pick<Best['run'], 'stravaId' | 'name' | 'startDateLocal'> }>;
  progress: BestEffortsProgress;
}
