import 'reflect-metadata';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import { createFastifyService, PlatformModule } from '@runnerly/platform';
import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthModule, CurrentToken, Public, RevocationStore, Scopes, type VerifiedToken } from '../src/index.js';
import { createTestIssuer, type TestIssuer } from '../src/testing/index.js';

@Controller()
class ProbeController {
  @Get('runs')
  @Scopes('runs:read')
  runs(@CurrentToken() token: VerifiedToken) {
    return { client: token.claims.client_id };
  }

  @Get('any')
  any() {
    return { ok: true };
  }

  @Get('open')
  @Public()
  open() {
    return { open: true };
  }
}

function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

describe('AuthModule guard', () => {
  let issuer: TestIssuer;
  let redis: TestRedis;
  let revocations: RevocationStore;
  let app: Awaited<ReturnType<typeof createFastifyService>>;
  let baseUrl: string;

  beforeAll(async () => {
    [issuer, redis] = await Promise.all([createTestIssuer(), leaseTestRedis()]);
    @Module({
      imports: [
        PlatformModule.forRoot({ service: 'auth-test', logLevel: 'silent' }),
        AuthModule.forRoot({
          issuer: issuer.issuer,
          audience: 'data-service',
          jwksUrl: issuer.jwksUrl,
          redisUrl: redis.url,
          jwksCooldownMs: 200,
        }),
      ],
      controllers: [ProbeController],
    })
    class TestModule {}
    app = await createFastifyService(TestModule, { title: 'auth-test' }, { abortOnError: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    revocations = RevocationStore.connect(redis.url);
  });
  afterAll(async () => {
    revocations.close();
    await app.close();
    await Promise.all([issuer.close(), redis.release()]);
  });

  const call = (path: string, token?: string) =>
    fetch(`${baseUrl}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

  async function expectInvalid(token: string, reason: RegExp) {
    const response = await call('/runs', token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="data-service", error="invalid_token"/);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_token');
    expect(body.message).toMatch(reason);
  }

  it('lets a valid token with the scope through and exposes its claims', async () => {
    const response = await call('/runs', issuer.sign({ scope: 'runs:read users:read', client_id: 'dashboard' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ client: 'dashboard' });
  });

  it('answers 401 without a token, 403 insufficient_scope without the scope', async () => {
    const missing = await call('/runs');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="data-service"');
    expect(await missing.json()).toMatchObject({ error: 'missing_token' });

    const forbidden = await call('/runs', issuer.sign({ scope: 'users:read' }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="runs:read"');
    expect(await forbidden.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('keeps public routes and health open, and guards routes without @Scopes', async () => {
    expect((await call('/open')).status).toBe(200);
    expect((await call('/health/live')).status).toBe(200);
    expect((await call('/any')).status).toBe(401);
    expect((await call('/any', issuer.sign({ scope: '' }))).status).toBe(200);
  });

  it('refuses alg none', async () => {
    const unsigned = issuer.sign({ scope: 'runs:read' }).split('.');
    const header = b64url(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: issuer.kid }));
    await expectInvalid(`${header}.${unsigned[1]}.`, /algorithm none/);
  });

  it('refuses HS256 signed with the public key', async () => {
    const genuine = issuer.sign({ scope: 'runs:read' }).split('.');
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: issuer.kid }));
    const publicPem = issuer.publicKey.export({ format: 'pem', type: 'spki' });
    const signature = createHmac('sha256', publicPem).update(`${header}.${genuine[1]}`).digest('base64url');
    await expectInvalid(`${header}.${genuine[1]}.${signature}`, /algorithm HS256/);
  });

  it('refuses a wrong audience, a wrong issuer, an expired token and a not-yet-valid one', async () => {
    await expectInvalid(issuer.sign({ scope: 'runs:read', aud: 'other-service' }), /audience/);
    await expectInvalid(issuer.sign({ scope: 'runs:read', iss: 'http://evil.example' }), /issuer/);
    await expectInvalid(issuer.sign({ scope: 'runs:read' }, { expiresIn: -60 }), /expired/);
    await expectInvalid(issuer.sign({ scope: 'runs:read' }, { notBefore: 120 }), /not yet valid/);
  });

  it('refuses a tampered payload and a token of another type', async () => {
    const [header, payload, signature] = issuer.sign({ scope: 'users:read' }).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = b64url(JSON.stringify({ ...claims, scope: 'runs:read' }));
    await expectInvalid(`${header}.${tampered}.${signature}`, /signature/);
    await expectInvalid(issuer.sign({ scope: 'runs:read' }, { header: { typ: 'JWT' } }), /typ/);
  });

  it('refuses an unknown kid and a key the issuer never published', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expectInvalid(
      issuer.sign({ scope: 'runs:read' }, { privateKey, header: { kid: 'forged' } }),
      /unknown signing key/,
    );
    await expectInvalid(issuer.sign({ scope: 'runs:read' }, { privateKey }), /signature/);
  });

  it('picks up a rotated key by refetching the JWKS (with a cool-down)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const rotated = issuer.addKey();
    const token = issuer.sign({ scope: 'runs:read' }, { privateKey: rotated.privateKey, header: { kid: rotated.kid } });
    expect((await call('/runs', token)).status).toBe(200);
    const fetches = issuer.jwksFetches;
    // Unknown kids inside the cool-down do not hammer the issuer.
    await call('/runs', issuer.sign({ scope: 'runs:read' }, { header: { kid: 'nope-1' } }));
    await call('/runs', issuer.sign({ scope: 'runs:read' }, { header: { kid: 'nope-2' } }));
    expect(issuer.jwksFetches).toBeLessThanOrEqual(fetches + 1);
  });

  it('refuses a revoked jti and the tokens of a deleted client, even once cached', async () => {
    // Never seen before: checked against Redis.
    const fresh = issuer.sign({ scope: 'runs:read', jti: 'revoked-before-use' });
    await revocations.revokeToken('revoked-before-use', Math.floor(Date.now() / 1000) + 300);
    await expectInvalid(fresh, /revoked/);

    // Already verified and cached: the published revocation reaches the guard's mirror.
    const token = issuer.sign({ scope: 'runs:read', jti: 'jti-to-revoke' });
    expect((await call('/runs', token)).status).toBe(200);
    await revocations.revokeToken('jti-to-revoke', Math.floor(Date.now() / 1000) + 300);
    await expect.poll(async () => (await call('/runs', token)).status, { timeout: 2000, interval: 20 }).toBe(401);
    await expectInvalid(token, /revoked/);

    const clientToken = issuer.sign({ scope: 'runs:read', client_id: 'deleted-client' });
    expect((await call('/runs', clientToken)).status).toBe(200);
    await revocations.revokeClient('deleted-client', 900);
    await expect.poll(async () => (await call('/runs', clientToken)).status, { timeout: 2000, interval: 20 }).toBe(401);
    await expectInvalid(clientToken, /revoked/);
    // Tokens the client gets afterwards (re-created under the same id) are not affected.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call('/runs', issuer.sign({ scope: 'runs:read', client_id: 'deleted-client' }))).status).toBe(200);
  });
});
