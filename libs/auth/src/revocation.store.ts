import { createRedisClient, createSubscriberConnection, type RedisClient } from '@runnerly/platform';
import type { Redis } from 'ioredis';

/** Redis keys shared by the token-dealer (writer) and every guard (reader). */
export const REVOCATION_KEY_PREFIX = 'runnerly:auth:revoked:';
export const REVOCATION_CHANNEL = 'runnerly:auth:revocations';
export const revokedJtiKey = (jti: string) => `${REVOCATION_KEY_PREFIX}jti:${jti}`;
export const revokedClientKey = (clientId: string) => `${REVOCATION_KEY_PREFIX}client:${clientId}`;
export const revokedKidKey = (kid: string) => `${REVOCATION_KEY_PREFIX}kid:${kid}`;

export interface RevocableClaims {
  jti?: string;
  client_id?: string;
  sub?: string;
  iat?: number;
  /** The signing key's id (the token's header `kid`). */
  kid?: string;
}

/**
 * The revocation list: single token ids (`jti`, kept until the token would have expired anyway),
 * whole clients (every token issued up to a moment: the client was deleted or its secret rotated)
 * and signing keys (`kid`: a leaked key, every token it signed).
 *
 * The list lives in Redis; each revocation is also published, so that a guard that `watch()`es
 * keeps a local mirror and answers for tokens it has already checked without a Redis round trip.
 * A mirror is only trusted while its subscription is up: every (re)subscription starts a new
 * `generation`, and what was checked in an earlier generation is checked against Redis again.
 */
export class RevocationStore {
  private subscriber: Redis | undefined;
  private readonly jtis = new Map<string, number>();
  private readonly clients = new Map<string, { at: number; until: number }>();
  private readonly kids = new Map<string, number>();
  private readonly keyListeners: Array<(kid: string) => void> = [];
  private pruneTimer: NodeJS.Timeout | undefined;
  private liveGeneration = 0;
  private live = false;

  private closed = false;

  constructor(private readonly redis: RedisClient) {}

  static connect(url: string): RevocationStore {
    const redis = createRedisClient(url, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
    // An outage shows as failed lookups (503 from the guard) and in readiness, not as unhandled events.
    redis.on('error', () => undefined);
    return new RevocationStore(redis);
  }

  /** Revokes one token until its expiry (`exp`, epoch seconds). */
  async revokeToken(jti: string, exp: number): Promise<void> {
    const ttlMs = Math.max(1000, exp * 1000 - Date.now() + 60_000);
    await this.redis.set(revokedJtiKey(jti), '1', 'PX', ttlMs);
    await this.redis.publish(REVOCATION_CHANNEL, JSON.stringify({ jti, until: Date.now() + ttlMs }));
  }

  /** Revokes every token of a client issued at or before `at` (epoch seconds), for `ttlSeconds`. */
  async revokeClient(clientId: string, ttlSeconds: number, at = Math.floor(Date.now() / 1000)): Promise<void> {
    const ttl = Math.max(1, ttlSeconds + 60);
    await this.redis.set(revokedClientKey(clientId), String(at), 'EX', ttl);
    await this.redis.publish(
      REVOCATION_CHANNEL,
      JSON.stringify({ client: clientId, at, until: Date.now() + ttl * 1000 }),
    );
  }

  /** Revokes a signing key (leaked): every token it signed is refused, for `ttlSeconds` (its tokens' lifetime). */
  async revokeKey(kid: string, ttlSeconds: number): Promise<void> {
    const ttl = Math.max(1, ttlSeconds + 60);
    await this.redis.set(revokedKidKey(kid), '1', 'EX', ttl);
    await this.redis.publish(REVOCATION_CHANNEL, JSON.stringify({ kid, until: Date.now() + ttl * 1000 }));
  }

  /** Called with each signing key revoked while `watch()`ing (e.g. to drop it from a JWKS cache). */
  onKeyRevoked(listener: (kid: string) => void): void {
    this.keyListeners.push(listener);
  }

  /** Whether this token's id, its signing key, or its client as of the token's `iat`, is revoked: asks Redis. */
  async isRevoked(claims: RevocableClaims): Promise<boolean> {
    const clientId = claims.client_id ?? claims.sub ?? '';
    // Three GETs, not one MGET: the keys lie on different slots of a cluster. Auto-pipelined, they
    // still make one round trip to one server.
    const [jti, client, kid] = await Promise.all([
      this.redis.get(revokedJtiKey(claims.jti ?? '')),
      this.redis.get(revokedClientKey(clientId)),
      this.redis.get(revokedKidKey(claims.kid ?? '')),
    ]);
    if (jti !== null || (claims.kid !== undefined && kid !== null)) return true;
    return client !== null && (claims.iat ?? 0) <= Number(client);
  }

  /** The current mirror generation, or undefined while the mirror cannot be trusted. */
  get generation(): number | undefined {
    return this.live ? this.liveGeneration : undefined;
  }

  /** Answers from the local mirror (only meaningful while `generation` is defined). */
  isRevokedLocally(claims: RevocableClaims): boolean {
    if (claims.jti !== undefined && this.jtis.has(claims.jti)) return true;
    if (claims.kid !== undefined && this.kids.has(claims.kid)) return true;
    const client = this.clients.get(claims.client_id ?? claims.sub ?? '');
    return client !== undefined && (claims.iat ?? 0) <= client.at;
  }

  /** Whether a signing key is known revoked from the local mirror (a hint: `isRevoked` is the authority). */
  isKeyRevokedLocally(kid: string): boolean {
    return this.kids.has(kid);
  }

  /** Starts mirroring revocations published by the token-dealer (does not wait for Redis). */
  watch(): void {
    if (this.pruneTimer !== undefined || this.closed) return;
    this.subscribe();
    this.pruneTimer = setInterval(() => this.prune(), 60_000);
    this.pruneTimer.unref();
  }

  /**
   * Opens the subscription. On a cluster its connection ends when its node is gone for good (a
   * failover): the next one, on another node, starts a new generation like any resubscription.
   */
  private subscribe(): void {
    if (this.closed) return;
    const subscriber = createSubscriberConnection(this.redis, {
      autoResubscribe: false,
      enableAutoPipelining: false,
      maxRetriesPerRequest: null,
    });
    if (subscriber === undefined) {
      setTimeout(() => this.subscribe(), 200).unref();
      return;
    }
    this.subscriber = subscriber;
    subscriber.once('end', () => {
      this.live = false;
      setTimeout(() => this.subscribe(), 200).unref();
    });
    subscriber.on('message', (_channel: string, message: string) => this.apply(message));
    subscriber.on('close', () => {
      this.live = false;
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(REVOCATION_CHANNEL).then(
        () => {
          this.liveGeneration += 1;
          this.live = true;
        },
        () => undefined,
      );
    });
    subscriber.on('error', () => undefined);
  }

  ping(): Promise<string> {
    return this.redis.ping();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.pruneTimer);
    this.live = false;
    this.subscriber?.disconnect();
    this.redis.disconnect();
  }

  private apply(message: string): void {
    try {
      const event = JSON.parse(message) as { jti?: string; client?: string; kid?: string; at?: number; until: number };
      if (typeof event.jti === 'string') this.jtis.set(event.jti, event.until);
      if (typeof event.kid === 'string') {
        this.kids.set(event.kid, event.until);
        for (const listener of this.keyListeners) listener(event.kid);
      }
      if (typeof event.client === 'string' && typeof event.at === 'number') {
        const previous = this.clients.get(event.client);
        this.clients.set(event.client, { at: Math.max(event.at, previous?.at ?? 0), until: event.until });
      }
    } catch {
      // Not ours: ignore.
    }
  }

  private prune(): void {
    const now = Date.now();
    for (const [jti, until] of this.jtis) if (until < now) this.jtis.delete(jti);
    for (const [kid, until] of this.kids) if (until < now) this.kids.delete(kid);
    for (const [client, { until }] of this.clients) if (until < now) this.clients.delete(client);
  }
}
