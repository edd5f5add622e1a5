import jwt from 'jsonwebtoken';
import { TokenVerifier, RevocationStore, InvalidTokenError } from '@runnerly/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenDealer, type TestTokenDealer } from '../src/testing/index.js';

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('token-dealer OAuth endpoints', () => {
  let dealer: TestTokenDealer;
  let secret: string;
  let otherSecret: string;
  let verifier: TokenVerifier;
  let revocations: RevocationStore;

  beforeAll(async () => {
    dealer = await startTokenDealer({
      TOKEN_DEALER_MAX_FAILURES_PER_CLIENT_ADDRESS: '3',
      TOKEN_DEALER_MAX_FAILURES_PER_ADDRESS: '1000',
    });
    secret = (await dealer.clients.create('dashboard', 'users:read users:write runs:read', 'data-service'))
      .client_secret;
    otherSecret = (await dealer.clients.create('worker', 'runs:read runs:write', ['data-service', 'other-service']))
      .client_secret;
    revocations = RevocationStore.connect(dealer.redisUrl);
    verifier = new TokenVerifier(
      { issuer: 'http://token-dealer.test', audience: 'data-service', jwksUrl: `${dealer.url}/.well-known/jwks.json` },
      undefined,
      revocations,
    );
  });
  afterAll(async () => {
    revocations.close();
    await dealer.close();
  });

  const token = (body: Record<string, string>, authorization?: string) =>
    fetch(`${dealer.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
      body: form(body),
    });
  const post = (path: string, body: Record<string, string>, authorization?: string) =>
    fetch(`${dealer.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
      body: form(body),
    });

  it('issues an RFC 9068 token with client_secret_basic that verifies against the JWKS', async () => {
    const response = await token(
      { grant_type: 'client_credentials', scope: 'runs:read', audience: 'data-service' },
      basic('dashboard', secret),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = (await response.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'runs:read' });
    const decoded = jwt.decode(body.access_token, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(decoded.payload).toMatchObject({
      iss: 'http://token-dealer.test',
      sub: 'dashboard',
      client_id: 'dashboard',
      aud: 'data-service',
      scope: 'runs:read',
    });
    const payload = decoded.payload as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.jti).toEqual(expect.any(String));
    const verified = await verifier.verify(body.access_token);
    expect([...verified.scopes]).toEqual(['runs:read']);
  });

  it('accepts client_secret_post and defaults to every allowed scope and the only audience', async () => {
    const response = await token({ grant_type: 'client_credentials', client_id: 'dashboard', client_secret: secret });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ scope: 'users:read users:write runs:read' });
  });

  it('answers RFC 6749 errors', async () => {
    const expectError = async (response: Response, status: number, error: string) => {
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe(error);
      expect(body.error_description).toEqual(expect.any(String));
      return response;
    };
    const unauthenticated = await expectError(await token({ grant_type: 'client_credentials' }), 401, 'invalid_client');
    expect(unauthenticated.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expectError(
      await token({ grant_type: 'password' }, basic('dashboard', secret)),
      400,
      'unsupported_grant_type',
    );
    await expectError(await token({}, basic('dashboard', secret)), 400, 'invalid_request');
    await expectError(
      await token({ grant_type: 'client_credentials', scope: 'runs:write' }, basic('dashboard', secret)),
      400,
      'invalid_scope',
    );
    await expectError(
      await token({ grant_type: 'client_credentials', audience: 'other-service' }, basic('dashboard', secret)),
      400,
      'invalid_target',
    );
    await expectError(
      await token({ grant_type: 'client_credentials' }, basic('worker', otherSecret)),
      400,
      'invalid_target',
    );
    await expectError(
      await token({ grant_type: 'client_credentials', client_secret: secret }, basic('dashboard', secret)),
      400,
      'invalid_request',
    );
    const repeated = await fetch(`${dealer.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('dashboard', secret) },
      body: 'grant_type=client_credentials&scope=runs:read&scope=users:read',
    });
    await expectError(repeated, 400, 'invalid_request');
    await expectError(
      await token({ grant_type: 'client_credentials' }, basic('nobody', secret)),
      401,
      'invalid_client',
    );
  });

  it('throttles wrong secrets after repeated failures, but still takes the right secret', async () => {
    const victim = await dealer.clients.create('victim', 'runs:read', 'data-service');
    for (let i = 0; i < 3; i += 1)
      expect((await token({ grant_type: 'client_credentials' }, basic('victim', 'wrong'))).status).toBe(401);
    const throttled = await token({ grant_type: 'client_credentials' }, basic('victim', 'wrong'));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // No lockout: the right secret passes from the very address that failed.
    expect((await token({ grant_type: 'client_credentials' }, basic('victim', victim.client_secret))).status).toBe(200);
    const metrics = await (await fetch(`${dealer.operatorUrl}/metrics`)).text();
    expect(metrics).toMatch(/token_dealer_auth_failures_total\{reason="bad_credentials"\} \d+/);
    expect(metrics).toMatch(/token_dealer_auth_failures_total\{reason="throttled"\} \d+/);
    expect(metrics).toMatch(/token_dealer_tokens_issued_total\{client_id="dashboard",audience="data-service"\} \d+/);
  });

  it('introspects: active for the holder and for the audience, inactive once revoked (RFC 7662, RFC 7009)', async () => {
    const issued = (await (
      await token({ grant_type: 'client_credentials', audience: 'data-service' }, basic('worker', otherSecret))
    ).json()) as {
      access_token: string;
    };
    const introspect = async (as: string, withSecret: string) =>
      (await (await post('/oauth/introspect', { token: issued.access_token }, basic(as, withSecret))).json()) as {
        active: boolean;
        client_id?: string;
      };
    expect(await introspect('worker', otherSecret)).toMatchObject({
      active: true,
      client_id: 'worker',
      scope: 'runs:read runs:write',
    });
    // RFC 7662 §4: introspection answers are not to be cached.
    const answer = await post('/oauth/introspect', { token: issued.access_token }, basic('worker', otherSecret));
    expect([answer.headers.get('cache-control'), answer.headers.get('pragma')]).toEqual(['no-store', 'no-cache']);
    // Another client that is neither holder nor audience learns nothing.
    expect(await introspect('dashboard', secret)).toEqual({ active: false });
    expect(
      await post('/oauth/introspect', { token: 'garbage' }, basic('worker', otherSecret)).then((r) => r.json()),
    ).toEqual({ active: false });

    // Only the holder may revoke it.
    expect((await post('/oauth/revoke', { token: issued.access_token }, basic('dashboard', secret))).status).toBe(400);
    expect((await verifier.verify(issued.access_token)).claims.client_id).toBe('worker');
    const revoked = await post('/oauth/revoke', { token: issued.access_token }, basic('worker', otherSecret));
    expect(revoked.status).toBe(200);
    expect(await introspect('worker', otherSecret)).toEqual({ active: false });
    const guarded = new TokenVerifier(
      { issuer: 'http://token-dealer.test', audience: 'data-service', jwksUrl: `${dealer.url}/.well-known/jwks.json` },
      undefined,
      revocations,
    );
    await expect(guarded.verify(issued.access_token)).rejects.toThrow(InvalidTokenError);
    // Garbage is accepted silently (RFC 7009 §2.2).
    expect((await post('/oauth/revoke', { token: 'garbage' }, basic('worker', otherSecret))).status).toBe(200);
  });

  it('revokes every token of a deleted client', async () => {
    const temp = await dealer.clients.create('temporary', 'runs:read', 'data-service');
    const issued = (await (
      await token({ grant_type: 'client_credentials' }, basic('temporary', temp.client_secret))
    ).json()) as { access_token: string };
    const guarded = new TokenVerifier(
      { issuer: 'http://token-dealer.test', audience: 'data-service', jwksUrl: `${dealer.url}/.well-known/jwks.json` },
      undefined,
      revocations,
    );
    await guarded.verify(issued.access_token);
    await dealer.clients.delete('temporary');
    await expect(guarded.verify(issued.access_token)).rejects.toThrow(/revoked/);
    expect((await token({ grant_type: 'client_credentials' }, basic('temporary', temp.client_secret))).status).toBe(
      401,
    );
  });

  it('serves the guard in remote-introspection mode (RFC 7662), which sees revocations without Redis', async () => {
    const resource = await dealer.clients.create('data-service', '', 'data-service');
    const remote = new TokenVerifier({
      issuer: 'http://token-dealer.test',
      audience: 'data-service',
      jwksUrl: `${dealer.url}/.well-known/jwks.json`,
      introspection: {
        url: `${dealer.url}/oauth/introspect`,
        clientId: 'data-service',
        clientSecret: resource.client_secret,
        cacheSeconds: 0,
      },
    });
    const issued = (await (
      await token({ grant_type: 'client_credentials', scope: 'users:read' }, basic('dashboard', secret))
    ).json()) as {
      access_token: string;
    };
    expect([...(await remote.verify(issued.access_token)).scopes]).toEqual(['users:read']);
    await post('/oauth/revoke', { token: issued.access_token }, basic('dashboard', secret));
    await expect(remote.verify(issued.access_token)).rejects.toThrow(/not active/);
    await expect(remote.verify('not-a-token')).rejects.toThrow(InvalidTokenError);
  });
});
