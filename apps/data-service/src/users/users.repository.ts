import { Injectable } from '@nestjs/common';
import type { UpsertUser } from '@runnerly/data-client';
import { Db, type Queryable } from '../database/db.js';

export interface UserRow {
  id: string;
  stravaAthleteId: string;
  firstname: string;
  lastname: string;
  email: string | null;
  city: string | null;
  country: string | null;
  profileImageUrl: string | null;
  connected: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserFilter {
  stravaAthleteId?: number;
  connected?: boolean;
  /** Only users with an id greater than this one (keyset). */
  afterId?: string;
  limit: number;
}

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
/** `connected`: the SQL that tells whether the user has Strava tokens. */
const userColumns = (connected: string) => `
  u.id,
  u.strava_athlete_id::text AS "stravaAthleteId",
  u.firstname,
  u.lastname,
  u.email,
  u.city,
  u.country,
  u.profile_image_url AS "profileImageUrl",
  ${connected} AS connected,
  to_char(u.created_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "createdAt",
  to_char(u.updated_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "updatedAt"`;
const USER_COLUMNS = userColumns('EXISTS (SELECT 1 FROM data.strava_tokens t WHERE t.user_id = u.id)');

/** Optional profile fields: left out of a PUT they keep their stored value, `null` clears them. */
const OPTIONAL_COLUMNS = {
  email: 'email',
  city: 'city',
  country: 'country',
  profileImageUrl: 'profile_image_url',
} as const;

@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  /** Inserts or updates the user with this Strava athlete id; returns its id. */
  async upsert(tx: Queryable, user: UpsertUser): Promise<string> {
    const optional = Object.entries(OPTIONAL_COLUMNS) as Array<[keyof typeof OPTIONAL_COLUMNS, string]>;
    const values: unknown[] = [
      user.stravaAthleteId,
      user.firstname,
      user.lastname,
      ...optional.map(([field]) => user[field] ?? null),
    ];
    const updates = [
      'firstname = EXCLUDED.firstname',
      'lastname = EXCLUDED.lastname',
      ...optional.filter(([field]) => user[field] !== undefined).map(([, column]) => `${column} = EXCLUDED.${column}`),
    ];
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO data.users AS u (strava_athlete_id, firstname, lastname, ${optional.map(([, column]) => column).join(', ')})
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (strava_athlete_id) DO UPDATE SET ${updates.join(', ')}, updated_at = now()
       RETURNING id`,
      values,
    );
    return rows[0]!.id;
  }

  async findById(id: string, tx: Queryable = this.db): Promise<UserRow | undefined> {
    const { rows } = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM data.users u WHERE u.id = $1`, [id]);
    return rows[0];
  }

  async exists(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('SELECT 1 FROM data.users WHERE id = $1', [id]);
    return rowCount === 1;
  }

  /**
   * Users ordered by id (stable keyset order), `limit` of them. Tokens are left-joined, not looked
   * up with EXISTS: PostgreSQL turns an EXISTS over many users into a semi-join or a hashed subplan
   * that reads every token from the first on each page (a fan-out over 100,000 athletes went
   * quadratic). The join repeats the keyset bound on the tokens' key (the planner does not carry
   * `u.id > $n` across `t.user_id = u.id`), so both primary keys are read from the cursor on.
   */
  async list(filter: UserFilter): Promise<UserRow[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    let tokens = 't.user_id = u.id';
    if (filter.stravaAthleteId !== undefined) {
      values.push(filter.stravaAthleteId);
      conditions.push(`u.strava_athlete_id = $${values.length}`);
    }
    if (filter.connected !== undefined) conditions.push(`t.user_id IS ${filter.connected ? 'NOT ' : ''}NULL`);
    if (filter.afterId !== undefined) {
      values.push(filter.afterId);
      conditions.push(`u.id > $${values.length}`);
      tokens += ` AND t.user_id > $${values.length}`;
    }
    values.push(filter.limit);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.db.query<UserRow>(
      `SELECT ${userColumns('t.user_id IS NOT NULL')}
       FROM data.users u LEFT JOIN data.strava_tokens t ON ${tokens}
       ${where} ORDER BY u.id LIMIT $${values.length}`,
      values,
    );
    return rows;
  }

  /** Removes the user, its tokens and its runs in one transaction; false when there was no such user. */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query('SELECT 1 FROM data.users WHERE id = $1 FOR UPDATE', [id]);
      if (rowCount !== 1) return false;
      await tx.query('DELETE FROM data.runs WHERE user_id = $1', [id]);
      await tx.query('DELETE FROM data.strava_tokens WHERE user_id = $1', [id]);
      await tx.query('DELETE FROM data.users WHERE id = $1', [id]);
      return true;
    });
  }
}
