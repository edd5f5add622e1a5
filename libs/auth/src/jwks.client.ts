import { createPublicKey, type KeyObject } from 'node:crypto';

export interface Jwk {
  kid?: string;
  kty?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

export interface JwksClientOptions {
  jwksUrl: string;
  cooldownMs: number;
  maxAgeMs: number;
  timeoutMs?: number;
}

/**
 * The issuer's public keys by `kid`. Fetched once, refreshed when older than `maxAgeMs`, and
 * refetched when a token names a `kid` we do not know (a rotation) — at most once per cool-down,
 * so that garbage `kid`s cannot turn us into a load generator against the issuer.
 */
export class JwksClient {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private lastAttemptAt = 0;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: JwksClientOptions) {}

  async getKey(kid: string): Promise<KeyObject | undefined> {
    const now = Date.now();
    const stale = now - this.fetchedAt > this.options.maxAgeMs;
    if (this.keys.has(kid) && !stale) return this.keys.get(kid);
    if (stale || now - this.lastAttemptAt >= this.options.cooldownMs) {
      try {
        await this.refresh();
      } catch (error) {
        // Keep serving the keys we have when the issuer is briefly away.
        if (this.keys.size === 0) throw error;
      }
    }
    return this.keys.get(kid);
  }

  /** Fetches the JWKS now (single flight). */
  refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  get size(): number {
    return this.keys.size;
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttemptAt = Date.now();
    const response = await fetch(this.options.jwksUrl, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000) });
    if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
    const body = (await response.json()) as { keys?: Jwk[] };
    if (!Array.isArray(body.keys)) throw new Error('JWKS without keys');
    const keys = new Map<string, KeyObject>();
    for (const jwk of body.keys) {
      if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: jwk as never, format: 'jwk' }));
      } catch {
        // Skip keys we cannot use rather than failing the whole set.
      }
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}
