import 'reflect-metadata';
import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '@runnerly/platform';
import { AUTH_REQUEST_KEY, PUBLIC_KEY, SCOPES_KEY } from './auth.decorators.js';
import { AuthException, InvalidTokenError } from './auth.exception.js';
import { AUTH_OPTIONS, type AuthOptions, DEFAULT_PUBLIC_PATH_PREFIXES } from './auth.options.js';
import { TokenVerifier, type VerifiedToken } from './token-verifier.js';

interface HttpRequest {
  url?: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  [AUTH_REQUEST_KEY]?: unknown;
}

/**
 * The handler's metadata, else its controller's (what Reflector.getAllAndOverride does). Read
 * directly so that this library does not bind its own copy of @nestjs/core: pnpm may resolve
 * several peer variants of it in one workspace, and a foreign Reflector class cannot be injected.
 */
function metadata<T>(key: string, handler: object, controller: object): T | undefined {
  return (
    (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined)
  );
}

interface RouteAccess {
  public: boolean;
  scopes: readonly string[];
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

const FAILURE_REASONS: Array<[RegExp, string]> = [
  [/revoked/, 'revoked'],
  [/lifetime/, 'lifetime'],
  [/expired|not active/, 'expired'],
  [/audience/, 'audience'],
  [/issuer/, 'issuer'],
  [/algorithm/, 'algorithm'],
  [/signature/, 'signature'],
  [/key/, 'unknown_key'],
  [/typ must be/, 'type'],
];

/** A bounded label for why a token was refused (the messages themselves vary). */
export function failureReason(message: string): string {
  return FAILURE_REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'malformed';
}

/**
 * The global guard of a resource service: every route needs a valid access token for this
 * service's audience, plus the scopes named by `@Scopes(...)`, unless it is `@Public()`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly publicPrefixes: string[];
  private readonly realm: string;

  constructor(
    private readonly verifier: TokenVerifier,
    @Inject(AUTH_OPTIONS) options: AuthOptions,
    @Optional() metrics?: MetricsService,
  ) {
    this.publicPrefixes = options.publicPathPrefixes ?? DEFAULT_PUBLIC_PATH_PREFIXES;
    this.realm = options.audience;
    this.failures = metrics?.counter({
      name: 'jwt_verification_failures_total',
      help: 'Requests refused by the JWT guard, by reason',
      labelNames: ['reason'],
    });
  }

  private readonly failures?: ReturnType<MetricsService['counter']>;
  /** Per route handler (a bounded set: the app's own methods). */
  private readonly routes = new WeakMap<object, RouteAccess>();

  private refuse(reason: string, error: Error): never {
    this.failures?.inc({ reason });
    throw error;
  }

  /** Synchronous when the token was verified before (see TokenVerifier.verifyKnown): no promise per request. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.routeAccess(context.getHandler(), context.getClass());
    if (route.public) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    // The URL, query included, starts with a prefix (which has no `?`) exactly when its path does.
    const url = request.originalUrl ?? request.url ?? '';
    if (this.publicPrefixes.some((prefix) => url.startsWith(prefix))) return true;

    const header = request.headers.authorization;
    if (header === undefined || header === '') this.refuse('missing_token', AuthException.missingToken(this.realm));
    const token = this.bearerToken(header);
    let known: VerifiedToken | undefined;
    try {
      known = this.verifier.verifyKnown(token);
    } catch (error) {
      this.refuseUnverified(error);
    }
    if (known !== undefined) return this.authorize(request, known, route.scopes);
    return this.verifier.verify(token).then(
      (verified) => this.authorize(request, verified, route.scopes),
      (error: unknown) => this.refuseUnverified(error),
    );
  }

  /** The token of a Bearer header. One verified before skips the pattern: it matched it as it is. */
  private bearerToken(header: string | string[]): string {
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      const token = header.slice(7);
      if (this.verifier.remembers(token)) return token;
    }
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (match === null) {
      this.refuse(
        'malformed',
        AuthException.invalidToken(this.realm, 'malformed Authorization header (expected Bearer)'),
      );
    }
    return match[1]!;
  }

  /** The route's `@Public()` and `@Scopes(...)`, read once per handler. */
  private routeAccess(handler: object, controller: object): RouteAccess {
    let access = this.routes.get(handler);
    if (access === undefined) {
      access = {
        public: metadata<boolean>(PUBLIC_KEY, handler, controller) === true,
        scopes: metadata<string[]>(SCOPES_KEY, handler, controller) ?? [],
      };
      this.routes.set(handler, access);
    }
    return access;
  }

  private authorize(request: HttpRequest, verified: VerifiedToken, required: readonly string[]): true {
    request[AUTH_REQUEST_KEY] = verified;
    const missing = required.filter((scope) => !verified.scopes.has(scope));
    if (missing.length > 0) this.refuse('insufficient_scope', AuthException.insufficientScope(this.realm, missing));
    return true;
  }

  private refuseUnverified(error: unknown): never {
    if (error instanceof InvalidTokenError) {
      this.refuse(failureReason(error.message), AuthException.invalidToken(this.realm, error.message));
    }
    this.refuse('unavailable', AuthException.unavailable('cannot check the token right now'));
  }
}
