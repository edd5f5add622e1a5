import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The year at a glance: each run's gear, the athlete's shoes (from Strava) and their yearly goals. */
export class CreateGearGoals1764900000000 implements MigrationInterface {
  name = 'CreateGearGoals1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE data.runs ADD COLUMN gear_id text');
    await queryRunner.query(`
      CREATE TABLE data.gear (
        user_id uuid NOT NULL REFERENCES data.users (id) ON DELETE CASCADE,
        gear_id text NOT NULL,
        name text,
        is_primary boolean NOT NULL DEFAULT false,
        retired boolean NOT NULL DEFAULT false,
        strava_distance double precision CHECK (strava_distance >= 0),
        retire_at double precision NOT NULL DEFAULT 800000 CHECK (retire_at > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, gear_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE data.goals (
        user_id uuid NOT NULL REFERENCES data.users (id) ON DELETE CASCADE,
        year integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
        distance double precision NOT NULL CHECK (distance > 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, year)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE data.goals');
    await queryRunner.query('DROP TABLE data.gear');
    await queryRunner.query('ALTER TABLE data.runs DROP COLUMN gear_id');
  }
}
