// What bench/data-service.bench.ts needs from this app's dependencies (resolved from here).
export { createTestIssuer } from '@runnerly/auth/testing';
export { UPSERT_RUNS_SQL } from '../src/runs/runs.sql.js';
