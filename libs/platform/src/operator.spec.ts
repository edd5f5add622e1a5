import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATOR_ROUTES, isOperatorPath } from './operator.js';

const routes = [...DEFAULT_OPERATOR_ROUTES, '/queues'];

describe('isOperatorPath', () => {
  it.each([
    '/metrics',
    '/metrics/',
    '//metrics',
    '/METRICS',
    '/%6detrics',
    '/%256detrics',
    '/metrics;jsessionid=1',
    '/metrics?x=1',
    '/docs',
    '/docs/swagger-ui.css',
    '/docs-json',
    '/openapi.json',
    '/OpenAPI.yaml',
    '/queues',
    '/queues/board/api/queues/strava-sync/empty',
    '/queues\\board',
  ])('treats %s as an operator route', (path) => {
    expect(isOperatorPath(path, routes)).toBe(true);
  });

  it.each([
    '/',
    '/metricsx',
    '/health/ready',
    '/api/me',
    '/oauth/token',
    '/strava/webhook',
    '/users/metrics',
    '/queue',
    '/%E0%A4%A',
  ])('leaves %s to the public listener', (path) => {
    expect(isOperatorPath(path, routes)).toBe(false);
  });
});
