/**
 * The year at a glance in SQL, on the athlete's local calendar: a run's day is its local wall-clock
 * start (`start_date_local::date`), so a run at 23:30 in Tokyo counts on that Tokyo day. Shared with
 * the benchmark so that both send the very same statements. $1 is always the user id. Metres are
 * summed as numeric: exact, so the same runs give the same totals whatever order a plan reads them
 * in (float8 sums differ in their last bits from one plan to another).
 */

/** Runs per local day in [$2, $3] (both inclusive). */
export const CALENDAR_DAYS_SQL = `
SELECT to_char(start_date_local::date, 'YYYY-MM-DD') AS date,
       sum(distance::numeric)::float8 AS distance,
       count(*)::int AS runs
FROM data.runs
WHERE user_id = $1 AND start_date_local >= $2::date AND start_date_local < $3::date + 1
GROUP BY start_date_local::date
ORDER BY start_date_local::date`;

/**
 * Streaks by gaps and islands over the whole history: consecutive days minus their rank is
 * constant within a streak (weeks likewise, counted in weeks since a Monday). $2 is the athlete's
 * local today: a day streak is current while it ends today or yesterday, a week streak while it
 * ends this week or the previous one (ISO weeks, from Monday).
 */
export const STREAKS_SQL = `
WITH days AS (
  SELECT DISTINCT start_date_local::date AS day FROM data.runs WHERE user_id = $1
), day_islands AS (
  SELECT max(day) AS last, count(*)::int AS length
  FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::int AS island FROM days) d
  GROUP BY island
), weeks AS (
  SELECT DISTINCT date_trunc('week', day)::date AS week FROM days
), week_islands AS (
  SELECT max(week) AS last, count(*)::int AS length
  FROM (SELECT week, (week - DATE '2001-01-01') / 7 - row_number() OVER (ORDER BY week) AS island FROM weeks) w
  GROUP BY island
)
SELECT
  coalesce((SELECT length FROM day_islands WHERE last >= $2::date - 1 ORDER BY last DESC LIMIT 1), 0) AS "currentDays",
  coalesce((SELECT max(length) FROM day_islands), 0) AS "longestDays",
  coalesce((SELECT length FROM week_islands WHERE last >= date_trunc('week', $2::date)::date - 7
            ORDER BY last DESC LIMIT 1), 0) AS "currentWeeks",
  coalesce((SELECT max(length) FROM week_islands), 0) AS "longestWeeks"`;

/**
 * The Eddington number in km and in miles from each local day's total: days sorted longest first,
 * E is how many of them hold at least their rank (in whole units); then how many days of at least
 * E + 1 are still missing for E + 1.
 */
export const EDDINGTON_SQL = `
WITH days AS (
  SELECT sum(distance::numeric) AS distance FROM data.runs WHERE user_id = $1 GROUP BY start_date_local::date
), units (unit, metres) AS (
  VALUES ('km', 1000::float8), ('mi', 1609.344::float8)
), ranked AS (
  SELECT u.unit, floor(days.distance / u.metres)::int AS whole,
         row_number() OVER (PARTITION BY u.unit ORDER BY days.distance DESC) AS rank
  FROM units u CROSS JOIN days
), numbers AS (
  SELECT u.unit, (SELECT count(*) FROM ranked r WHERE r.unit = u.unit AND r.whole >= r.rank)::int AS number
  FROM units u
)
SELECT n.unit, n.number,
       (n.number + 1 - (SELECT count(*) FROM ranked r WHERE r.unit = n.unit AND r.whole >= n.number + 1))::int
         AS "nextNeeded"
FROM numbers n`;

/**
 * Per local year with runs, oldest first: totals, 12 monthly distances, and the running total at
 * the end of each day with runs (day of year, metres), which the repository spreads over every
 * day of the year. (A day-by-day series joined in SQL made the planner expect millions of rows and
 * pay for JIT compilation: seconds instead of milliseconds.)
 */
export const YEARS_SQL = `
WITH per_day AS (
  SELECT start_date_local::date AS day, sum(distance::numeric) AS distance, count(*) AS runs
  FROM data.runs WHERE user_id = $1 GROUP BY 1
), years AS (
  SELECT extract(year FROM day)::int AS year, sum(distance) AS distance, sum(runs)::int AS runs
  FROM per_day GROUP BY 1
), per_month AS (
  SELECT extract(year FROM day)::int AS year, extract(month FROM day)::int AS month, sum(distance) AS distance
  FROM per_day GROUP BY 1, 2
), months AS (
  SELECT y.year, array_agg(coalesce(pm.distance, 0)::float8 ORDER BY m.month) AS months
  FROM years y
  CROSS JOIN generate_series(1, 12) AS m (month)
  LEFT JOIN per_month pm ON pm.year = y.year AND pm.month = m.month
  GROUP BY y.year
), running AS (
  SELECT extract(year FROM day)::int AS year,
         array_agg(extract(doy FROM day)::int ORDER BY day) AS "runningDays",
         array_agg(total::float8 ORDER BY day) AS "runningTotals"
  FROM (SELECT day, sum(distance) OVER (PARTITION BY extract(year FROM day) ORDER BY day) AS total FROM per_day) d
  GROUP BY 1
)
SELECT y.year, y.distance::float8 AS distance, y.runs, m.months, r."runningDays", r."runningTotals"
FROM years y
JOIN months m USING (year)
JOIN running r USING (year)
ORDER BY y.year`;

/** Metres run in local year $2 and the goal set for it (null when none). */
export const GOAL_SQL = `
SELECT (SELECT distance FROM data.goals WHERE user_id = $1 AND year = $2) AS distance,
       coalesce((SELECT sum(distance::numeric) FROM data.runs
                 WHERE user_id = $1 AND start_date_local >= make_date($2, 1, 1)
                   AND start_date_local < make_date($2 + 1, 1, 1)), 0)::float8 AS done`;

export const PUT_GOAL_SQL = `
INSERT INTO data.goals (user_id, year, distance) VALUES ($1, $2, $3)
ON CONFLICT (user_id, year) DO UPDATE SET distance = EXCLUDED.distance, updated_at = now()`;

/**
 * The athlete's shoes: those Strava lists (kept in data.gear) and any other gear id on their runs,
 * with the distance of the stored runs in each; not retired first, then most worn.
 */
export const SHOES_SQL = `
SELECT coalesce(g.gear_id, r.gear_id) AS id,
       coalesce(g.name, g.gear_id, r.gear_id) AS name,
       coalesce(r.distance, 0)::float8 AS distance,
       coalesce(r.runs, 0)::int AS runs,
       coalesce(g.retire_at, 800000)::float8 AS "retireAt",
       coalesce(g.is_primary, false) AS primary,
       coalesce(g.retired, false) AS retired,
       g.strava_distance AS "stravaDistance"
FROM (SELECT * FROM data.gear WHERE user_id = $1) g
FULL JOIN (
  SELECT gear_id, sum(distance::numeric) AS distance, count(*) AS runs
  FROM data.runs WHERE user_id = $1 AND gear_id IS NOT NULL GROUP BY gear_id
) r ON r.gear_id = g.gear_id
ORDER BY 7, 3 DESC, 1`;

/**
 * Stores the shoes Strava lists ($2..$6: ids, names, primary, retired, distances), keeping the
 * runner's thresholds; shoes Strava no longer lists go, unless runs still name them.
 */
export const PUT_GEAR_SQL = `
WITH listed AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::bool[], $5::bool[], $6::float8[])
    AS s (gear_id, name, is_primary, retired, strava_distance)
), upserted AS (
  INSERT INTO data.gear AS g (user_id, gear_id, name, is_primary, retired, strava_distance)
  SELECT $1::uuid, gear_id, name, is_primary, retired, strava_distance FROM listed
  ON CONFLICT (user_id, gear_id) DO UPDATE
    SET name = EXCLUDED.name, is_primary = EXCLUDED.is_primary, retired = EXCLUDED.retired,
        strava_distance = EXCLUDED.strava_distance, updated_at = now()
    WHERE (g.name, g.is_primary, g.retired, g.strava_distance)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.is_primary, EXCLUDED.retired, EXCLUDED.strava_distance)
  RETURNING 1
)
DELETE FROM data.gear g
WHERE g.user_id = $1 AND g.gear_id <> ALL ($2::text[])
  AND NOT EXISTS (SELECT 1 FROM data.runs r WHERE r.user_id = $1 AND r.gear_id = g.gear_id)`;

/**
 * Sets a shoe's threshold ($3): a shoe Strava listed, or gear on the athlete's runs (then stored
 * unnamed). No row: no such shoe.
 */
export const PUT_SHOE_SQL = `
INSERT INTO data.gear AS g (user_id, gear_id, retire_at)
SELECT $1::uuid, $2::text, $3::float8
WHERE EXISTS (SELECT 1 FROM data.gear WHERE user_id = $1 AND gear_id = $2)
   OR EXISTS (SELECT 1 FROM data.runs WHERE user_id = $1 AND gear_id = $2)
ON CONFLICT (user_id, gear_id) DO UPDATE SET retire_at = EXCLUDED.retire_at, updated_at = now()
RETURNING 1`;

/** The newest $2 runs with a route: Strava's summary polylines. */
export const ROUTES_SQL = `
SELECT strava_id::float8 AS "stravaId", to_char(start_date_local, 'YYYY-MM-DD') AS date, summary_polyline AS polyline
FROM data.runs
WHERE user_id = $1 AND summary_polyline IS NOT NULL AND summary_polyline <> ''
ORDER BY start_date DESC, strava_id DESC
LIMIT $2`;

/** The Strava timezone of the athlete's latest run: where "today" is. */
export const LATEST_TIMEZONE_SQL = `
SELECT timezone FROM data.runs WHERE user_id = $1 ORDER BY start_date DESC, strava_id DESC LIMIT 1`;

/** The athlete's runs version: any insert, change or delete moves it (updated_at is set on each). */
export const RUNS_VERSION_SQL = `
SELECT count(*) || '/' || coalesce(to_char(max(updated_at), 'YYYYMMDDHH24MISSUS'), '') AS version
FROM data.runs WHERE user_id = $1`;
