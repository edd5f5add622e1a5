import 'reflect-metadata';
import { Controller, Get, Headers, Module } from '@nestjs/common';
import { AuthModule, CurrentToken, Scopes, type VerifiedToken } from '@runnerly/auth';
import { createFastifyService, PlatformModule, runWithRequestId } from '@runnerly/platform';
import { ServiceClient, ServiceClientError } from '@runnerly/service-client';
import { startRedisCluster, type TestRedisCluster } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeysService } from '../src/keys/keys.service.js';
import { startTokenDealer, type TestTokenDealer } from '../src/testing/index.js';

@Controller()
class CalleeController {
  @Get('runs')
  @Scopes('runs:read')
  runs(@CurrentToken() token: VerifiedToken, @Headers('x-request-id') requestId: string) {
    return { client: token.claims.client_id, jti: token.claims.jti, requestId };
  }

  @Get('admin')
  @Scopes('admin')
  admin() {
    return {};
  }
}

/**
 * The whole trust plane for real: token-dealer, a guarded callee, and the service client between;
 * on one Redis and on a Redis Cluster (3 primaries, 3 replicas: the failure counts' MULTI, the
 * revocation keys and their pub/sub, the key rotation's notices must all work there).
 */
describe.for([
  { redis: 'one Redis', onCluster: false },
  { redis: 'a Redis Cluster', onCluster: true },
])('ServiceClient against the real token-dealer and a guarded callee ($redis)', ({ onCluster }) => {
  let cluster: TestRedisCluster | undefined;
  let dealer: TestTokenDealer;
  let callee: Awaited<ReturnType<typeof createFastifyService>>;
  let calleeUrl: string;
  let secret: string;

  beforeAll(async () => {
    cluster = onCluster ? await startRedisCluster() : undefined;
    dealer = await startTokenDealer(cluster ? { REDIS_URL: cluster.url } : {});
    secret = (await dealer.clients.create('caller', 'runs:read users:read', 'data-service')).client_secret;
    @Module({
      imports: [
        PlatformModule.forRoot({ service: 'callee', logLevel: 'silent' }),
        AuthModule.forRoot({
          issuer: dealer.config.TOKEN_DEALER_ISSUER,
          audience: 'data-service',
          jwksUrl: `${dealer.url}/.well-known/jwks.json`,
          // The same Redis as the token-dealer: that is where revocations are written.
          redisUrl: dealer.redisUrl,
          jwksCooldownMs: 0,
        }),
      ],
      controllers: [CalleeController],
    })
    class CalleeModule {}
    callee = await createFastifyService(CalleeModule, { title: 'callee' });
    await callee.listen(0, '127.0.0.1');
    calleeUrl = (await callee.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await callee?.close();
    await dealer?.close();
    await cluster?.release();
  });

  const client = (overrides: Partial<ConstructorParameters<typeof ServiceClient>[0]> = {}) =>
    new ServiceClient({
      baseUrl: calleeUrl,
      tokenDealerUrl: dealer.url,
      clientId: 'caller',
      clientSecret: secret,
      audience: 'data-service',
      scope: 'runs:read',
      retryBaseDelayMs: 5,
      ...overrides,
    });

  it('calls a guarded endpoint with a token from the token-dealer and passes the request id', async () => {
    const answer = await runWithRequestId('trace-1', () =>
      client().request<{ client: string; requestId: string }>({ method: 'GET', path: '/runs' }),
    );
    expect(answer).toMatchObject({ client: 'caller', requestId: 'trace-1' });
  });

  it('answers a missing scope with a typed 403 carrying the callee body', async () => {
    const error = (await client()
      .request({ method: 'GET', path: '/admin' })
      .catch((e: unknown) => e)) as ServiceClientError;
    expect(error).toBeInstanceOf(ServiceClientError);
    expect(error.status).toBe(403);
    expect(error.body).toMatchObject({ error: 'insufficient_scope' });
  });

  it('recovers from a revoked token by fetching a fresh one, once', async () => {
    const c = client();
    const first = await c.request<{ jti: string }>({ method: 'GET', path: '/runs' });
    // Revoke the cached token the way its holder would.
    const token = await (c as unknown as { tokens: { get(): Promise<string> } }).tokens.get();
    const revoked = await fetch(`${dealer.url}/oauth/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`caller:${secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(revoked.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await c.request<{ jti: string }>({ method: 'GET', path: '/runs' });
    expect(second.jti).not.toBe(first.jti);
  });

  it('keeps working across a signing-key rotation (the guard learns the new kid)', async () => {
    const c = client();
    await c.request({ method: 'GET', path: '/runs' });
    const rotated = await dealer.app.get(KeysService).rotate(true);
    const jwks = (await (await fetch(`${dealer.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(jwks.keys.map((key) => key.kid)).toContain(rotated.kid);
    expect(jwks.keys.length).toBeGreaterThan(1);
    // A new client gets a token signed by the new key; the old client's token still verifies.
    await expect(client().request({ method: 'GET', path: '/runs' })).resolves.toMatchObject({ client: 'caller' });
    await expect(c.request({ method: 'GET', path: '/runs' })).resolves.toMatchObject({ client: 'caller' });
  });

  it('reports a rotated secret as a token error', async () => {
    const stale = client();
    await dealer.clients.rotateSecret('caller');
    const error = (await stale
      .request({ method: 'GET', path: '/runs' })
      .catch((e: unknown) => e)) as ServiceClientError;
    expect(error).toMatchObject({ kind: 'token', status: 401, code: 'invalid_client' });
  });
});
