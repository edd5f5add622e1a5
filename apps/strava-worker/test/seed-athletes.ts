import { randomUUID } from 'node:crypto';
import { Db } from '@runnerly/data-service/src/database/db.js';
import { TokenCipher } from '@runnerly/data-service/src/strava-tokens/token-cipher.js';
import type { Stack } from './harness.js';

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
 * Athletes written straight into the data-service's tables of an in-process stack: users, and
 * (connected) Strava tokens sealed by the data-service's own cipher, bound to the user id as the
 * service binds them. `PUT /users` one at a time would take minutes for the thousands of athletes
 * a fan-out test needs. Returns the user ids in insertion order.
 */
export async function seedAthletes(
  stack: Stack,
  { count, firstAthleteId, connected = true }: SeedAthletes,
): Promise<string[]> {
  if (!stack.dataService) throw new Error('seedAthletes needs the in-process data-service');
  const db = stack.dataService.get(Db);
  const cipher = stack.dataService.get(TokenCipher);
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
