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
  /** Bound on one fetch. Default 3 s. */
  timeoutMs?: number;
  /** How long a request with an unknown `kid` waits for the refresh it triggers. Default 1 s. */
  unknownKidWaitMs?: number;
}

/**
 * The issuer's public keys by `kid`. Fetched once (the first request waits for it, up to the fetch
 * timeout); afterwards a JWKS older than `maxAgeMs` is still served while a refresh runs in the
 * background, so that no request waits on a slow or hung issuer. A `kid` we do not know (a
 * rotation) triggers a refresh at most once per cool-down, so that garbage `kid`s cannot turn us into
 * a load generator against the issuer, and waits for it at most `unknownKidWaitMs`.
 */
export class JwksClient {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private lastAttemptAt = 0;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: JwksClientOptions) {}

  async getKey(kid: string): Promise<KeyObject | undefined> {
    const now = Date.now();
    if (this.fetchedAt === 0) {
      // Nothing to serve yet: wait for the first fetch (bounded by the fetch timeout).
      await this.refresh();
      return this.keys.get(kid);
    }
    const known = this.keys.get(kid);
    if (known !== undefined) {
      this.refreshIfStale();
      return known;
    }
    if (now - this.lastAttemptAt >= this.options.cooldownMs) {
      const wait = this.options.unknownKidWaitMs ?? 1000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.refresh().catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, wait);
        }),
      ]);
      clearTimeout(timer);
    }
    return this.keys.get(kid);
  }

  /** Starts a background refresh when the keys are older than `maxAgeMs` (never waits). */
  refreshIfStale(): void {
    const now = Date.now();
    if (this.fetchedAt === 0 || now - this.fetchedAt <= this.options.maxAgeMs) return;
    if (now - this.lastAttemptAt < this.options.cooldownMs) return;
    // Keep serving the keys we have when the issuer is briefly away.
    this.refresh().catch(() => undefined);
  }

  /** Whether `kid` is in the last JWKS fetched (always true before the first fetch: nothing known yet). */
  has(kid: string): boolean {
    return this.fetchedAt === 0 || this.keys.has(kid);
  }

  /**
   * Drops a key at once (revoked), without waiting for the issuer's JWKS to say so, and lets the
   * next unknown `kid` (the key the issuer made to replace it) be fetched without the cool-down.
   */
  forget(kid: string): void {
    this.keys.delete(kid);
    this.lastAttemptAt = 0;
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
