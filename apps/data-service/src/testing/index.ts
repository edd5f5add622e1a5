// What other apps' tests need of the data-service (`@runnerly/data-service/testing`): the service
// started for a test, in this process or as its real process, and bulk writes into its own tables.
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseConfig } from '@runnerly/config';
import { type ServiceProcess, startService } from '@runnerly/testing';
import pg from 'pg';
import { createApp } from '../app.js';
import { DataServiceConfigSchema } from '../config.js';
import { Db } from '../database/db.js';
import { TokenCipher } from '../strava-tokens/token-cipher.js';

/** A value for `STRAVA_TOKEN_ENCRYPTION_KEYS`: one fresh random key. */
export const testEncryptionKeys = () => `k1:${randomBytes(32).toString('base64')}`;

export interface TestDataService {
  app: Awaited<ReturnType<typeof createApp>>;
  url: string;
  close(): Promise<void>;
}

/**
 * The data-service in this process on 127.0.0.1 (`port`, or a free one), configured by `env`
 * (`LOG_LEVEL` silent unless given). No operator listener (its own tests start one where they read it).
 */
export async function startDataService(env: Record<string, string>, port = 0): Promise<TestDataService> {
  const app = await createApp(parseConfig(DataServiceConfigSchema, { LOG_LEVEL: 'silent', ...env }));
  await app.listen(port, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, close: () => app.close() };
}

/** The data-service's real process (`src/main.ts`) on 127.0.0.1:`port`, once it is ready: to be killed. */
export function spawnDataService(
  env: Record<string, string>,
  port: number,
  timeoutMs?: number,
): Promise<ServiceProcess> {
  return startService({
    cwd: join(import.meta.dirname, '../..'),
    env: {
      LOG_LEVEL: 'silent',
      ...env,
      DATA_SERVICE_PORT: String(port),
      DATA_SERVICE_OPERATOR_PORT: '0',
      HOST: '127.0.0.1',
    },
    readyUrl: `http://127.0.0.1:${port}/health/ready`,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** Rows per INSERT: one statement per table and batch, whatever the batch size. */
const SEED_BATCH = 2_000;

export interface SeedAthletes {
  count: number;
  /** Strava athlete ids `firstAthleteId`, `firstAthleteId + 1`, …: keep ranges apart across calls. */
  firstAthleteId: number;
  /** With Strava tokens (what the fan-out syncs) or without (deauthorized athletes). */
  connected?: boolean;
}

/**
 * Athletes written straight into the tables of an in-process data-service: users, and (connected)
 * Strava tokens sealed by the service's own cipher, bound to the user id as the service binds them.
 * `PUT /users` one at a time would take minutes for the thousands of athletes a fan-out test needs.
 * Returns the user ids in insertion order.
 */
export async function seedAthletes(
  service: TestDataService,
  { count, firstAthleteId, connected = true }: SeedAthletes,
): Promise<string[]> {
  const db = service.app.get(Db);
  const cipher = service.app.get(TokenCipher);
  const ids: string[] = [];
  for (let start = 0; start < count; start += SEED_BATCH) {
    const size = Math.min(SEED_BATCH, count - start);
    const batch = Array.from({ length: size }, (_, index) => ({
      id: randomUUID(),
      athleteId: firstAthleteId + start + index,
    }));
    await db.query(
      `INSERT INTO data.users (id, strava_athlete_id, firstname, lastname)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[])`,
      [
        batch.map(({ id }) => id),
        batch.map(({ athleteId }) => athleteId),
        batch.map(() => 'Seeded'),
        batch.map(({ athleteId }) => `Athlete ${athleteId}`),
      ],
    );
    if (connected) {
      const sealed = batch.map(({ id, athleteId }) =>
        cipher.encrypt(
          JSON.stringify({ accessToken: `seed-access-${athleteId}`, refreshToken: `seed-refresh-${athleteId}` }),
          id,
        ),
      );
      await db.query(
        `INSERT INTO data.strava_tokens (user_id, key_id, ciphertext, expires_at, scope)
         SELECT id, $2, ciphertext, now() + interval '6 hours', 'read,activity:read_all'
         FROM unnest($1::uuid[], $3::bytea[]) AS t(id, ciphertext)`,
        [batch.map(({ id }) => id), cipher.currentKeyId, sealed.map(({ ciphertext }) => ciphertext)],
      );
    }
    ids.push(...batch.map(({ id }) => id));
  }
  return ids;
}

/** The user's rows in the runs table itself (behind the API): how many, and how many distinct Strava ids. */
export async function runRows(databaseUrl: string, userId: string): Promise<{ rows: number; distinct: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string; ids: string }>(
      'SELECT count(*) AS total, count(DISTINCT strava_id) AS ids FROM data.runs WHERE user_id = $1',
      [userId],
    );
    return { rows: Number(rows[0]!.total), distinct: Number(rows[0]!.ids) };
  } finally {
    await client.end();
  }
}
