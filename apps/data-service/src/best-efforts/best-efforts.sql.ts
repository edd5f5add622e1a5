/** The best-efforts feature's SQL (hand-written, like the runs'). */

/**
 * Replaces a run's efforts in one statement: marks the run with its source (the enrichment's
 * "done"), drops the distances no longer given, upserts the others. $1 user, $2 stravaId,
 * $3 source, $4..$6 distance, elapsed time and start offset arrays. `found` is 0 for no such run.
 */
export const PUT_BEST_EFFORTS_SQL = `
WITH run AS (
  UPDATE data.runs SET efforts_source = $3, efforts_computed_at = now()
  WHERE user_id = $1 AND strava_id = $2
  RETURNING user_id, strava_id
), gone AS (
  DELETE FROM data.best_efforts b USING run
  WHERE b.user_id = run.user_id AND b.strava_id = run.strava_id AND b.distance <> ALL ($4::float8[])
), put AS (
  INSERT INTO data.best_efforts (user_id, strava_id, distance, elapsed_time, start_offset, source)
  SELECT run.user_id, run.strava_id, e.distance, e.elapsed_time, e.start_offset, $3
  FROM run, unnest($4::float8[], $5::float8[], $6::float8[]) AS e(distance, elapsed_time, start_offset)
  ON CONFLICT (user_id, strava_id, distance) DO UPDATE
    SET elapsed_time = EXCLUDED.elapsed_time, start_offset = EXCLUDED.start_offset, source = EXCLUDED.source
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
 * With a year ($2), only runs of that year of the athlete's local calendar count.
 */
export function bestsSql(byYear: boolean): string {
  const year = byYear
    ? 'AND r.start_date_local >= make_date($2, 1, 1) AND r.start_date_local < make_date($2 + 1, 1, 1)'
    : '';
  return `
WITH efforts AS (
  SELECT b.distance, b.elapsed_time, b.strava_id, r.name, r.start_date, r.start_date_local,
         min(b.elapsed_time) OVER (
           PARTITION BY b.distance ORDER BY r.start_date, b.strava_id
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
         ) AS earlier_best
  FROM data.best_efforts b
  JOIN data.runs r ON r.user_id = b.user_id AND r.strava_id = b.strava_id
  WHERE b.user_id = $1 ${year}
)
SELECT distance,
       elapsed_time AS "elapsedTime",
       strava_id::float8 AS "stravaId",
       name,
       to_char(start_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startDate",
       to_char(start_date_local, 'YYYY-MM-DD"T"HH24:MI:SS') AS "startDateLocal"
FROM efforts
WHERE earlier_best IS NULL OR elapsed_time < earlier_best
ORDER BY distance, start_date, strava_id`;
}

/** Runs, and runs whose efforts are computed: the enrichment's progress, one pass over the runner's runs. */
export const PROGRESS_SQL = `
SELECT count(*)::int AS runs, count(efforts_source)::int AS "withEfforts" FROM data.runs WHERE user_id = $1`;
