import 'reflect-metadata';
import { type DatabaseOptions, openDatabase } from '@runnerly/database';
import { createTestDatabase, type TestDatabase } from '@runnerly/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_SCHEMA } from '../src/database/schema.js';
import { CreateUsersTokensRuns1763890000000 } from '../src/migrations/1763890000000-create-users-tokens-runs.js';
import { CreateBestEfforts1764800000000 } from '../src/migrations/1764800000000-create-best-efforts.js';
import { CreateGearGoals1764900000000 } from '../src/migrations/1764900000000-create-gear-goals.js';
import { BestEffortsStartDate1765000000000 } from '../src/migrations/1765000000000-best-efforts-start-date.js';

const before = [CreateUsersTokensRuns1763890000000, CreateBestEfforts1764800000000, CreateGearGoals1764900000000];

/** Opens the database with these migrations applied (the ones already applied are skipped), then closes it. */
async function migrate(url: string, migrations: DatabaseOptions['migrations']): Promise<void> {
  const dataSource = await openDatabase({ url, schema: DATA_SCHEMA, entities: [], migrations });
  await dataSource.destroy();
}

describe('data-service migrations', () => {
  let database: TestDatabase;
  let client: InstanceType<typeof pg.Client>;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it("copies each best effort's run start date onto it (backfill, then NOT NULL), and goes back down", async () => {
    await migrate(database.url, before);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO data.users (strava_athlete_id, firstname, lastname) VALUES (7, 'A', 'B') RETURNING id`,
    );
    const userId = rows[0]!.id;
    await client.query(
      `INSERT INTO data.runs (user_id, strava_id, name, sport_type, start_date, start_date_local, timezone,
         distance, moving_time, elapsed_time, total_elevation_gain, average_speed, max_speed)
       VALUES ($1, 1, 'One', 'Run', '2025-03-01T07:00:00Z', '2025-03-01T08:00:00', 'Europe/Paris', 5000, 1500, 1500, 0, 3.3, 4),
              ($1, 2, 'Two', 'Run', '2026-06-02T18:30:00Z', '2026-06-02T20:30:00', 'Europe/Paris', 1000, 300, 300, 0, 3.3, 4)`,
      [userId],
    );
    await client.query(
      `INSERT INTO data.best_efforts (user_id, strava_id, distance, elapsed_time, start_offset, source)
       VALUES ($1, 1, 1000, 290, 0, 'streams'), ($1, 1, 5000, 1490, 0, 'streams'), ($1, 2, 1000, 280, 10, 'distance')`,
      [userId],
    );

    await migrate(database.url, [...before, BestEffortsStartDate1765000000000]);

    const backfilled = await client.query<{ strava_id: string; distance: number; start_date: string }>(
      `SELECT strava_id, distance, to_char(start_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS start_date
       FROM data.best_efforts ORDER BY strava_id, distance`,
    );
    expect(backfilled.rows).toEqual([
      { strava_id: '1', distance: 1000, start_date: '2025-03-01T07:00:00' },
      { strava_id: '1', distance: 5000, start_date: '2025-03-01T07:00:00' },
      { strava_id: '2', distance: 1000, start_date: '2026-06-02T18:30:00' },
    ]);
    await expect(
      client.query(
        `INSERT INTO data.best_efforts (user_id, strava_id, distance, elapsed_time, start_offset, source)
         VALUES ($1, 2, 400, 100, 0, 'streams')`,
        [userId],
      ),
    ).rejects.toThrow(/start_date/);
    const indexes = await client.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'data' AND tablename = 'best_efforts' ORDER BY indexname COLLATE "C"`,
    );
    expect(indexes.rows.map((row) => row.indexdef)).toEqual([
      'CREATE UNIQUE INDEX best_efforts_pkey ON data.best_efforts USING btree (user_id, strava_id, distance)',
      'CREATE INDEX best_efforts_user_distance_start_idx ON data.best_efforts USING btree (user_id, distance, start_date, strava_id) INCLUDE (elapsed_time)',
    ]);

    const dataSource = await openDatabase({
      url: database.url,
      schema: DATA_SCHEMA,
      entities: [],
      migrations: [...before, BestEffortsStartDate1765000000000],
    });
    await dataSource.undoLastMigration();
    await dataSource.destroy();
    const columns = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'data' AND table_name = 'best_efforts'
       AND column_name = 'start_date'`,
    );
    expect(columns.rows).toEqual([]);
    expect((await client.query('SELECT count(*)::int AS n FROM data.best_efforts')).rows).toEqual([{ n: 3 }]);
  });
});
