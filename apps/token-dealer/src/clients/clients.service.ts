import type { RevocationStore } from '@runnerly/auth';
import type { ClientEntity } from './client.entity.js';
import { ClientSecretHasher, generateClientSecret } from './client-secret.js';
import { ClientsErrorCode, ClientsException } from './clients.exception.js';
import type { ClientsRepository } from './clients.repository.js';

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** RFC 6749 §3.3 scope-token (and the same alphabet for audiences). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

/** A client as the outside sees it (never its secret hash). */
export interface ClientView {
  client_id: string;
  scope: string;
  audience: string[];
  created_at: string;
  secret_rotated_at: string;
}

/** The secret, shown once: at creation or rotation. */
export interface ClientWithSecret extends ClientView {
  client_secret: string;
}

export interface EnsureResult extends ClientView {
  client_secret?: string;
  created: boolean;
  rotated: boolean;
  updated: boolean;
}

/** Tells running token-dealers that a client changed (they drop it from their cache). */
export interface ClientChangeNotifier {
  clientChanged(id: string): Promise<void>;
}

export interface ClientsServiceOptions {
  /** How long a server remembers a client lookup (0: never). Change notifications cut it short. */
  cacheTtlMs: number;
  /** The longest lifetime of a token: a deleted client's tokens are revoked for that long. */
  tokenTtlSeconds: number;
}

interface CacheEntry {
  client: ClientEntity | null;
  until: number;
}

/** The outcome of a client authentication: the client when the secret is right; whether the id exists. */
export interface Authentication {
  client: ClientEntity | null;
  known: boolean;
}

export function parseScopes(value: string | string[]): string[] {
  const tokens = (Array.isArray(value) ? value.join(' ') : value).split(/\s+/).filter(Boolean);
  return [...new Set(tokens)];
}

/**
 * Client management (command line) and client authentication (token endpoint). Authentication
 * costs the same for unknown clients as for known ones, and compares in constant time.
 */
export class ClientsService {
  private readonly cache = new Map<string, CacheEntry>();
  /** Every client id (a handful of services), so that unknown ids cost no database query. */
  private knownIds: { ids: Set<string>; until: number } | undefined;
  private loadingIds: Promise<void> | undefined;

  constructor(
    private readonly repository: ClientsRepository,
    private readonly hasher: ClientSecretHasher,
    private readonly options: ClientsServiceOptions,
    private readonly revocations: RevocationStore,
    private readonly notifier?: ClientChangeNotifier,
  ) {}

  /**
   * The client if `secret` is its secret. The id is checked (format, then existence in memory)
   * before anything else touches it; unknown ids spend the same keyed hash as known ones.
   */
  async authenticate(id: string, secret: string): Promise<Authentication> {
    // From memory when the id list and the client cache are fresh (no awaits on every token).
    const known = this.knownId(id);
    const remembered = known === false ? null : known === true ? this.cachedClient(id) : undefined;
    const client = remembered !== undefined ? remembered : (await this.exists(id)) ? await this.find(id) : null;
    const valid = this.hasher.verify(secret, client?.secretHash);
    return { client: valid ? client : null, known: client !== null };
  }

  /** Whether a client with this id exists, from the id list in memory: undefined while that list is stale. */
  private knownId(id: string): boolean | undefined {
    if (!CLIENT_ID.test(id)) return false;
    if (this.knownIds === undefined || this.knownIds.until <= Date.now()) return undefined;
    return this.knownIds.ids.has(id);
  }

  /** Whether a client with this id exists (well-formed ids only; the id list is reloaded at most every cache period). */
  async exists(id: string): Promise<boolean> {
    const known = this.knownId(id);
    if (known !== undefined) return known;
    this.loadingIds ??= this.repository
      .findAllIds()
      .then((ids) => {
        this.knownIds = { ids: new Set(ids), until: Date.now() + this.options.cacheTtlMs };
      })
      .finally(() => {
        this.loadingIds = undefined;
      });
    await this.loadingIds;
    return this.knownIds?.ids.has(id) ?? false;
  }

  /** A client from the cache while its entry is fresh (servers only); undefined otherwise. */
  private cachedClient(id: string): ClientEntity | null | undefined {
    if (this.options.cacheTtlMs <= 0) return undefined;
    const cached = this.cache.get(id);
    return cached !== undefined && cached.until > Date.now() ? cached.client : undefined;
  }

  /** A client by id (cached briefly in servers). */
  async find(id: string): Promise<ClientEntity | null> {
    if (this.options.cacheTtlMs <= 0) return this.repository.findById(id);
    const cached = this.cachedClient(id);
    if (cached !== undefined) return cached;
    const now = Date.now();
    const client = await this.repository.findById(id);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { client, until: now + this.options.cacheTtlMs });
    return client;
  }

  forget(id?: string): void {
    this.knownIds = undefined;
    if (id === undefined) this.cache.clear();
    else this.cache.delete(id);
  }

  async create(id: string, scope: string | string[], audience: string | string[]): Promise<ClientWithSecret> {
    const { scopes, audiences } = this.validate(id, scope, audience);
    const secret = generateClientSecret();
    if (!(await this.repository.insert({ id, secretHash: this.hasher.hash(secret), scopes, audiences }))) {
      throw new ClientsException(ClientsErrorCode.ClientExists, `client ${id} already exists`, 409);
    }
    await this.changed(id);
    return { ...toView(await this.mustFind(id)), client_secret: secret };
  }

  async list(): Promise<ClientView[]> {
    return (await this.repository.findAll()).map(toView);
  }

  /**
   * A new secret, and every token issued before it revoked (a rotation is what an operator does
   * when a secret leaked): tokens with `iat` up to the rotation's second are refused by every
   * verifier; the token-dealer issues tokens of the new secret from the next second (see
   * OAuthService.issue).
   */
  async rotateSecret(id: string): Promise<ClientWithSecret> {
    const secret = generateClientSecret();
    if (!(await this.repository.updateSecret(id, this.hasher.hash(secret)))) {
      throw new ClientsException(ClientsErrorCode.ClientNotFound, `no client ${id}`, 404);
    }
    await this.changed(id);
    const rotated = await this.mustFind(id);
    await this.revocations.revokeClient(
      id,
      this.options.tokenTtlSeconds + 120,
      Math.floor(rotated.secretRotatedAt.getTime() / 1000),
    );
    return { ...toView(rotated), client_secret: secret };
  }

  /** Deletes the client and revokes every token it holds. */
  async delete(id: string): Promise<void> {
    await this.mustFind(id);
    // Revoke first: if Redis is unreachable the client stays, rather than leaving valid tokens behind.
    // Servers may still hold the client in their cache for a moment: revoke what they issue meanwhile too.
    const until = Math.ceil((Date.now() + this.options.cacheTtlMs) / 1000) + 1;
    await this.revocations.revokeClient(id, this.options.tokenTtlSeconds + 120, until);
    if (!(await this.repository.delete(id)))
      throw new ClientsException(ClientsErrorCode.ClientNotFound, `no client ${id}`, 404);
    await this.changed(id);
  }

  /**
   * Makes sure the client exists with exactly these scopes and audiences. The secret is printed
   * only when the client is created, or rotated because the caller's `knownSecret` is not (any
   * longer) valid. Without `knownSecret` an existing client keeps its secret.
   */
  async ensure(
    id: string,
    scope: string | string[],
    audience: string | string[],
    knownSecret?: string,
  ): Promise<EnsureResult> {
    const { scopes, audiences } = this.validate(id, scope, audience);
    const existing = await this.repository.findById(id);
    if (existing === null) {
      try {
        return { ...(await this.create(id, scopes, audiences)), created: true, rotated: false, updated: false };
      } catch (error) {
        // Created concurrently by another process: fall through to the checks below.
        if (!(error instanceof ClientsException && error.code === ClientsErrorCode.ClientExists)) throw error;
      }
    }
    const current = await this.mustFind(id);
    const updated = !sameSet(current.scopes, scopes) || !sameSet(current.audiences, audiences);
    if (updated) {
      await this.repository.updateGrants(id, scopes, audiences);
      await this.changed(id);
    }
    if (knownSecret !== undefined && !this.hasher.verify(knownSecret, current.secretHash)) {
      return { ...(await this.rotateSecret(id)), created: false, rotated: true, updated };
    }
    return { ...toView(await this.mustFind(id)), created: false, rotated: false, updated };
  }

  private async mustFind(id: string): Promise<ClientEntity> {
    const client = await this.repository.findById(id);
    if (client === null) throw new ClientsException(ClientsErrorCode.ClientNotFound, `no client ${id}`, 404);
    return client;
  }

  private async changed(id: string): Promise<void> {
    this.forget(id);
    await this.notifier?.clientChanged(id);
  }

  private validate(id: string, scope: string | string[], audience: string | string[]) {
    if (!CLIENT_ID.test(id)) {
      throw new ClientsException(
        ClientsErrorCode.InvalidClientId,
        'client id: 1-100 letters, digits, ".", "_" or "-"',
        400,
      );
    }
    const scopes = parseScopes(scope);
    const audiences = parseScopes(audience);
    if (!scopes.every((token) => SCOPE_TOKEN.test(token)))
      throw new ClientsException(ClientsErrorCode.InvalidScope, 'invalid scope token', 400);
    if (audiences.length === 0 || !audiences.every((token) => SCOPE_TOKEN.test(token))) {
      throw new ClientsException(ClientsErrorCode.InvalidAudience, 'at least one audience is required', 400);
    }
    return { scopes, audiences };
  }
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function toView(client: ClientEntity): ClientView {
  return {
    client_id: client.id,
    scope: client.scopes.join(' '),
    audience: client.audiences,
    created_at: client.createdAt.toISOString(),
    secret_rotated_at: client.secretRotatedAt.toISOString(),
  };
}
