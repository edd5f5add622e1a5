import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Best efforts per run (one row per run and standard distance) and, on each run, where its
 * efforts came from and when: a run without a source is one the enrichment has still to do, so
 * progress is one count over the runs and the runs still to do are one partial index away.
 */
export class CreateBestEfforts1764800000000 implements MigrationInterface {
  name = 'CreateBestEfforts1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE data.runs
        ADD COLUMN efforts_source text CHECK (efforts_source IN ('streams', 'distance', 'summary')),
        ADD COLUMN efforts_computed_at timestamptz`);
    await queryRunner.query(`
      CREATE INDEX runs_efforts_missing_idx ON data.runs (user_id, start_date DESC, strava_id DESC)
        WHERE efforts_source IS NULL`);
    await queryRunner.query(`
      CREATE TABLE data.best_efforts (
        user_id uuid NOT NULL,
        strava_id bigint NOT NULL,
        distance double precision NOT NULL CHECK (distance > 0),
        elapsed_time double precision NOT NULL CHECK (elapsed_time > 0),
        start_offset double precision NOT NULL CHECK (start_offset >= 0),
        source text NOT NULL CHECK (source IN ('streams', 'distance', 'summary')),
        PRIMARY KEY (user_id, strava_id, distance),
        FOREIGN KEY (user_id, strava_id) REFERENCES data.runs (user_id, strava_id) ON DELETE CASCADE
      )`);
    // A runner's efforts at one distance, fastest first (bests and their progression).
    await queryRunner.query(
      'CREATE INDEX best_efforts_user_distance_idx ON data.best_efforts (user_id, distance, elapsed_time)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE data.best_efforts');
    await queryRunner.query('DROP INDEX data.runs_efforts_missing_idx');
    await queryRunner.query('ALTER TABLE data.runs DROP COLUMN efforts_source, DROP COLUMN efforts_computed_at');
  }
}
