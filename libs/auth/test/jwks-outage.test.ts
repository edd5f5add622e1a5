import 'reflect-metadata';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { createFastifyService, PlatformModule } from '@runnerly/platform';
import { leaseTestRedis, type TestRedis } from '@runnerly/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthModule, type AuthOptions, RevocationStore, Scopes, TokenVerifier } from '../src/index.js';
import { createTestIssuer, type TestIssuer } from '../src/testing/index.js';

@Controller()
class ProbeController {
  @Get('runs')
  @Scopes('runs:read')
  runs() {
    return { ok: true };
  }
}

/**
 * The issuer's JWKS endpoint over raw TCP: it serves a JWKS (all the issuer's keys, or some), or
 * hangs (accepts the connection and never answers a byte), as a wedged token-dealer would.
 */
async function jwksEndpoint(issuer: TestIssuer) {
  let mode: 'serve' | 'hang' = 'serve';
  let without: string | undefined;
  const hung: Socket[] = [];
  const server: Server = createServer((socket) => {
    if (mode === 'hang') {
      hung.push(socket);
      return;
    }
    socket.once('data', () => {
      void (async () => {
        const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
        const body = JSON.stringify({ keys: jwks.keys.filter((key) => key.kid !== without) });
        socket.end(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    serve(withoutKid?: string) {
      mode = 'serve';
      without = withoutKid;
    },
    hang() {
      mode = 'hang';
    },
    get hungConnections() {
      return hung.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of hung) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('JWKS outages and key changes seen by the guard', () => {
  let issuer: TestIssuer;
  let redis: TestRedis;
  const closers: Array<() => Promise<unknown> | void> = [];

  beforeAll(async () => {
    [issuer, redis] = await Promise.all([createTestIssuer(), leaseTestRedis()]);
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await Promise.all([issuer.close(), redis.release()]);
  });

  /** A guarded service whose JWKS is always stale (every request starts a background refresh). */
  async function guardedService(jwksUrl: string, options: Partial<AuthOptions> = {}) {
    @Module({
      imports: [
        PlatformModule.forRoot({ service: 'jwks-test', logLevel: 'silent' }),
        AuthModule.forRoot({
          issuer: issuer.issuer,
          audience: 'data-service',
          jwksUrl,
          redisUrl: redis.url,
          jwksMaxAgeMs: 0,
          jwksCooldownMs: 0,
          ...options,
        }),
      ],
      controllers: [ProbeController],
    })
    class TestModule {}
    const app = await createFastifyService(TestModule, { title: 'jwks-test' }, { abortOnError: false });
    await app.listen(0, '127.0.0.1');
    closers.push(() => app.close());
    const baseUrl = await app.getUrl();
    return (token: string) => fetch(`${baseUrl}/runs`, { headers: { authorization: `Bearer ${token}` } });
  }

  it('keeps answering from the JWKS it has while the token-dealer hangs', { timeout: 20_000 }, async () => {
    const endpoint = await jwksEndpoint(issuer);
    closers.push(endpoint.close);
    // A fetch timeout far beyond this test's: a request that waited on the hung issuer would fail the test.
    const call = await guardedService(endpoint.url, { jwksTimeoutMs: 120_000 });
    expect((await call(issuer.sign({ scope: 'runs:read' }))).status).toBe(200);
    endpoint.hang();
    // A token never seen (full verification) and its reuse (cached), with every request starting a refresh.
    const fresh = issuer.sign({ scope: 'runs:read' });
    expect((await call(fresh)).status).toBe(200);
    expect((await call(fresh)).status).toBe(200);
    await expect.poll(() => endpoint.hungConnections).toBeGreaterThan(0);
    expect((await call(issuer.sign({ scope: 'runs:read' }))).status).toBe(200);
  });

  it(
    'bounds the first fetch: with no JWKS yet and the token-dealer hung, 503 after the timeout',
    { timeout: 20_000 },
    async () => {
      const endpoint = await jwksEndpoint(issuer);
      closers.push(endpoint.close);
      endpoint.hang();
      const call = await guardedService(endpoint.url, { jwksTimeoutMs: 300 });
      const answer = await call(issuer.sign({ scope: 'runs:read' }));
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ error: 'auth_unavailable' });
    },
  );

  it('drops a cached verification once its kid has left the JWKS', async () => {
    const endpoint = await jwksEndpoint(issuer);
    closers.push(endpoint.close);
    const call = await guardedService(endpoint.url);
    const token = issuer.sign({ scope: 'runs:read' });
    expect((await call(token)).status).toBe(200);
    expect((await call(token)).status).toBe(200);
    endpoint.serve(issuer.kid);
    await expect
      .poll(async () => {
        const answer = await call(token);
        return answer.status === 401 ? ((await answer.json()) as { message: string }).message : answer.status;
      })
      .toBe('unknown signing key');
  });

  it('never runs without revocation: no store, no guard', () => {
    const options = { issuer: issuer.issuer, audience: 'data-service', jwksUrl: issuer.jwksUrl };
    expect(() => AuthModule.forRoot(options)).toThrow(/redisUrl/);
    expect(() => new TokenVerifier(options)).toThrow(/revocation/);
    const store = RevocationStore.connect(redis.url);
    closers.push(() => store.close());
    expect(new TokenVerifier(options, undefined, store)).toBeInstanceOf(TokenVerifier);
  });
});
