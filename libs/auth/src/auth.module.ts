import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnModuleDestroy,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { HealthService } from '@runnerly/platform';
import { AuthGuard } from './auth.guard.js';
import { AUTH_OPTIONS, type AuthOptions, DEFAULT_JWKS_MAX_AGE_MS } from './auth.options.js';
import { JwksClient } from './jwks.client.js';
import { RevocationStore } from './revocation.store.js';
import { TokenVerifier } from './token-verifier.js';

const REVOCATION_STORE = Symbol('RevocationStore');
/** @nestjs/core's APP_GUARD token (a plain string), not imported for the reason given in auth.guard.ts. */
const APP_GUARD = 'APP_GUARD';

/**
 * Token checks for a resource service: `AuthModule.forRoot({issuer, audience, jwksUrl, redisUrl})`
 * installs the global guard; handlers say what they need with `@Scopes(...)` or `@Public()`.
 * Revocation is never off: without `redisUrl` (or `introspection`) the module refuses to start, and
 * while Redis cannot be read guarded routes answer 503 and /health/ready is not ready.
 */
@Global()
@Module({})
export class AuthModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly verifier: TokenVerifier,
    @Inject(REVOCATION_STORE) private readonly revocations: RevocationStore | undefined,
    @Optional() private readonly health?: HealthService,
  ) {}

  static forRoot(options: AuthOptions): DynamicModule {
    if (!options.redisUrl && options.introspection === undefined) {
      throw new Error('AuthModule: redisUrl (the revocation store) is required unless introspection is used');
    }
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_OPTIONS, useValue: options },
        {
          provide: REVOCATION_STORE,
          useFactory: () => (options.redisUrl ? RevocationStore.connect(options.redisUrl) : undefined),
        },
        {
          provide: TokenVerifier,
          useFactory: (revocations: RevocationStore | undefined) =>
            new TokenVerifier(
              options,
              new JwksClient({
                jwksUrl: options.jwksUrl,
                cooldownMs: options.jwksCooldownMs ?? 30_000,
                maxAgeMs: options.jwksMaxAgeMs ?? DEFAULT_JWKS_MAX_AGE_MS,
                timeoutMs: options.jwksTimeoutMs,
              }),
              revocations,
            ),
          inject: [REVOCATION_STORE],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenVerifier, AUTH_OPTIONS],
    };
  }

  onModuleInit(): void {
    // Ready when the issuer's keys can be had (fetched at most every few seconds for the probe).
    this.health?.register('token-dealer', async () => {
      if (this.verifier.jwksClient.size === 0) await this.verifier.jwksClient.refresh();
    });
    const revocations = this.revocations;
    if (revocations !== undefined) {
      revocations.watch();
      this.health?.register('redis', () => revocations.ping());
    }
  }

  onModuleDestroy(): void {
    this.revocations?.close();
  }
}
