import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '../database/db.js';

export interface StoredStravaToken {
  keyId: string;
  ciphertext: Buffer;
  /** Epoch seconds. */
  expiresAt: number;
  scope: string;
}

/** The only code that reads or writes the encrypted token table. */
@Injectable()
export class StravaTokensRepository {
  constructor(private readonly db: Db) {}

  /** The user's stored token; `null` when the user exists without one, undefined when there is no such user. */
  async find(userId: string): Promise<StoredStravaToken | null | undefined> {
    const { rows } = await this.db.query<StoredStravaToken | { keyId: null }>(
      `SELECT t.key_id AS "keyId", t.ciphertext, extract(epoch FROM t.expires_at)::float8 AS "expiresAt", t.scope
       FROM data.users u LEFT JOIN data.strava_tokens t ON t.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return row.keyId === null ? null : (row as StoredStravaToken);
  }

  async save(userId: string, token: StoredStravaToken, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO data.strava_tokens (user_id, key_id, ciphertext, expires_at, scope)
       VALUES ($1, $2, $3, to_timestamp($4), $5)
       ON CONFLICT (user_id) DO UPDATE SET key_id = EXCLUDED.key_id, ciphertext = EXCLUDED.ciphertext,
         expires_at = EXCLUDED.expires_at, scope = EXCLUDED.scope, updated_at = now()`,
      [userId, token.keyId, token.ciphertext, token.expiresAt, token.scope],
    );
  }

  /** False when there is no such user. */
  async delete(userId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `WITH gone AS (DELETE FROM data.strava_tokens WHERE user_id = $1)
       SELECT 1 FROM data.users WHERE id = $1`,
      [userId],
    );
    return rowCount === 1;
  }
}
