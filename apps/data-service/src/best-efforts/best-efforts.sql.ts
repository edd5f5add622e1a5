/** The best-efforts feature's SQL (hand-written, like the runs'). */

/**
 * Replaces a run's efforts in one statement: marks the run with its source (the enrichment's
 * "done"), drops the distances no longer given, upserts the others. $1 user, $2 stravaId,
 * $3 source, $4..$6 distance, elapsed time and start offset arrays. `found` is 0 for no such run.
 * Each effort gets the run's start date from the row this statement updates (bests read it in
 * index order); it cannot go stale: the runs upsert drops a run's efforts when its start date
 * changes (TRACK_COLUMNS in runs.sql.ts), so efforts are only ever written under the current date.
 */
export const PUT_BEST_EFFORTS_SQL = `
WITH run AS (
  UPDATE data.runs SET efforts_source = $3, efforts_computed_at = now()
  WHERE user_id = $1 AND strava_id = $2
  RETURNING user_id, strava_id, start_date
), gone AS (
  DELETE FROM data.best_efforts b USING run
  WHERE b.user_id = run.user_id AND b.strava_id = run.strava_id AND b.distance <> ALL ($4::float8[])
), put AS (
  INSERT INTO data.best_efforts (user_id, strava_id, distance, elapsed_time, start_offset, source, start_date)
  SELECT run.user_id, run.strava_id, e.distance, e.elapsed_time, e.start_offset, $3, run.start_date
  FROM run, unnest($4::float8[], $5::float8[], $6::float8[]) AS e(distance, elapsed_time, start_offset)
  ON CONFLICT (user_id, strava_id, distance) DO UPDATE
    SET elapsed_time = EXCLUDED.elapsed_time, start_offset = EXCLUDED.start_offset, source = EXCLUDED.source,
        start_date = EXCLUDED.start_date
)
SELECT count(*)::int AS found FROM run`;

/** One run's efforts, shortest distance first; no rows for no such run. */
export const RUN_BEST_EFFORTS_SQL = `
SELECT r.efforts_source AS source,
       to_char(r.efforts_computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "computedAt",
       b.distance, b.elapsed_time AS "elapsedTime", b.start_offset AS "startOffset"
FROM data.runs r
LEFT JOIN data.best_efforts b ON b.user_id = r.user_id AND b.strava_id = r.strava_id
WHERE r.user_id = $1 AND r.strava_id = $2
ORDER BY b.distance`;

/**
 * Every record per distance, oldest first: an effort faster than all earlier ones at its distance
 * (a window over the efforts in start order); the last record of a distance is its best.
 * The window reads best_efforts_user_distance_start_idx in its own order (distance, start date,
 * strava id; elapsed time included): an index-only scan, no sort, no join per effort; only the
 * records (a few dozen) look their run up for its name and local date.
 * With a year ($2), only runs of that year of the athlete's local calendar count, filtered before
 * the window so that a year has its own progression: the plan takes the year's runs (runs_pkey)
 * and their efforts, and sorts those (a year's, ~2,400 rows for 8,200 runs, in memory). The index
 * cannot give a start-date range across distances (no skip scan before PostgreSQL 18), and the
 * local date is the run's (its time zone may change without its start date changing).
 */
export function bestsSql(byYear: boolean): string {
  const year = byYear
    ? `AND EXISTS (
      SELECT FROM data.runs y
      WHERE y.user_id = b.user_id AND y.strava_id = b.strava_id
        AND y.start_date_local >= make_date($2, 1, 1) AND y.start_date_local < make_date($2 + 1, 1, 1)
    )`
    : '';
  return `
WITH efforts AS (
  SELECT b.distance, b.elapsed_time, b.strava_id, b.start_date,
         min(b.elapsed_time) OVER (
           PARTITION BY b.distance ORDER BY b.start_date, b.strava_id
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
         ) AS earlier_best
  FROM data.best_efforts b
  WHERE b.user_id = $1 ${year}
)
SELECT e.distance,
       e.elapsed_time AS "elapsedTime",
       e.strava_id::float8 AS "stravaId",
       r.name,
       to_char(e.start_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startDate",
       to_char(r.start_date_local, 'YYYY-MM-DD"T"HH24:MI:SS') AS "startDateLocal"
FROM efforts e
CROSS JOIN LATERAL (
  -- LIMIT 1 keeps this a lookup per record: joined, the planner expects a third of the efforts to be
  -- records and hashes all the athlete's runs instead.
  SELECT r.name, r.start_date_local FROM data.runs r WHERE r.user_id = $1 AND r.strava_id = e.strava_id LIMIT 1
) r
WHERE e.earlier_best IS NULL OR e.elapsed_time < e.earlier_best
ORDER BY e.distance, e.start_date, e.strava_id`;
}

/** Runs, and runs whose efforts are computed: the enrichment's progress, one pass over the runner's runs. */
export const PROGRESS_SQL = `
SELECT count(*)::int AS runs, count(efforts_source)::int AS "withEfforts" FROM data.runs WHERE user_id = $1`;
