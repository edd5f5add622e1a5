import {
  StravaAccessDeniedError,
  StravaApiError,
  StravaError,
  StravaNetworkError,
  StravaRateLimitError,
  StravaServerError,
  StravaTimeoutError,
  toStravaError,
} from './errors.js';
import { exhaustedWindow, parseRateLimitHeaders, type StravaRateLimits, stravaWindow } from './rate-limit.js';
import type {
  StravaDetailedAthlete,
  StravaDetailedActivity,
  StravaPushSubscription,
  StravaScope,
  StravaSummaryActivity,
  StravaTokenExchange,
  StravaTokenResponseBody,
  StravaTokenSet,
  StravaStreamSet,
  StravaStreamType,
} from './strava.types.js';
import { DEFAULT_EXPIRY_MARGIN_SECONDS, isExpiring, parseScopes, tokensChanged } from './tokens.js';

export interface StravaClientOptions {
  /** `https://www.strava.com` or the sandbox; OAuth at `{baseUrl}/oauth/*`. */
  baseUrl: string;
  /** The API root; default `{baseUrl}/api/v3` (Strava announced a new API host for 2027). */
  apiBaseUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

export interface AuthorizeUrlOptions {
  redirectUri: string;
  scope: Array<StravaScope | string>;
  state: string;
  approvalPrompt?: 'auto' | 'force';
}

export interface ListActivitiesOptions {
  /** Epoch seconds: only activities that started after this. */
  after?: number;
  /** Epoch seconds: only activities that started before this. */
  before?: number;
  /** At most 200 (Strava's maximum, the default). */
  perPage?: number;
  /** Start at this page (1-based), e.g. to resume. */
  page?: number;
}

export interface ActivityPage {
  page: number;
  activities: StravaSummaryActivity[];
}

export interface AuthorizationCallback {
  code: string;
  /** What the athlete actually granted (may be less than asked). */
  scope: string[];
  state: string | undefined;
}

/** Called with the new pair whenever Strava returns a different one: persist it. */
export type OnTokensRefreshed = (tokens: StravaTokenSet) => Promise<void> | void;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Form fields (sent as an urlencoded body, never in the URL). */
  form?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  accessToken?: string;
  /** HTTP Basic client authentication (client_secret_basic). */
  basicAuth?: boolean;
  /** Counts against the rate limits (API calls do; OAuth calls don't). */
  rateLimited?: boolean;
}

const MAX_PER_PAGE = 200;
/** What best efforts and the runner's page use of an activity's streams. */
export const DEFAULT_STREAM_KEYS: readonly StravaStreamType[] = ['time', 'distance', 'latlng', 'altitude', 'heartrate'];

/**
 * Talks to Strava (or the sandbox) for one application. Tokens travel only in the Authorization
 * header (or a POST body for OAuth), never in a URL. Keeps the application's latest rate-limit
 * usage and refuses to send a request it knows would be rejected.
 */
export class StravaClient {
  private readonly baseUrl: string;
  private readonly apiBaseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private latestRateLimits: StravaRateLimits | undefined;
  private readonly refreshing = new Map<string, Promise<StravaTokenSet>>();

  constructor(private readonly options: StravaClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiBaseUrl = (options.apiBaseUrl ?? `${this.baseUrl}/api/v3`).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  /** The application's usage as the last API response reported it. */
  get rateLimits(): StravaRateLimits | undefined {
    return this.latestRateLimits;
  }

  /** The consent page URL. Scopes are comma-separated, as Strava requires. */
  authorizeUrl({ redirectUri, scope, state, approvalPrompt = 'auto' }: AuthorizeUrlOptions): string {
    const params = [
      ['client_id', this.options.clientId],
      ['redirect_uri', redirectUri],
      ['response_type', 'code'],
      ['approval_prompt', approvalPrompt],
      ['scope', scope.map((item) => encodeURIComponent(item).replace(/%3A/gi, ':')).join(',')],
      ['state', state],
    ].map(([key, value]) => (key === 'scope' ? `scope=${value}` : `${key}=${encodeURIComponent(value!)}`));
    return `${this.baseUrl}/oauth/authorize?${params.join('&')}`;
  }

  /** Reads Strava's redirect back: the code and granted scopes, or StravaAccessDeniedError. */
  parseCallback(query: URLSearchParams | Record<string, string | undefined>): AuthorizationCallback {
    const get = (name: string) => (query instanceof URLSearchParams ? (query.get(name) ?? undefined) : query[name]);
    const error = get('error');
    if (error) throw new StravaAccessDeniedError(error);
    const code = get('code');
    if (!code) throw new StravaAccessDeniedError('missing_code');
    return { code, scope: parseScopes(get('scope')), state: get('state') };
  }

  /** Trades a (single-use) authorization code for the athlete's tokens and summary. */
  async exchangeCode(code: string): Promise<StravaTokenExchange> {
    const body = await this.request<StravaTokenResponseBody>(`${this.baseUrl}/oauth/token`, {
      method: 'POST',
      form: { ...this.clientCredentials(), code, grant_type: 'authorization_code' },
    });
    if (!body.athlete) throw new StravaError('Strava token exchange returned no athlete');
    return { ...toTokenSet(body), tokenType: body.token_type, expiresIn: body.expires_in, athlete: body.athlete };
  }

  /**
   * Refreshes a pair. Strava returns the same access token while it has more than an hour left,
   * and may rotate the refresh token (the old one stops working at once): always persist the result.
   */
  async refresh(refreshToken: string, scope?: string): Promise<StravaTokenSet> {
    // One refresh per refresh token at a time: with rotation, a second concurrent refresh would
    // present a token Strava has just invalidated.
    let pending = this.refreshing.get(refreshToken);
    if (!pending) {
      pending = this.request<StravaTokenResponseBody>(`${this.baseUrl}/oauth/token`, {
        method: 'POST',
        form: { ...this.clientCredentials(), refresh_token: refreshToken, grant_type: 'refresh_token' },
      })
        .then(toTokenSet)
        .finally(() => this.refreshing.delete(refreshToken));
      this.refreshing.set(refreshToken, pending);
    }
    return { ...(await pending), ...(scope === undefined ? {} : { scope }) };
  }

  /**
   * Returns tokens that stay valid for at least `marginSeconds`: refreshes when needed and hands
   * any new pair to `onRefresh` (awaited) before returning it.
   */
  async ensureFreshToken(
    tokens: StravaTokenSet,
    onRefresh: OnTokensRefreshed,
    marginSeconds = DEFAULT_EXPIRY_MARGIN_SECONDS,
  ): Promise<StravaTokenSet> {
    if (!isExpiring(tokens, marginSeconds, this.now())) return tokens;
    const fresh = await this.refresh(tokens.refreshToken, tokens.scope);
    if (tokensChanged(tokens, fresh)) await onRefresh(fresh);
    return fresh;
  }

  /** Revokes all of this application's tokens for the athlete. */
  async deauthorize(accessToken: string): Promise<void> {
    // Strava documents `access_token` as a parameter: it goes in the POST body, never the URL.
    await this.request(`${this.baseUrl}/oauth/deauthorize`, {
      method: 'POST',
      accessToken,
      form: { access_token: accessToken },
    });
  }

  /**
   * Strava's announced successor of deauthorize (`/oauth/revoke`, from 2027-06-01): revoking either
   * token of a pair revokes both. The sandbox serves it already.
   */
  async revoke(token: string, tokenTypeHint?: 'access_token' | 'refresh_token'): Promise<void> {
    await this.request(`${this.baseUrl}/oauth/revoke`, {
      method: 'POST',
      basicAuth: true,
      form: { token, ...(tokenTypeHint ? { token_type_hint: tokenTypeHint } : {}) },
    });
  }

  /** The summary athlete, or the detailed one (with `shoes` and `bikes`) for a token with `profile:read_all`. */
  getAthlete(accessToken: string): Promise<StravaDetailedAthlete> {
    return this.request(`${this.apiBaseUrl}/athlete`, { accessToken, rateLimited: true });
  }

  getActivity(accessToken: string, id: number | string): Promise<StravaDetailedActivity> {
    return this.request(`${this.apiBaseUrl}/activities/${encodeURIComponent(String(id))}`, {
      accessToken,
      rateLimited: true,
    });
  }

  /**
   * An activity's streams in one request (`key_by_type=true`: keyed by type). Strava leaves out
   * types the activity lacks and answers 404 (StravaNotFoundError) for one without streams (manual).
   */
  async getActivityStreams(
    accessToken: string,
    id: number | string,
    keys: readonly StravaStreamType[] = DEFAULT_STREAM_KEYS,
  ): Promise<StravaStreamSet> {
    const body = await this.request<unknown>(
      `${this.apiBaseUrl}/activities/${encodeURIComponent(String(id))}/streams`,
      { accessToken, rateLimited: true, query: { keys: keys.join(','), key_by_type: 'true' } },
    );
    // Without key_by_type Strava answers a list of streams each naming its type: accept that too.
    if (Array.isArray(body))
      return Object.fromEntries(
        body
          .filter((item): item is { type: string } => typeof item === 'object' && item !== null && 'type' in item)
          .map(({ type, ...stream }) => [type, stream]),
      ) as StravaStreamSet;
    if (typeof body !== 'object' || body === null)
      throw new StravaApiError('Strava answered /activities/{id}/streams with something other than a stream set', 200);
    return body as StravaStreamSet;
  }

  /** One page of `/athlete/activities`. */
  async listActivitiesPage(
    accessToken: string,
    { after, before, perPage = MAX_PER_PAGE, page = 1 }: ListActivitiesOptions = {},
  ): Promise<StravaSummaryActivity[]> {
    const activities = await this.request<unknown>(`${this.apiBaseUrl}/athlete/activities`, {
      accessToken,
      rateLimited: true,
      query: { after, before, page, per_page: Math.min(Math.max(1, perPage), MAX_PER_PAGE) },
    });
    // A page that is not a list would otherwise end (or break) an iteration silently.
    if (!Array.isArray(activities))
      throw new StravaApiError('Strava answered /athlete/activities with something other than a list', 200);
    return activities as StravaSummaryActivity[];
  }

  /**
   * Every page of the athlete's activities. Strava may return a short page before the end, so
   * this goes on until an empty page comes back.
   */
  async *listActivities(accessToken: string, options: ListActivitiesOptions = {}): AsyncGenerator<ActivityPage> {
    for (let page = options.page ?? 1; ; page += 1) {
      const activities = await this.listActivitiesPage(accessToken, { ...options, page });
      if (activities.length === 0) return;
      yield { page, activities };
    }
  }

  /** Creates the application's push subscription; Strava verifies the callback before answering. */
  async createPushSubscription(callbackUrl: string, verifyToken: string): Promise<{ id: number }> {
    return this.request(`${this.apiBaseUrl}/push_subscriptions`, {
      method: 'POST',
      form: { ...this.clientCredentials(), callback_url: callbackUrl, verify_token: verifyToken },
    });
  }

  async listPushSubscriptions(): Promise<StravaPushSubscription[]> {
    // Strava only takes the credentials as query parameters here; it is the application's own secret.
    return this.request(`${this.apiBaseUrl}/push_subscriptions`, { query: this.clientCredentials() });
  }

  async deletePushSubscription(id: number): Promise<void> {
    await this.request(`${this.apiBaseUrl}/push_subscriptions/${id}`, {
      method: 'DELETE',
      query: this.clientCredentials(),
    });
  }

  private clientCredentials(): Record<string, string> {
    return { client_id: this.options.clientId, client_secret: this.options.clientSecret };
  }

  private async request<T>(url: string, options: RequestOptions): Promise<T> {
    const method = options.method ?? 'GET';
    if (options.rateLimited) {
      const now = this.now();
      // Strava's "read" limits cover every request but uploads, and this client uploads nothing.
      const scope = exhaustedWindow(this.latestRateLimits, true, now);
      if (scope)
        throw new StravaRateLimitError(
          stravaWindow(scope, now).resetAt,
          scope,
          this.latestRateLimits,
          undefined,
          false,
        );
    }
    const target = new URL(url);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) target.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
    if (options.basicAuth) {
      const credentials = `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers,
        body: options.form ? new URLSearchParams(options.form) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new StravaTimeoutError(
          `Strava did not answer within ${this.timeoutMs} ms (${method} ${target.pathname})`,
          undefined,
          undefined,
          { cause: error },
        );
      }
      throw new StravaNetworkError(`Strava is unreachable (${method} ${target.pathname})`, undefined, undefined, {
        cause: error,
      });
    }
    const now = this.now();
    const observed = parseRateLimitHeaders(response.headers, now);
    if (observed) this.latestRateLimits = observed;
    const text = await readBody(response, this.timeoutMs, method, target.pathname);
    let body: unknown = text;
    let json = text === '';
    if (text) {
      try {
        body = JSON.parse(text) as unknown;
        json = true;
      } catch {
        // not JSON: keep the text for the error message
      }
    }
    if (response.ok && !json) {
      // e.g. an HTML page from a proxy in front of Strava: nothing a caller can use, maybe transient.
      throw new StravaServerError(
        `Strava answered ${response.status} without JSON (${method} ${target.pathname})`,
        response.status,
      );
    }
    if (!response.ok) {
      // A 429 names no window: the daily one when its usage is at the limit, else the 15-minute one.
      const window = () => exhaustedWindow(observed, true, now) ?? '15min';
      throw toStravaError(response.status, body, observed, now, window);
    }
    return body as T;
  }
}

async function readBody(response: Response, timeoutMs: number, method: string, path: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new StravaTimeoutError(
        `Strava did not answer within ${timeoutMs} ms (${method} ${path})`,
        undefined,
        undefined,
        { cause: error },
      );
    }
    throw new StravaNetworkError(`Strava's answer broke off (${method} ${path})`, undefined, undefined, {
      cause: error,
    });
  }
}

function toTokenSet(body: StravaTokenResponseBody): StravaTokenSet {
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: body.expires_at };
}
