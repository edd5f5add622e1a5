import type { QueryValue, ServiceClient } from '@runnerly/service-client';
import type {
  BestEffortsProgress,
  Bests,
  BestsQuery,
  PutBestEfforts,
  PutBestEffortsResult,
  RunBestEfforts,
} from './best-efforts.schemas.js';
import type {
  Calendar,
  CalendarQuery,
  Eddington,
  Goal,
  PutGear,
  RoutesQuery,
  Routes,
  Shoe,
  Shoes,
  Years,
  ListRunsQuery,
  ListUsersQuery,
  RunInput,
  RunPage,
  Stats,
  StatsQuery,
  StravaToken,
  UpsertRunsResult,
  UpsertUser,
  User,
  UserPage,
} from './schemas.js';

type Query = Record<string, QueryValue>;

/**
 * The data-service API, one typed method per endpoint. Authentication, retries of idempotent
 * requests and request-id propagation come from the `ServiceClient` it is built on.
 */
export class DataServiceClient {
  constructor(private readonly client: ServiceClient) {}

  /** Scope `users:write`, and `strava-tokens:write` too when `user.strava` is given. */
  upsertUser(user: UpsertUser): Promise<User> {
    return this.client.request<User>({ method: 'PUT', path: '/users', body: user, idempotent: true });
  }

  getUser(id: string): Promise<User> {
    return this.client.request<User>({ method: 'GET', path: `/users/${encodeURIComponent(id)}`, idempotent: true });
  }

  /** The user with this Strava athlete id, or undefined. */
  async findUserByStravaAthleteId(stravaAthleteId: number): Promise<User | undefined> {
    const page = await this.listUsers({ stravaAthleteId, limit: 1 });
    return page.items[0];
  }

  listUsers(query: ListUsersQuery = {}): Promise<UserPage> {
    return this.client.request<UserPage>({ method: 'GET', path: '/users', query: query as Query, idempotent: true });
  }

  /** Every user matching `query`, page after page. */
  async *allUsers(query: Omit<ListUsersQuery, 'cursor'> = {}): AsyncGenerator<User> {
    let cursor: string | undefined;
    do {
      const page = await this.listUsers({ ...query, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** Removes the user, its Strava tokens and all its runs (scope `users:delete`). */
  async deleteUser(id: string): Promise<void> {
    await this.client.request<unknown>({
      method: 'DELETE',
      path: `/users/${encodeURIComponent(id)}`,
      idempotent: true,
    });
  }

  getStravaToken(userId: string): Promise<StravaToken> {
    return this.client.request<StravaToken>({
      method: 'GET',
      path: `${userPath(userId)}/strava-token`,
      idempotent: true,
    });
  }

  /** Stores a (refreshed) token pair, encrypted. */
  async putStravaToken(userId: string, token: StravaToken): Promise<void> {
    await this.client.request<unknown>({
      method: 'PUT',
      path: `${userPath(userId)}/strava-token`,
      body: token,
      idempotent: true,
    });
  }

  /** Forgets the athlete's Strava tokens: the user stays, marked as not connected. */
  async deleteStravaToken(userId: string): Promise<void> {
    await this.client.request<unknown>({
      method: 'DELETE',
      path: `${userPath(userId)}/strava-token`,
      idempotent: true,
    });
  }

  /** Batch upsert by `stravaId` (idempotent): sending the same runs twice changes nothing. */
  upsertRuns(userId: string, runs: RunInput[], options: { keepExisting?: boolean } = {}): Promise<UpsertRunsResult> {
    return this.client.request<UpsertRunsResult>({
      method: 'PUT',
      path: `${userPath(userId)}/runs`,
      body: options.keepExisting ? { runs, keepExisting: true } : { runs },
      idempotent: true,
    });
  }

  listRuns(userId: string, query: ListRunsQuery = {}): Promise<RunPage> {
    return this.client.request<RunPage>({
      method: 'GET',
      path: `${userPath(userId)}/runs`,
      query: query as Query,
      idempotent: true,
    });
  }

  async deleteRun(userId: string, stravaId: number): Promise<void> {
    await this.client.request<unknown>({
      method: 'DELETE',
      path: `${userPath(userId)}/runs/${stravaId}`,
      idempotent: true,
    });
  }

  getStats(userId: string, query: StatsQuery): Promise<Stats> {
    return this.client.request<Stats>({
      method: 'GET',
      path: `${userPath(userId)}/stats`,
      query: query as Query,
      idempotent: true,
    });
  }

  /** Runs per local day in [from, to] and the streaks (scope `runs:read`). */
  getCalendar(userId: string, query: CalendarQuery): Promise<Calendar> {
    return this.get(`${userPath(userId)}/calendar`, query as Query);
  }

  getEddington(userId: string): Promise<Eddington> {
    return this.get(`${userPath(userId)}/eddington`);
  }

  /** Totals per year with months and cumulative distance by day of year. */
  getYears(userId: string): Promise<Years> {
    return this.get(`${userPath(userId)}/years`);
  }

  /** `current`: the athlete's local current year. */
  getGoal(userId: string, year: number | 'current'): Promise<Goal> {
    return this.get(`${userPath(userId)}/goals/${year}`);
  }

  /** Sets the year's goal in metres (scope `users:write`). */
  putGoal(userId: string, year: number, distance: number): Promise<Goal> {
    return this.client.request<Goal>({
      method: 'PUT',
      path: `${userPath(userId)}/goals/${year}`,
      body: { distance },
      idempotent: true,
    });
  }

  /** Stores the athlete's shoes as Strava lists them (scope `users:write`). */
  putGear(userId: string, gear: PutGear): Promise<Shoes> {
    return this.client.request<Shoes>({
      method: 'PUT',
      path: `${userPath(userId)}/gear`,
      body: gear,
      idempotent: true,
    });
  }

  listShoes(userId: string): Promise<Shoes> {
    return this.get(`${userPath(userId)}/shoes`);
  }

  /** Sets a shoe's retirement threshold in metres (scope `users:write`). */
  putShoe(userId: string, gearId: string, retireAt: number): Promise<Shoe> {
    return this.client.request<Shoe>({
      method: 'PUT',
      path: `${userPath(userId)}/shoes/${encodeURIComponent(gearId)}`,
      body: { retireAt },
      idempotent: true,
    });
  }

  /** The newest runs' summary polylines (scope `runs:read`). */
  listRoutes(userId: string, query: RoutesQuery = {}): Promise<Routes> {
    return this.get(`${userPath(userId)}/routes`, query as Query);
  }

  /** Replaces a run's best efforts and marks where they came from (scope `runs:write`; idempotent). */
  putBestEfforts(userId: string, stravaId: number, body: PutBestEfforts): Promise<PutBestEffortsResult> {
    return this.client.request<PutBestEffortsResult>({
      method: 'PUT',
      path: `${userPath(userId)}/runs/${stravaId}/best-efforts`,
      body,
      idempotent: true,
    });
  }

  getRunBestEfforts(userId: string, stravaId: number): Promise<RunBestEfforts> {
    return this.get(`${userPath(userId)}/runs/${stravaId}/best-efforts`);
  }

  /** Per standard distance the best and its progression; `year`: that local year only. */
  getBests(userId: string, query: BestsQuery = {}): Promise<Bests> {
    return this.get(`${userPath(userId)}/bests`, query as Query);
  }

  getBestEffortsProgress(userId: string): Promise<BestEffortsProgress> {
    return this.get(`${userPath(userId)}/best-efforts/progress`);
  }

  private get<T>(path: string, query?: Query): Promise<T> {
    return this.client.request<T>({ method: 'GET', path, ...(query ? { query } : {}), idempotent: true });
  }
}

function userPath(userId: string): string {
  return `/users/${encodeURIComponent(userId)}`;
}
