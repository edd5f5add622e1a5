import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, their encrypted Strava tokens and their runs, in the `data` schema. */
export class CreateUsersTokensRuns1763890000000 implements MigrationInterface {
  name = 'CreateUsersTokensRuns1763890000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE data.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        strava_athlete_id bigint NOT NULL,
        firstname text NOT NULL,
        lastname text NOT NULL,
        email text,
        city text,
        country text,
        profile_image_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_strava_athlete_id_key UNIQUE (strava_athlete_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE data.strava_tokens (
        user_id uuid PRIMARY KEY REFERENCES data.users (id) ON DELETE CASCADE,
        key_id text NOT NULL,
        ciphertext bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        scope text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE data.runs (
        user_id uuid NOT NULL REFERENCES data.users (id) ON DELETE CASCADE,
        strava_id bigint NOT NULL,
        name text NOT NULL,
        sport_type text NOT NULL,
        start_date timestamptz NOT NULL,
        start_date_local timestamp NOT NULL,
        timezone text,
        distance double precision NOT NULL CHECK (distance >= 0),
        moving_time integer NOT NULL CHECK (moving_time >= 0),
        elapsed_time integer NOT NULL CHECK (elapsed_time >= 0),
        total_elevation_gain double precision NOT NULL CHECK (total_elevation_gain >= 0),
        average_speed double precision NOT NULL,
        max_speed double precision NOT NULL,
        average_heartrate double precision,
        max_heartrate double precision,
        summary_polyline text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, strava_id)
      )`);
    // A runner's runs newest first (keyset pagination on (start_date, strava_id)).
    await queryRunner.query(
      'CREATE INDEX runs_user_start_date_idx ON data.runs (user_id, start_date DESC, strava_id DESC)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE data.runs');
    await queryRunner.query('DROP TABLE data.strava_tokens');
    await queryRunner.query('DROP TABLE data.users');
  }
}
