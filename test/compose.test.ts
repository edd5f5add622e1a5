import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const APPS = ['strava-sandbox', 'token-dealer', 'data-service', 'strava-worker', 'dashboard'];

interface Service {
  build?: { args?: Record<string, string> };
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
}

async function composeConfig(env: Record<string, string> = {}): Promise<{ services: Record<string, Service> }> {
  // Debian's docker-compose validates and resolves the file without a Docker engine.
  const { stdout } = await promisify(execFile)('docker-compose', ['config'], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  return parse(stdout);
}

describe('docker-compose.yml', () => {
  it('is valid and runs every app from the one Dockerfile, with healthchecks', async () => {
    const { services } = await composeConfig();
    for (const app of APPS) {
      expect(services[app]?.build?.args?.APP, app).toBe(app);
      expect(services[app]?.healthcheck?.test, app).toBeDefined();
    }
    expect(services.postgres?.healthcheck).toBeDefined();
    expect(services.redis?.healthcheck).toBeDefined();
  });

  it('gates start-up order on health and on one-shot provisioning', async () => {
    const { services } = await composeConfig();
    expect(services['data-service']?.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      'token-dealer': { condition: 'service_healthy' },
    });
    for (const caller of ['dashboard', 'strava-worker']) {
      expect(services[caller]?.depends_on).toMatchObject({
        provision: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it('points the apps at the sandbox by default and at the real Strava when told', async () => {
    const sandbox = await composeConfig();
    expect(sandbox.services.dashboard?.environment?.STRAVA_BASE_URL).toBe('http://strava-sandbox:5003');
    const real = await composeConfig({ STRAVA_BASE_URL: 'https://www.strava.com', STRAVA_SANDBOX_SCALE: '0' });
    expect(real.services['strava-worker']?.environment?.STRAVA_BASE_URL).toBe('https://www.strava.com');
    expect((real.services['strava-sandbox'] as { scale?: number }).scale).toBe(0);
  });

  it('hard-codes no credential: the database password is generated with the other secrets', async () => {
    const { services } = await composeConfig();
    const postgres = services.postgres as Service & { environment: Record<string, string> };
    expect(postgres.environment.POSTGRES_PASSWORD).toBeUndefined();
    expect(postgres.environment.POSTGRES_PASSWORD_FILE).toBe('/run/postgres-secret/password');
    for (const app of APPS) expect(services[app]?.environment?.DATABASE_URL ?? '', app).toBe('');
    const text = JSON.stringify(services);
    expect(text).not.toMatch(/postgres:\/\/[^:@"]+:[^@"$]+@/);
  });
});
