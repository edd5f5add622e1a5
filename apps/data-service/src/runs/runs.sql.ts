import type { Run } from '@runnerly/data-client';

/**
 * The data-service's run SQL, shared with the benchmark's bare baseline so that both send the
 * very same statements.
 */

/** Columns written by an upsert, in the order of the unnest() arrays ($2..$17). */
export const RUN_COLUMNS = [
  ['strava_id', 'bigint'],
  ['name', 'text'],
  ['sport_type', 'text'],
  ['start_date', 'timestamptz'],
  ['start_date_local', 'timestamp'],
  ['timezone', 'text'],
  ['distance', 'float8'],
  ['moving_time', 'int4'],
  ['elapsed_time', 'int4'],
  ['total_elevation_gain', 'float8'],
  ['average_speed', 'float8'],
  ['max_speed', 'float8'],
  ['average_heartrate', 'float8'],
  ['max_heartrate', 'float8'],
  ['summary_polyline', 'text'],
  ['gear_id', 'text'],
] as const;

const written = RUN_COLUMNS.slice(1).map(([column]) => column);
/** Columns an update keeps when the batch leaves them out (null): an archive import knows no gear ids. */
const KEPT_WHEN_NULL: ReadonlySet<string> = new Set(['gear_id']);
const incoming = (column: string) =>
  KEPT_WHEN_NULL.has(column) ? `coalesce(EXCLUDED.${column}, r.${column})` : `EXCLUDED.${column}`;

/**
 * What a run's best efforts were computed from: when Strava's copy of the run changes in any of
 * these (the athlete cropped it, corrected its distance, moved its start), its efforts are stale.
 */
const TRACK_COLUMNS = ['start_date', 'distance', 'moving_time', 'elapsed_time'];
const trackChanged = `(${TRACK_COLUMNS.map((column) => `r.${column}`).join(', ')}) IS DISTINCT FROM (${TRACK_COLUMNS.map(
  (column) => `EXCLUDED.${column}`,
).join(', ')})`;

/**
 * One statement per batch, whatever its size: $1 the user id, $2..$17 one array per column.
 * A row that exists and is unchanged is left alone (so it is neither written nor counted);
 * `xmax = 0` tells a fresh insert from an update. A run whose track changed loses its best
 * efforts (rows and source) in the same statement, so the enrichment computes them again and no
 * best stands on a run that is no longer what it was.
 */
export const UPSERT_RUNS_SQL = `
WITH upserted AS (
  INSERT INTO data.runs AS r (user_id, ${RUN_COLUMNS.map(([column]) => column).join(', ')})
  SELECT $1::uuid, * FROM unnest(${RUN_COLUMNS.map(([, type], index) => `$${index + 2}::${type}[]`).join(', ')})
  ON CONFLICT (user_id, strava_id) DO UPDATE
    SET ${written.map((column) => `${column} = ${incoming(column)}`).join(', ')}, updated_at = now(),
        efforts_source = CASE WHEN ${trackChanged} THEN NULL ELSE r.efforts_source END,
        efforts_computed_at = CASE WHEN ${trackChanged} THEN NULL ELSE r.efforts_computed_at END
    WHERE (${written.map((column) => `r.${column}`).join(', ')})
      IS DISTINCT FROM (${written.map(incoming).join(', ')})
  RETURNING xmax = 0 AS inserted, strava_id, efforts_source IS NULL AS without_efforts
), stale_efforts AS (
  DELETE FROM data.best_efforts b USING upserted u
  WHERE b.user_id = $1 AND b.strava_id = u.strava_id AND NOT u.inserted AND u.without_efforts
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM upserted`;

/** The same rows, but a run already stored is left alone (archive imports: the API's summary wins). */
export const INSERT_NEW_RUNS_SQL = `
WITH inserted AS (
  INSERT INTO data.runs (user_id, ${RUN_COLUMNS.map(([column]) => column).join(', ')})
  SELECT $1::uuid, * FROM unnest(${RUN_COLUMNS.map(([, type], index) => `$${index + 2}::${type}[]`).join(', ')})
  ON CONFLICT (user_id, strava_id) DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS inserted, 0 AS updated FROM inserted`;

/** A run as the API returns it, straight from SQL (dates formatted, no ORM hydration). */
export const RUN_SELECT = `
  strava_id::float8 AS "stravaId",
  name,
  sport_type AS "sportType",
  to_char(start_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startDate",
  to_char(start_date_local, 'YYYY-MM-DD"T"HH24:MI:SS') AS "startDateLocal",
  timezone,
  distance,
  moving_time AS "movingTime",
  elapsed_time AS "elapsedTime",
  total_elevation_gain AS "totalElevationGain",
  average_speed AS "averageSpeed",
  max_speed AS "maxSpeed",
  average_heartrate AS "averageHeartrate",
  max_heartrate AS "maxHeartrate",
  summary_polyline AS "summaryPolyline",
  gear_id AS "gearId"`;

/**
 * A page of a runner's runs, newest first, by keyset: $1 user id, $2 limit, then the optional
 * filters named in `filters` (in that order): after (inclusive), before (exclusive), and the
 * (startDate, stravaId) key of the previous page's last run; `effortsMissing` takes no parameter.
 */
export function listRunsSql(filters: {
  after: boolean;
  before: boolean;
  cursor: boolean;
  effortsMissing?: boolean;
}): string {
  const conditions = ['user_id = $1'];
  // Runs whose best efforts are still to compute (a partial index holds exactly those).
  if (filters.effortsMissing) conditions.push('efforts_source IS NULL');
  const param = (() => {
    let next = 3;
    return () => `$${next++}`;
  })();
  if (filters.after) conditions.push(`start_date >= ${param()}`);
  if (filters.before) conditions.push(`start_date < ${param()}`);
  if (filters.cursor) conditions.push(`(start_date, strava_id) < (${param()}::timestamptz, ${param()}::bigint)`);
  return `SELECT ${RUN_SELECT} FROM data.runs WHERE ${conditions.join(' AND ')} ORDER BY start_date DESC, strava_id DESC LIMIT $2`;
}

/**
 * Totals per period: $1 user id, $2 the date_trunc unit, then the range's `conditions` (over
 * start_date_local). Metres are summed as numeric: exact, so the same runs give the same totals
 * whatever order the plan reads them in (a float8 sum differs in its last bits between plans).
 */
export function statsSql(conditions: readonly string[]): string {
  return `SELECT to_char(date_trunc($2, start_date_local), 'YYYY-MM-DD') AS "periodStart",
              count(*)::int AS count,
              sum(distance::numeric)::float8 AS distance,
              sum(moving_time)::float8 AS "movingTime",
              sum(total_elevation_gain::numeric)::float8 AS "elevationGain"
       FROM data.runs
       WHERE ${conditions.join(' AND ')}
       GROUP BY 1
       ORDER BY 1`;
}

/** A validated run, ready to be written (dates normalised by the schema). */
export type RunRecord = Omit<Run, 'timezone' | 'averageHeartrate' | 'maxHeartrate' | 'summaryPolyline' | 'gearId'> & {
  gearId?: string | null;
  timezone?: string | null;
  averageHeartrate?: number | null;
  maxHeartrate?: number | null;
  summaryPolyline?: string | null;
};

/** The column arrays UPSERT_RUNS_SQL unnests, in its parameter order. */
export function upsertRunsParams(userId: string, runs: readonly RunRecord[]): unknown[] {
  return [
    userId,
    runs.map((run) => run.stravaId),
    runs.map((run) => run.name),
    runs.map((run) => run.sportType),
    runs.map((run) => run.startDate),
    runs.map((run) => run.startDateLocal),
    runs.map((run) => run.timezone ?? null),
    runs.map((run) => run.distance),
    runs.map((run) => run.movingTime),
    runs.map((run) => run.elapsedTime),
    runs.map((run) => run.totalElevationGain),
    runs.map((run) => run.averageSpeed),
    runs.map((run) => run.maxSpeed),
    runs.map((run) => run.averageHeartrate ?? null),
    runs.map((run) => run.maxHeartrate ?? null),
    runs.map((run) => run.summaryPolyline ?? null),
    runs.map((run) => run.gearId ?? null),
  ];
}
