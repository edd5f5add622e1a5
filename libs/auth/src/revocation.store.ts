import { Redis } from 'ioredis';

/** Redis keys shared by the token-dealer (writer) and every guard (reader). */
export const REVOCATION_KEY_PREFIX = 'runnerly:auth:revoked:';
export const revokedJtiKey = (jti: string) => `${REVOCATION_KEY_PREFIX}jti:${jti}`;
export const revokedClientKey = (clientId: string) => `${REVOCATION_KEY_PREFIX}client:${clientId}`;

/**
 * The revocation list: single token ids (`jti`, kept until the token would have expired anyway)
 * and whole clients (every token issued up to a moment, e.g. when the client is deleted).
 */
export class RevocationStore {
  constructor(private readonly redis: Redis) {}

  static connect(url: string): RevocationStore {
    return new RevocationStore(new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 1, lazyConnect: false }));
  }

  /** Revokes one token until its expiry (`exp`, epoch seconds). */
  async revokeToken(jti: string, exp: number): Promise<void> {
    const ttlMs = Math.max(1000, exp * 1000 - Date.now() + 60_000);
    await this.redis.set(revokedJtiKey(jti), '1', 'PX', ttlMs);
  }

  /** Revokes every token of a client issued at or before `at` (epoch seconds), for `ttlSeconds`. */
  async revokeClient(clientId: string, ttlSeconds: number, at = Math.floor(Date.now() / 1000)): Promise<void> {
    await this.redis.set(revokedClientKey(clientId), String(at), 'EX', Math.max(1, ttlSeconds + 60));
  }

  /** Whether this token's id, or its client as of the token's `iat`, is revoked. */
  async isRevoked(claims: { jti?: string; client_id?: string; sub?: string; iat?: number }): Promise<boolean> {
    const clientId = claims.client_id ?? claims.sub ?? '';
    const [jti, client] = await this.redis.mget(revokedJtiKey(claims.jti ?? ''), revokedClientKey(clientId));
    if (jti !== null) return true;
    return client !== null && (claims.iat ?? 0) <= Number(client);
  }

  ping(): Promise<string> {
    return this.redis.ping();
  }

  close(): void {
    this.redis.disconnect();
  }
}
