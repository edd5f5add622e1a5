import { ServiceClientError } from './service-client.error.js';

export interface TokenProviderOptions {
  tokenDealerUrl: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  /** Space-separated scopes to ask for; the client's full allowance when omitted. */
  scope?: string;
  timeoutMs: number;
  /** Renew this many seconds before the token expires. */
  refreshMarginSeconds: number;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is not handed out any more. */
  renewAt: number;
}

/**
 * A client-credentials token from the token-dealer, cached until shortly before it expires.
 * Concurrent callers share one token request (single flight).
 */
export class TokenProvider {
  private cached: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(private readonly options: TokenProviderOptions) {}

  async get(): Promise<string> {
    if (this.cached !== undefined && Date.now() < this.cached.renewAt) return this.cached.value;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Drops `token` (the callee refused it) so that the next `get()` fetches a fresh one. */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { tokenDealerUrl, clientId, clientSecret, audience, scope, timeoutMs } = this.options;
    const form = new URLSearchParams({ grant_type: 'client_credentials', audience });
    if (scope) form.set('scope', scope);
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(`${tokenDealerUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ServiceClientError(0, undefined, 'token', `token-dealer unreachable: ${describe(error)}`, {
        cause: error,
      });
    }
    const body = (await response.json().catch(() => undefined)) as
      { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } | undefined;
    if (!response.ok || typeof body?.access_token !== 'string') {
      const reason =
        typeof body?.error === 'string'
          ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`
          : `status ${response.status}`;
      throw new ServiceClientError(response.status, body, 'token', `token-dealer refused a token (${reason})`);
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 60;
    const lifetimeMs = expiresIn * 1000;
    // Renew a margin before expiry, but never later than half-way for very short tokens.
    const margin = Math.min(this.options.refreshMarginSeconds * 1000, lifetimeMs / 2);
    this.cached = { value: body.access_token, renewAt: started + lifetimeMs - margin };
    return body.access_token;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? error.name;
  }
  return String(error);
}
