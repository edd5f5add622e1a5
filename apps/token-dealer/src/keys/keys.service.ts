import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { KeyCipher } from './key-cipher.js';
import type { KeysRepository } from './keys.repository.js';
import type { SigningKeyEntity } from './signing-key.entity.js';

/** ES256: measured fastest to sign with jsonwebtoken (see bench/token-dealer.bench.ts notes). */
export const SIGNING_ALGORITHM = 'ES256';

export interface KeysServiceOptions {
  tokenTtlSeconds: number;
  /** A new key every this many days (0: only by command). */
  rotationDays: number;
  /** A new key is published this long before it signs. */
  publishLeadSeconds: number;
}

export interface PublicJwk {
  kid: string;
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  alg: string;
  use: 'sig';
}

interface LoadedKey {
  kid: string;
  activatesAt: number;
  retiresAt: number | null;
  jwk: PublicJwk;
  publicKey: KeyObject;
  privateKey?: KeyObject;
}

/** Seconds beyond a token's lifetime a retired key stays published (clock skew, caches). */
const PUBLICATION_MARGIN_SECONDS = 120;

/**
 * The signing keys: generated on first start, private halves encrypted at rest, published with
 * overlap. A new key is published `publishLeadSeconds` before it signs; the key it replaces stops
 * signing then and stays in the JWKS until the last token it signed has expired.
 */
export class KeysService {
  private keys: LoadedKey[] = [];
  private jwksCache: { body: { keys: PublicJwk[] }; until: number } | undefined;

  constructor(
    private readonly repository: KeysRepository,
    private readonly cipher: KeyCipher | undefined,
    private readonly options: KeysServiceOptions,
  ) {}

  /** Makes sure a key can sign now (first start), rotates when the schedule says so, and loads the keys. */
  async initialize(): Promise<void> {
    await this.repository.withLock(async (tx) => {
      const all = await tx.findAll();
      const now = Date.now();
      const signing = all.filter(
        (key) => key.activatesAt.getTime() <= now && (key.retiresAt === null || key.retiresAt.getTime() > now),
      );
      if (signing.length === 0) await this.insertKey(tx, new Date(now));
    });
    await this.rotateIfDue();
    await this.reload();
  }

  /** Publishes a new key that signs after the lead time (`immediately`: now). Returns its kid. */
  async rotate(immediately = false): Promise<{ kid: string; activatesAt: Date }> {
    const result = await this.repository.withLock(async (tx) => {
      const activatesAt = new Date(Date.now() + (immediately ? 0 : this.options.publishLeadSeconds * 1000));
      await tx.retireSigningKeys(activatesAt);
      const kid = await this.insertKey(tx, activatesAt);
      return { kid, activatesAt };
    });
    await this.reload();
    return result;
  }

  /**
   * A leaked key: deleted (gone from the JWKS at the next reload, which a revocation message
   * triggers at once in every instance), and, when no other key can sign now, a new one made that
   * signs at once. Returns the kid that signs now, or undefined when `kid` is not a key.
   */
  async revoke(kid: string): Promise<{ signingKid: string; created: boolean } | undefined> {
    const result = await this.repository.withLock(async (tx) => {
      if (!(await tx.delete(kid))) return undefined;
      const now = Date.now();
      const signing = (await tx.findAll()).filter(
        (key) => key.activatesAt.getTime() <= now && (key.retiresAt === null || key.retiresAt.getTime() > now),
      );
      if (signing.length > 0) return { signingKid: signing.at(-1)!.kid, created: false };
      return { signingKid: await this.insertKey(tx, new Date(now)), created: true };
    });
    await this.reload();
    return result;
  }

  /** Scheduled rotation: when the newest key is older than the rotation period. */
  async rotateIfDue(): Promise<boolean> {
    if (this.options.rotationDays <= 0) return false;
    const periodMs = this.options.rotationDays * 86_400_000;
    return this.repository
      .withLock(async (tx) => {
        const newest = (await tx.findAll()).at(-1);
        if (newest !== undefined && Date.now() - newest.activatesAt.getTime() < periodMs) return false;
        const activatesAt = new Date(Date.now() + this.options.publishLeadSeconds * 1000);
        await tx.retireSigningKeys(activatesAt);
        await this.insertKey(tx, activatesAt);
        return true;
      })
      .then(async (rotated) => {
        if (rotated) await this.reload();
        return rotated;
      });
  }

  /** Reads the keys again (other instances and the command line may have rotated). */
  async reload(): Promise<void> {
    const now = Date.now();
    const loaded: LoadedKey[] = [];
    for (const row of await this.repository.findAll()) {
      if (!this.isPublished(row, now)) continue;
      const key: LoadedKey = {
        kid: row.kid,
        activatesAt: row.activatesAt.getTime(),
        retiresAt: row.retiresAt?.getTime() ?? null,
        jwk: row.publicJwk as unknown as PublicJwk,
        publicKey: createPublicKey({ key: row.publicJwk as never, format: 'jwk' }),
      };
      const mayStillSign = key.retiresAt === null || key.retiresAt > now;
      if (mayStillSign && this.cipher !== undefined) {
        key.privateKey = createPrivateKey({
          key: this.cipher.decrypt(row.privateKeyEncrypted, row.kid),
          format: 'der',
          type: 'pkcs8',
        });
      }
      loaded.push(key);
    }
    this.keys = loaded;
    this.jwksCache = undefined;
  }

  /** The key that signs now: the newest active one. */
  signingKey(): { kid: string; privateKey: KeyObject } {
    const now = Date.now();
    let chosen: LoadedKey | undefined;
    for (const key of this.keys) {
      if (key.privateKey === undefined || key.activatesAt > now || (key.retiresAt !== null && key.retiresAt <= now))
        continue;
      if (chosen === undefined || key.activatesAt > chosen.activatesAt) chosen = key;
    }
    if (chosen === undefined) throw new Error('no signing key is active');
    return { kid: chosen.kid, privateKey: chosen.privateKey! };
  }

  /** A published public key by kid (for introspection and revocation). */
  publicKey(kid: string): KeyObject | undefined {
    return this.keys.find((key) => key.kid === kid)?.publicKey;
  }

  /** The JWKS: every key that signs, will sign, or signed tokens that may still be valid. */
  jwks(): { keys: PublicJwk[] } {
    const now = Date.now();
    if (this.jwksCache !== undefined && this.jwksCache.until > now) return this.jwksCache.body;
    const body = {
      keys: this.keys
        .filter((key) => key.retiresAt === null || this.publishedUntil(key.retiresAt) > now)
        .map((key) => key.jwk),
    };
    this.jwksCache = { body, until: now + 5000 };
    return body;
  }

  private isPublished(row: SigningKeyEntity, now: number): boolean {
    return row.retiresAt === null || this.publishedUntil(row.retiresAt.getTime()) > now;
  }

  private publishedUntil(retiresAt: number): number {
    return retiresAt + (this.options.tokenTtlSeconds + PUBLICATION_MARGIN_SECONDS) * 1000;
  }

  private async insertKey(
    tx: { insert(key: Omit<SigningKeyEntity, 'createdAt'>): Promise<void> },
    activatesAt: Date,
  ): Promise<string> {
    if (this.cipher === undefined)
      throw new Error('TOKEN_DEALER_KEY_ENCRYPTION_KEY is required to create signing keys');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const exported = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
    const kid = jwkThumbprint(exported);
    const jwk: PublicJwk = {
      kty: exported.kty,
      crv: exported.crv,
      x: exported.x,
      y: exported.y,
      kid,
      alg: SIGNING_ALGORITHM,
      use: 'sig',
    };
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    await tx.insert({
      kid,
      alg: SIGNING_ALGORITHM,
      publicJwk: jwk as unknown as Record<string, unknown>,
      privateKeyEncrypted: this.cipher.encrypt(der, kid),
      activatesAt,
      retiresAt: null,
    });
    return kid;
  }
}

/** RFC 7638 JWK thumbprint of an EC public key: a kid derived from the key itself. */
function jwkThumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}
