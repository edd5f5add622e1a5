import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runTokenDealerCli, startTokenDealer, type TestTokenDealer } from '@runnerly/token-dealer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startService } from './harness.js';

const root = join(import.meta.dirname, '..', '..', '..');
const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

/**
 * Revocation as `pnpm start` runs it: scripts/start.ts gives the data-service no REDIS_URL, so the
 * service below gets none either, and the token-dealer writes to the default Redis as it does there.
 */
describe('data-service with pnpm start defaults: revocation at the token-dealer is honoured', () => {
  let dealer: TestTokenDealer;
  let service: Harness;
  const client = `pnpm-start-${randomBytes(4).toString('hex')}`;
  let secret: string;

  beforeAll(async () => {
    dealer = await startTokenDealer({ REDIS_URL: 'redis://127.0.0.1:6379' });
    service = await startService({
      TOKEN_DEALER_URL: dealer.url,
      TOKEN_DEALER_ISSUER: dealer.config.TOKEN_DEALER_ISSUER,
    });
    secret = (await dealer.clients.create(client, 'users:read', 'data-service')).client_secret;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await dealer?.close();
  });

  /** The token-dealer's command line, as an operator runs it. */
  const cli = (...args: string[]) =>
    runTokenDealerCli(
      args,
      {
        ...process.env,
        RUNNERLY_LOCAL_ENV_FILE: join(root, 'no-such-dir', 'local.env'),
        DATABASE_URL: dealer.config.DATABASE_URL,
        REDIS_URL: dealer.config.REDIS_URL,
        TOKEN_DEALER_PEPPER: dealer.config.TOKEN_DEALER_PEPPER,
        TOKEN_DEALER_KEY_ENCRYPTION_KEY: dealer.config.TOKEN_DEALER_KEY_ENCRYPTION_KEY,
      },
      60_000,
    );

  const requestToken = (withSecret = secret) =>
    fetch(`${dealer.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client}:${withSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
  async function issue(withSecret = secret): Promise<string> {
    const response = await requestToken(withSecret);
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }
  const getUsers = (token: string) => service.call('GET', '/users', { token });
  const refusal = async (token: string) => {
    const answer = await getUsers(token);
    return answer.status === 401 ? (answer.body as { message: string }).message : answer.status;
  };

  it('refuses a token revoked at the token-dealer (the data-service was given no REDIS_URL)', async () => {
    expect(service.config).not.toHaveProperty('REDIS_URL');
    const token = await issue();
    expect((await getUsers(token)).status).toBe(200);
    const revoked = await fetch(`${dealer.url}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ token }),
    });
    expect(revoked.status).toBe(200);
    expect(await refusal(token)).toBe('token revoked');
    const ready = (await (await fetch(`${service.operatorUrl}/health/ready`)).json()) as {
      checks: Record<string, { status: string }>;
    };
    expect(ready.checks.redis).toEqual(expect.objectContaining({ status: 'up' }));
  });

  it('refuses the tokens of a signing key revoked with `keys revoke`, and signs with a new key', async () => {
    const token = await issue();
    expect((await getUsers(token)).status).toBe(200);
    const kid = kidOf(token);
    const revoked = cli('keys', 'revoke', '--kid', kid);
    expect(revoked.stderr).toBe('');
    expect(revoked.status).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ kid, revoked: true, new_key: true });
    // Refused as revoked (from Redis, or from the local mirror before any JWKS fetch).
    await expect.poll(() => refusal(token), { timeout: 10_000 }).toMatch(/^token revoked/);
    const jwksKids = async () =>
      (
        (await (await fetch(`${dealer.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }
      ).keys.map((key) => key.kid);
    await expect.poll(jwksKids, { timeout: 10_000 }).not.toContain(kid);
    const fresh = await issue();
    expect(kidOf(fresh)).not.toBe(kid);
    expect((await getUsers(fresh)).status).toBe(200);
    // Unknown kid: refused, with a clear answer.
    expect(cli('keys', 'revoke', '--kid', 'no-such-kid').status).toBe(1);
  });

  it('refuses the tokens issued before `clients rotate-secret`, and takes those of the new secret at once', async () => {
    const before = await issue();
    expect((await getUsers(before)).status).toBe(200);
    const rotated = cli('clients', 'rotate-secret', '--id', client);
    expect(rotated.status).toBe(0);
    const newSecret = (JSON.parse(rotated.stdout) as { client_secret: string }).client_secret;
    await expect.poll(() => refusal(before), { timeout: 10_000 }).toBe('token revoked');
    // The token-dealer forgets the old secret on the CLI's change notification.
    await expect.poll(async () => (await requestToken(newSecret)).status, { timeout: 10_000 }).toBe(200);
    expect((await requestToken(secret)).status).toBe(401);
    secret = newSecret;
    const after = await issue();
    expect((await getUsers(after)).status).toBe(200);
  });
});

describe('data-service: token lifetime and a missing revocation store', () => {
  let service: Harness;
  let withoutRedis: Harness;

  beforeAll(async () => {
    service = await startService();
    // Nothing listens on port 1: the revocation store cannot be read.
    withoutRedis = await startService(
      { REDIS_URL: 'redis://127.0.0.1:1' },
      { database: service.database, issuer: service.issuer },
    );
  }, 60_000);
  afterAll(async () => {
    await withoutRedis?.close();
    await service?.close();
  });

  it('refuses a token that claims a longer life than the token-dealer issues', async () => {
    const long = service.issuer.sign({ scope: 'users:read' }, { expiresIn: 24 * 3600 });
    expect(await service.call('GET', '/users', { token: long })).toMatchObject({
      status: 401,
      body: { error: 'invalid_token', message: 'token lifetime longer than the issuer gives' },
    });
    const issued = service.issuer.sign({ scope: 'users:read' }, { expiresIn: 900 });
    expect((await service.call('GET', '/users', { token: issued })).status).toBe(200);
  });

  it('answers 503 on guarded routes without its revocation store, and is not ready', async () => {
    const token = withoutRedis.issuer.sign({ scope: 'users:read' });
    const answer = await withoutRedis.call('GET', '/users', { token });
    expect(answer).toMatchObject({ status: 503, body: { error: 'auth_unavailable' } });
    expect((await fetch(`${withoutRedis.baseUrl}/health/ready`)).status).toBe(503);
    expect((await fetch(`${withoutRedis.baseUrl}/health/live`)).status).toBe(200);
  });
});
