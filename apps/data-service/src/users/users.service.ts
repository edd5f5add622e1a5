import { Injectable } from '@nestjs/common';
import type { ListUsersQuery, UpsertUser, User, UserPage } from '@runnerly/data-client';
import type { z } from 'zod';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { DataException } from '../common/data.exception.js';
import { Db } from '../database/db.js';
import { StravaTokensService } from '../strava-tokens/strava-tokens.service.js';
import { type UserRow, UsersRepository } from './users.repository.js';

type ParsedListUsersQuery = z.output<typeof ListUsersQuery>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isUserCursor = (key: readonly unknown[]): key is [string] =>
  key.length === 1 && typeof key[0] === 'string' && UUID.test(key[0]);

export function toUser(row: UserRow): User {
  return { ...row, stravaAthleteId: Number(row.stravaAthleteId) };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly stravaTokens: StravaTokensService,
  ) {}

  /** Creates or updates the athlete (and stores its Strava tokens, encrypted) in one transaction. */
  async upsert(input: UpsertUser): Promise<User> {
    const row = await this.db.transaction(async (tx) => {
      const id = await this.users.upsert(tx, input);
      if (input.strava) await this.stravaTokens.put(id, input.strava, tx);
      return this.users.findById(id, tx);
    });
    return toUser(row!);
  }

  async get(id: string): Promise<User> {
    const row = await this.users.findById(id);
    if (!row) throw DataException.userNotFound(id);
    return toUser(row);
  }

  async list(query: ParsedListUsersQuery): Promise<UserPage> {
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isUserCursor)[0];
    const rows = await this.users.list({
      stravaAthleteId: query.stravaAthleteId,
      connected: query.connected,
      afterId,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map(toUser);
    const nextCursor = rows.length > query.limit ? encodeCursor([items.at(-1)!.id]) : null;
    return { items, nextCursor };
  }

  /** The user, its Strava tokens and all its runs, gone in one transaction. */
  async delete(id: string): Promise<void> {
    if (!(await this.users.delete(id))) throw DataException.userNotFound(id);
  }

  async assertExists(id: string): Promise<void> {
    if (!(await this.users.exists(id))) throw DataException.userNotFound(id);
  }
}
