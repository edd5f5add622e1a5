import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenDealer, type TestTokenDealer } from '../src/testing/index.js';

describe('token-dealer', () => {
  let dealer: TestTokenDealer;

  beforeAll(async () => {
    dealer = await startTokenDealer();
  });
  afterAll(() => dealer.close());

  it('answers its health endpoints, ready with postgres and redis', async () => {
    expect(await (await fetch(`${dealer.url}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${dealer.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    const operatorReady = await fetch(`${dealer.operatorUrl}/health/ready`);
    expect(await operatorReady.json()).toMatchObject({
      checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('serves Prometheus metrics and its OpenAPI document on the operator listener', async () => {
    const metrics = await fetch(`${dealer.operatorUrl}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain('http_request_duration_seconds_bucket{');
    const openapi = (await (await fetch(`${dealer.operatorUrl}/openapi.json`)).json()) as {
      info: { title: string };
      paths: Record<string, unknown>;
    };
    expect(openapi.info.title).toBe('Runnerly token-dealer');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/oauth/token', '/oauth/introspect', '/oauth/revoke', '/.well-known/jwks.json']),
    );
  });

  it('answers an unknown route with a JSON 404 that carries the request id', async () => {
    const response = await fetch(`${dealer.url}/nope`, { headers: { 'x-request-id': 'test-req-1' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('test-req-1');
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('publishes RFC 8414 metadata', async () => {
    const metadata = (await (await fetch(`${dealer.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(metadata).toMatchObject({
      issuer: 'http://token-dealer.test',
      token_endpoint: 'http://token-dealer.test/oauth/token',
      jwks_uri: 'http://token-dealer.test/.well-known/jwks.json',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });
});
