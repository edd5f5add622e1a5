import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateClientsAndKeys1763900000000 implements MigrationInterface {
  name = 'CreateClientsAndKeys1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "token_dealer"."clients" (
        "id" varchar(100) PRIMARY KEY,
        "secret_hash" varchar(64) NOT NULL,
        "scopes" text[] NOT NULL DEFAULT '{}',
        "audiences" text[] NOT NULL DEFAULT '{}',
        "secret_rotated_at" timestamptz NOT NULL DEFAULT now(),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE "token_dealer"."signing_keys" (
        "kid" varchar(64) PRIMARY KEY,
        "alg" varchar(10) NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "private_key_encrypted" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "activates_at" timestamptz NOT NULL,
        "retires_at" timestamptz
      )`);
    await runner.query(`CREATE INDEX "signing_keys_activates_at" ON "token_dealer"."signing_keys" ("activates_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "token_dealer"."signing_keys"`);
    await runner.query(`DROP TABLE "token_dealer"."clients"`);
  }
}
