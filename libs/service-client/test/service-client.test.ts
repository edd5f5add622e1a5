import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { RevocationStore, TokenVerifier } from '@runnerly/auth';
import { createTestIssuer, type TestIssuer } from '@runnerly/auth/testing';
import { runWithRequestId } from '@runnerly/platform';
import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceClient, ServiceClientError } from '../src/index.js';

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

/**
 * A token endpoint speaking the token-dealer's protocol (signing with a real test issuer) and a
 * callee verifying tokens for real; the full token-dealer is exercised in apps/token-dealer/test.
 */
describe('ServiceClient', () => {
  let issuer: TestIssuer;
  let redis: TestRedis;
  let revocations: RevocationStore;
  let dealer: { server: Server; url: string };
  let callee: { server: Server; url: string };
  let tokenRequests = 0;
  let tokenExpiresIn = 300;
  let tokenDelayMs = 0;
  const refusedTokens = new Set<string>();
  const hits = new Map<string, number>();

  beforeAll(async () => {
    [issuer, redis] = await Promise.all([createTestIssuer(), leaseTestRedis()]);
    revocations = RevocationStore.connect(redis.url);
    const verifier = new TokenVerifier(
      { issuer: issuer.issuer, audience: 'data-service', jwksUrl: issuer.jwksUrl },
      undefined,
      revocations,
    );
    dealer = await listen((req, res) => {
      void (async () => {
        const form = new URLSearchParams(await readBody(req));
        tokenRequests += 1;
        const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        if (basic !== 'caller:s3cret' || form.get('grant_type') !== 'client_credentials') {
          json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
        const scope = form.get('scope') ?? 'runs:read';
        json(res, 200, {
          access_token: issuer.sign(
            { scope, client_id: 'caller', aud: form.get('audience') ?? '' },
            { expiresIn: tokenExpiresIn },
          ),
          token_type: 'Bearer',
          expires_in: tokenExpiresIn,
          scope,
        });
      })();
    });
    callee = await listen((req, res) => {
      void (async () => {
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        try {
          await verifier.verify(token);
        } catch {
          json(res, 401, { error: 'invalid_token', message: 'bad token' });
          return;
        }
        if (refusedTokens.delete(token)) {
          json(res, 401, { error: 'invalid_token', message: 'revoked' });
          return;
        }
        const path = (req.url ?? '').split('?')[0]!;
        hits.set(path, (hits.get(path) ?? 0) + 1);
        const body = await readBody(req);
        if (path === '/echo')
          json(res, 200, {
            method: req.method,
            url: req.url,
            requestId: req.headers['x-request-id'],
            body: body ? JSON.parse(body) : null,
          });
        else if (path === '/flaky' && hits.get(path)! <= 2)
          json(res, 503, { error: 'unavailable', message: 'try later' });
        else if (path === '/flaky') json(res, 200, { ok: true });
        else if (path === '/always-500') json(res, 500, { error: 'internal_error', message: 'boom' });
        else if (path === '/slow') setTimeout(() => json(res, 200, { late: true }), 1000);
        else if (path === '/empty') res.writeHead(204).end();
        else json(res, 404, { error: 'not_found', message: 'no such thing', details: { path } });
      })();
    });
  });
  afterAll(async () => {
    dealer.server.closeAllConnections();
    callee.server.closeAllConnections();
    revocations.close();
    await Promise.all([
      issuer.close(),
      redis.release(),
      new Promise((r) => dealer.server.close(r)),
      new Promise((r) => callee.server.close(r)),
    ]);
  });
  beforeEach(() => {
    tokenRequests = 0;
    tokenExpiresIn = 300;
    tokenDelayMs = 0;
    hits.clear();
  });

  const client = (overrides: Partial<ConstructorParameters<typeof ServiceClient>[0]> = {}) =>
    new ServiceClient({
      baseUrl: callee.url,
      tokenDealerUrl: dealer.url,
      clientId: 'caller',
      clientSecret: 's3cret',
      audience: 'data-service',
      retryBaseDelayMs: 5,
      ...overrides,
    });

  it('sends JSON, query and the current request id, and reuses one token', async () => {
    const c = client();
    const answer = await runWithRequestId('req-42', () =>
      c.request<{ method: string; url: string; requestId: string; body: unknown }>({
        method: 'PUT',
        path: '/echo',
        query: { a: 1, b: ['x', 'y'], c: undefined },
        body: { n: 1 },
      }),
    );
    expect(answer).toEqual({ method: 'PUT', url: '/echo?a=1&b=x&b=y', requestId: 'req-42', body: { n: 1 } });
    await c.request({ method: 'GET', path: '/echo' });
    expect(tokenRequests).toBe(1);
    expect(await c.request({ method: 'DELETE', path: '/empty' })).toBeUndefined();
  });

  it('shares one token request between concurrent callers (single flight)', async () => {
    tokenDelayMs = 50;
    const c = client();
    await Promise.all(Array.from({ length: 10 }, () => c.request({ method: 'GET', path: '/echo' })));
    expect(tokenRequests).toBe(1);
  });

  it('renews the token shortly before it expires', async () => {
    tokenExpiresIn = 2;
    const c = client({ tokenRefreshMarginSeconds: 30 });
    await c.request({ method: 'GET', path: '/echo' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await c.request({ method: 'GET', path: '/echo' });
    expect(tokenRequests).toBe(2);
  });

  it('on a 401 drops the token, fetches a fresh one and retries exactly once', async () => {
    const c = client();
    const first = await c.request<{ requestId: string }>({ method: 'POST', path: '/echo', body: {} });
    expect(first).toBeTruthy();
    // The callee refuses whatever token comes next, once: the client must recover by itself.
    const stale = issuer.sign({ scope: 'runs:read', client_id: 'caller' });
    refusedTokens.add(stale);
    const refusing = client();
    (refusing as unknown as { tokens: { cached: unknown } }).tokens.cached = {
      value: stale,
      renewAt: Date.now() + 60_000,
    };
    await refusing.request({ method: 'POST', path: '/echo', body: {} });
    expect(refusedTokens.size).toBe(0);

    const neverAccepted = client({ audience: 'other-service' });
    const error = await neverAccepted.request({ method: 'GET', path: '/echo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceClientError);
    expect((error as ServiceClientError).status).toBe(401);
    expect(hits.get('/echo')).toBe(2);
  });

  it('retries idempotent requests on 5xx with backoff, never non-idempotent ones', async () => {
    expect(await client().request({ method: 'GET', path: '/flaky' })).toEqual({ ok: true });
    expect(hits.get('/flaky')).toBe(3);
    const error = await client()
      .request({ method: 'POST', path: '/always-500', body: {} })
      .catch((e: unknown) => e);
    expect((error as ServiceClientError).status).toBe(500);
    expect(hits.get('/always-500')).toBe(1);
    await client()
      .request({ method: 'POST', path: '/always-500', body: {}, idempotent: true })
      .catch(() => undefined);
    expect(hits.get('/always-500')).toBe(4);
  });

  it('throws typed errors with the callee body, on timeouts and on connection errors', async () => {
    const notFound = (await client()
      .request({ method: 'GET', path: '/nope' })
      .catch((e: unknown) => e)) as ServiceClientError;
    expect(notFound).toBeInstanceOf(ServiceClientError);
    expect(notFound.status).toBe(404);
    expect(notFound.code).toBe('not_found');
    expect(notFound.body).toEqual({ error: 'not_found', message: 'no such thing', details: { path: '/nope' } });
    expect(hits.get('/nope')).toBe(1);

    const slow = (await client({ timeoutMs: 200, retries: 0 })
      .request({ method: 'GET', path: '/slow' })
      .catch((e: unknown) => e)) as ServiceClientError;
    expect(slow.kind).toBe('timeout');

    const down = (await client({ baseUrl: 'http://127.0.0.1:1' })
      .request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)) as ServiceClientError;
    expect(down).toMatchObject({ status: 0, kind: 'network' });
  });

  it('reports a refused client as a token error', async () => {
    const error = (await client({ clientSecret: 'wrong' })
      .request({ method: 'GET', path: '/echo' })
      .catch((e: unknown) => e)) as ServiceClientError;
    expect(error).toMatchObject({ status: 401, kind: 'token', code: 'invalid_client' });
    expect(tokenRequests).toBe(1);
  });
});

describe('@runnerly/service-client, loaded alone', () => {
  it('loads neither Nest nor Fastify (it needs only the request id of @runnerly/platform)', () => {
    // A fresh Node.js records every module it resolves while importing the client's entry point.
    const probe = `
      import { registerHooks } from 'node:module';
      const resolved = [];
      registerHooks({ resolve: (specifier, context, next) => { const result = next(specifier, context); resolved.push(result.url); return result; } });
      await import(${JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url)))});
      console.log(JSON.stringify(resolved));`;
    const child = spawnSync(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', '--input-type=module', '-e', probe],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    const resolved = JSON.parse(child.stdout) as string[];
    expect(resolved.some((url) => url.endsWith('/libs/platform/src/request-context.ts'))).toBe(true);
    expect(resolved.filter((url) => /@nestjs|fastify/.test(url))).toEqual([]);
  });
});
