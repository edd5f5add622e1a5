// What the benchmarks in bench/ need from this app's dependencies (resolved from here).
export { createTestIssuer } from '@runnerly/auth/testing';
export { listRunsSql, statsSql, UPSERT_RUNS_SQL } from '../src/runs/runs.sql.js';
export { bestsSql, PROGRESS_SQL } from '../src/best-efforts/best-efforts.sql.js';
export {
  CALENDAR_DAYS_SQL,
  EDDINGTON_SQL,
  GOAL_SQL,
  ROUTES_SQL,
  SHOES_SQL,
  STREAKS_SQL,
  YEARS_SQL,
} from '../src/insights/insights.sql.js';
export { default as pg } from 'pg';
