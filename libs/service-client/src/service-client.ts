import { setTimeout as sleep } from 'node:timers/promises';
import { currentRequestId, REQUEST_ID_HEADER } from '@runnerly/platform/request-context';
import { ServiceClientError } from './service-client.error.js';
import { TokenProvider } from './token-provider.js';

export interface ServiceClientOptions {
  /** The callee, e.g. `http://127.0.0.1:5001`. */
  baseUrl: string;
  tokenDealerUrl: string;
  clientId: string;
  clientSecret: string;
  /** The callee's audience, e.g. `data-service`. */
  audience: string;
  /** Space-separated scopes to ask for; the client's full allowance when omitted. */
  scope?: string;
  /** Per attempt. Default 5000 ms. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests after a connection error, a timeout or a 5xx. Default 2. */
  retries?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 100 ms. */
  retryBaseDelayMs?: number;
  /** Renew the token this long before it expires. Default 30 s. */
  tokenRefreshMarginSeconds?: number;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined | Array<string | number>;

export interface ServiceRequest {
  method: HttpMethod;
  /** Path below baseUrl, starting with `/`; segments from user input must be encoded by the caller. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Safe to repeat after a failure. Default: true for GET, HEAD, PUT and DELETE. */
  idempotent?: boolean;
  headers?: Record<string, string>;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
const MAX_BACKOFF_MS = 2000;

/**
 * What every Runnerly service uses to call another: a bearer token from the token-dealer (cached,
 * shared, refreshed and retried once when the callee answers 401), per-attempt timeouts, backoff
 * retries for idempotent requests, the current request id passed on, and typed errors carrying
 * the callee's error body.
 */
export class ServiceClient {
  private readonly tokens: TokenProvider;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;

  constructor(options: ServiceClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retries = options.retries ?? 2;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.tokens = new TokenProvider({
      tokenDealerUrl: options.tokenDealerUrl.replace(/\/+$/, ''),
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      audience: options.audience,
      scope: options.scope,
      timeoutMs: this.timeoutMs,
      refreshMarginSeconds: options.tokenRefreshMarginSeconds ?? 30,
    });
  }

  async request<T>(request: ServiceRequest): Promise<T> {
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const attempts = idempotent ? this.retries + 1 : 1;
    let refreshedToken = false;
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.withRetries(() => this.tokens.get(), this.retries + 1);
      try {
        return await this.send<T>(request, token);
      } catch (error) {
        if (!(error instanceof ServiceClientError)) throw error;
        // A refused token was never acted upon: drop it and try once more with a fresh one.
        if (error.status === 401 && !refreshedToken) {
          refreshedToken = true;
          this.tokens.invalidate(token);
          attempt -= 1;
          continue;
        }
        if (attempt >= attempts || !isRetryable(error)) throw error;
        await sleep(this.backoff(attempt));
      }
    }
  }

  private async withRetries<T>(fn: () => Promise<T>, attempts: number): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn();
      } catch (error) {
        if (
          attempt >= attempts ||
          !(error instanceof ServiceClientError) ||
          !(error.status === 0 || error.status >= 500)
        )
          throw error;
        await sleep(this.backoff(attempt));
      }
    }
  }

  private backoff(attempt: number): number {
    const delay = Math.min(MAX_BACKOFF_MS, this.retryBaseDelayMs * 2 ** (attempt - 1));
    return delay / 2 + Math.random() * (delay / 2);
  }

  private async send<T>(request: ServiceRequest, token: string): Promise<T> {
    const url = this.url(request);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...request.headers,
      authorization: `Bearer ${token}`,
    };
    const requestId = currentRequestId();
    if (requestId !== undefined) headers[REQUEST_ID_HEADER] = requestId;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const label = `${request.method} ${request.path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ServiceClientError(
        0,
        undefined,
        timedOut ? 'timeout' : 'network',
        `${label}: ${timedOut ? `no answer within ${this.timeoutMs} ms` : 'connection failed'}`,
        {
          cause: error,
        },
      );
    }
    const payload = await readBody(response);
    if (!response.ok) {
      const code = (payload as { error?: unknown } | undefined)?.error;
      throw new ServiceClientError(
        response.status,
        payload,
        'http',
        `${label} answered ${response.status}${typeof code === 'string' ? ` ${code}` : ''}`,
      );
    }
    return payload as T;
  }

  private url(request: ServiceRequest): string {
    const url = new URL(`${this.baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    return url.toString();
  }
}

function isRetryable(error: ServiceClientError): boolean {
  return error.status === 0 || error.status >= 500;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 304) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
