import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { startTokenDealer, type TestTokenDealer } from '@runnerly/token-dealer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startService } from './harness.js';

const b64url = (value: string) => Buffer.from(value).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

/**
 * The JWT attacks of the token-dealer issue, thrown over HTTP at the data-service while it trusts a
 * real token-dealer (its JWKS, its revocations in a shared Redis). Every forged token is built from a
 * genuine one the token-dealer issued.
 */
describe('data-service under JWT attack, trusting a real token-dealer', () => {
  let dealer: TestTokenDealer;
  let other: TestTokenDealer;
  let service: Harness;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    [dealer, other] = await Promise.all([
      startTokenDealer(),
      startTokenDealer({ TOKEN_DEALER_ISSUER: 'http://evil-dealer.test' }),
    ]);
    service = await startService({
      TOKEN_DEALER_URL: dealer.url,
      TOKEN_DEALER_ISSUER: dealer.config.TOKEN_DEALER_ISSUER,
      REDIS_URL: dealer.redisUrl,
    });
    for (const [id, scope, audience] of [
      ['reader', 'users:read runs:read', 'data-service'],
      ['doomed', 'users:read', 'data-service'],
      ['elsewhere', 'users:read', 'dashboard'],
    ] as const) {
      secrets[id] = (await dealer.clients.create(id, scope, audience)).client_secret;
    }
    secrets.stranger = (await other.clients.create('reader', 'users:read', 'data-service')).client_secret;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await Promise.all([dealer?.close(), other?.close()]);
  });

  async function issue(
    client: string,
    options: { audience?: string; scope?: string; from?: TestTokenDealer; secret?: string } = {},
  ): Promise<string> {
    const from = options.from ?? dealer;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      audience: options.audience ?? 'data-service',
    });
    if (options.scope) form.set('scope', options.scope);
    const response = await fetch(`${from.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client}:${options.secret ?? secrets[client]}`).toString('base64')}`,
      },
      body: form,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const getUsers = (token: string) => service.call('GET', '/users', { token });

  async function expectRefused(token: string, reason: RegExp) {
    const answer = await getUsers(token);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="data-service", error="invalid_token"/);
    expect(answer.body).toMatchObject({ error: 'invalid_token' });
    expect(answer.body.message).toMatch(reason);
  }

  it('lets a genuine token through, and 403s it where it lacks the scope', async () => {
    const token = await issue('reader', { scope: 'users:read' });
    expect((await getUsers(token)).status).toBe(200);
    const forbidden = await service.call('GET', '/users/00000000-0000-4000-8000-000000000001/runs', { token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: 'insufficient_scope' });
  });

  it('refuses alg none', async () => {
    const [, payload] = (await issue('reader')).split('.');
    await expectRefused(`${b64url(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${payload}.`, /algorithm none/);
  });

  it('refuses HS256 signed with the published public key', async () => {
    const genuine = await issue('reader');
    const [header, payload] = genuine.split('.');
    const jwks = (await (await fetch(`${dealer.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string; [k: string]: unknown }>;
    };
    const { kid } = decode(header!);
    const published = jwks.keys.find((key) => key.kid === kid)!;
    const pem = createPublicKey({ key: published, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
    const forgedHeader = b64url(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid }));
    const signature = createHmac('sha256', pem).update(`${forgedHeader}.${payload}`).digest('base64url');
    await expectRefused(`${forgedHeader}.${payload}.${signature}`, /algorithm HS256/);
  });

  it('refuses a token the token-dealer issued for another audience', async () => {
    await expectRefused(await issue('elsewhere', { audience: 'dashboard' }), /audience/);
  });

  it('refuses a token from another issuer, and one signed with a key nobody published', async () => {
    await expectRefused(await issue('reader', { from: other, secret: secrets.stranger }), /unknown signing key/);
    const [header, payload] = (await issue('reader')).split('.');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    }).toString('base64url');
    await expectRefused(`${header}.${payload}.${signature}`, /signature/);
  });

  it('refuses a tampered payload (a scope added) and a header pointing at an unknown kid', async () => {
    const [header, payload, signature] = (await issue('reader', { scope: 'users:read' })).split('.');
    const widened = b64url(JSON.stringify({ ...decode(payload!), scope: 'users:read users:write runs:write' }));
    await expectRefused(`${header}.${widened}.${signature}`, /signature/);
    const renamed = b64url(JSON.stringify({ ...decode(header!), kid: 'forged-kid' }));
    await expectRefused(`${renamed}.${payload}.${signature}`, /unknown signing key/);
  });

  it('refuses a token revoked at the token-dealer (RFC 7009), even after it was accepted once', async () => {
    const token = await issue('reader');
    expect((await getUsers(token)).status).toBe(200);
    const revoked = await fetch(`${dealer.url}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`reader:${secrets.reader}`).toString('base64')}` },
      body: new URLSearchParams({ token }),
    });
    expect(revoked.status).toBe(200);
    await expect.poll(async () => (await getUsers(token)).status, { timeout: 5_000, interval: 25 }).toBe(401);
    await expectRefused(token, /revoked/);
    // The client's other tokens still work.
    expect((await getUsers(await issue('reader'))).status).toBe(200);
  });

  it('refuses every token of a client deleted at the token-dealer', async () => {
    const token = await issue('doomed');
    expect((await getUsers(token)).status).toBe(200);
    await dealer.clients.delete('doomed');
    await expect.poll(async () => (await getUsers(token)).status, { timeout: 5_000, interval: 25 }).toBe(401);
    await expectRefused(token, /revoked/);
  });

  it('takes the token only from the Authorization header, as a Bearer', async () => {
    const token = await issue('reader');
    const inQuery = await fetch(`${service.baseUrl}/users?access_token=${token}`);
    expect(inQuery.status).toBe(401);
    const asBasic = await service.call('GET', '/users', { token: null, headers: { authorization: `Basic ${token}` } });
    expect(asBasic.status).toBe(401);
    expect(asBasic.body.error).toBeTruthy();
  });
});
