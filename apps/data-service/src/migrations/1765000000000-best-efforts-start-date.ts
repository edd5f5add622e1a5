import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each best effort carries its run's start date, so bests and their progression read one index in
 * the window's order (distance, then start date) instead of joining every run of the athlete and
 * sorting all their efforts (41,883 rows for 8,200 runs, spilling to disk). The copy cannot go
 * stale: the runs upsert drops a run's efforts when its start date changes (TRACK_COLUMNS in
 * runs.sql.ts), and the efforts PUT copies the date from data.runs in the statement that writes them.
 * The index replaces (user_id, distance, elapsed_time), which only bests read.
 */
export class BestEffortsStartDate1765000000000 implements MigrationInterface {
  name = 'BestEffortsStartDate1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE data.best_efforts ADD COLUMN start_date timestamptz');
    await queryRunner.query(`
      UPDATE data.best_efforts b SET start_date = r.start_date
      FROM data.runs r WHERE r.user_id = b.user_id AND r.strava_id = b.strava_id`);
    await queryRunner.query('ALTER TABLE data.best_efforts ALTER COLUMN start_date SET NOT NULL');
    await queryRunner.query(`
      CREATE INDEX best_efforts_user_distance_start_idx
        ON data.best_efforts (user_id, distance, start_date, strava_id) INCLUDE (elapsed_time)`);
    await queryRunner.query('DROP INDEX data.best_efforts_user_distance_idx');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX best_efforts_user_distance_idx ON data.best_efforts (user_id, distance, elapsed_time)',
    );
    await queryRunner.query('DROP INDEX data.best_efforts_user_distance_start_idx');
    await queryRunner.query('ALTER TABLE data.best_efforts DROP COLUMN start_date');
  }
}
