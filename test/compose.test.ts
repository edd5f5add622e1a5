import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    for (const app of APPS) expect(services[app]?.environment?.DATABASE_URL ?? '', app).toBe('');
    expect(postgres.environment.POSTGRES_PASSWORD_FILE).toBe('/run/postgres-secret/superuser');
    const text = JSON.stringify(services);
    expect(text).not.toMatch(/postgres:\/\/[^:@"]+:[^@"$]+@/);
  });
});

interface PortBinding {
  hostIp: string;
  published: number;
  target: number;
}

/** A service's port bindings, whichever of compose's two notations `config` printed. */
function bindings(service: {
  ports?: Array<string | { published?: number; target: number; host_ip?: string }>;
}): PortBinding[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port !== 'string')
      return {
        hostIp: port.host_ip ?? '0.0.0.0',
        published: Number(port.published ?? port.target),
        target: port.target,
      };
    const parts = port.replace(/\/tcp$/, '').split(':');
    const [target, published, hostIp] = parts.reverse();
    return { hostIp: hostIp ?? '0.0.0.0', published: Number(published ?? target), target: Number(target) };
  });
}

/** Named volumes a service mounts, by name. */
function secretVolumes(service: { volumes?: Array<string | { source?: string; type?: string }> }): string[] {
  return (service.volumes ?? [])
    .map((volume) => (typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '')))
    .filter((name) => name.startsWith('secrets-'))
    .sort();
}

describe('docker-compose.yml: production containers', () => {
  interface Hardened {
    read_only?: boolean;
    user?: string;
    tmpfs?: string[];
    stop_grace_period?: string;
    image?: string;
    command?: string[];
  }

  it('runs every app as the non-root node user on a read-only root filesystem, /tmp its only scratch space', async () => {
    const { services } = await composeConfig();
    for (const name of [...APPS, 'provision']) {
      const service = services[name] as Service & Hardened;
      expect([service.read_only, service.user, service.tmpfs], name).toEqual([true, 'node', ['/tmp']]);
    }
    for (const name of ['postgres', 'redis', 'secrets'])
      expect((services[name] as Hardened).read_only, name).toBe(true);
  });

  it('gives every long-running service a grace period to stop in after SIGTERM', async () => {
    const { services } = await composeConfig();
    for (const name of [...APPS, 'postgres', 'redis']) {
      const grace = (services[name] as Hardened).stop_grace_period ?? '';
      expect(grace, name).toMatch(/^\d+s$/);
      expect(Number.parseInt(grace, 10), name).toBeGreaterThanOrEqual(15);
    }
  });

  it('runs compiled JavaScript, never TypeScript, in the containers', async () => {
    const { services } = await composeConfig();
    expect(JSON.stringify(services)).not.toMatch(/swc-node|\.ts"/);
    expect((services.provision as Hardened).command?.slice(0, 2)).toEqual(['node', 'dist/cli/main.js']);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).not.toMatch(/swc-node|--mount=|^# syntax=/m);
  });

  it('takes the base images from variables that default to the official ones', async () => {
    const official = await composeConfig();
    expect(
      [official.services.postgres, official.services.redis, official.services.secrets].map(
        (s) => (s as Hardened).image,
      ),
    ).toEqual(['postgres:15-bookworm', 'redis:7-bookworm', 'redis:7-bookworm']);
    for (const app of APPS) expect(official.services[app]?.build?.args?.NODE_IMAGE, app).toBe('node:24-bookworm-slim');
    const local = await composeConfig({
      NODE_IMAGE: 'localhost/runnerly-base/node:24',
      POSTGRES_IMAGE: 'localhost/runnerly-base/postgres:15',
      REDIS_IMAGE: 'localhost/runnerly-base/redis:7',
    });
    expect((local.services.postgres as Hardened).image).toBe('localhost/runnerly-base/postgres:15');
    expect((local.services.secrets as Hardened).image).toBe('localhost/runnerly-base/redis:7');
    expect(local.services.dashboard?.build?.args?.NODE_IMAGE).toBe('localhost/runnerly-base/node:24');
  });
});

describe('docker-compose.yml: exposure and secrets', () => {
  it('publishes only the dashboard, the worker webhook port and the sandbox; the rest on 127.0.0.1 or not at all', async () => {
    const { services } = await composeConfig();
    const open: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const binding of bindings(service as never)) {
        if (binding.hostIp === '127.0.0.1') continue;
        open.push(`${name}:${binding.published}->${binding.target}`);
      }
    }
    expect(open.sort()).toEqual(['dashboard:3000->3000', 'strava-sandbox:5003->5003', 'strava-worker:5002->5002']);
    // The operator ports: on the host's loopback only.
    const operator = Object.fromEntries(
      Object.entries(services).map(([name, service]) => [
        name,
        bindings(service as never)
          .filter((b) => b.hostIp === '127.0.0.1')
          .map((b) => b.target),
      ]),
    );
    expect(operator).toMatchObject({
      'token-dealer': [5000, 5100],
      'data-service': [5001, 5101],
      'strava-worker': [5102],
      dashboard: [3100],
    });
    expect(bindings(services.postgres as never)).toEqual([]);
    expect(bindings(services.redis as never)).toEqual([]);
    for (const app of ['token-dealer', 'data-service', 'strava-worker', 'dashboard'])
      expect(services[app]?.environment?.OPERATOR_HOST, app).toBe('0.0.0.0');
  });

  it('gives each container its own secrets volume only', async () => {
    const { services } = await composeConfig();
    const mounted = Object.fromEntries(
      Object.entries(services).map(([name, service]) => [name, secretVolumes(service as never)]),
    );
    expect(mounted).toEqual({
      postgres: ['secrets-postgres'],
      redis: ['secrets-redis'],
      secrets: [
        'secrets-dashboard',
        'secrets-data-service',
        'secrets-postgres',
        'secrets-redis',
        'secrets-strava-sandbox',
        'secrets-strava-worker',
        'secrets-token-dealer',
      ],
      'strava-sandbox': ['secrets-strava-sandbox'],
      'token-dealer': ['secrets-token-dealer'],
      // The token-dealer's CLI: its own settings, and the two clients' secrets written each to its owner.
      provision: ['secrets-dashboard', 'secrets-strava-worker', 'secrets-token-dealer'],
      'data-service': ['secrets-data-service'],
      'strava-worker': ['secrets-strava-worker'],
      dashboard: ['secrets-dashboard'],
    });
    for (const app of APPS)
      expect(services[app]?.environment?.RUNNERLY_ENV_FILE, app).toBe('/run/runnerly/service.env');
    // No secret in the shared environment: only the real Strava's credentials, when given.
    for (const app of APPS)
      for (const name of Object.keys(services[app]?.environment ?? {}))
        expect(name, app).not.toMatch(/PEPPER|KEY|SESSION|PASSWORD|VERIFY_TOKEN|DATABASE_URL|REDIS_URL/);
  });

  it('requires a password of Redis, from a generated file', async () => {
    const { services } = await composeConfig();
    const redis = services.redis as Service & { command: string[] };
    expect(redis.command.slice(0, 2)).toEqual(['redis-server', '/run/redis-secret/redis.conf']);
    expect(JSON.stringify(redis.healthcheck)).toContain('REDISCLI_AUTH');
  });

  describe('the secrets step, run as compose runs it', () => {
    let dir: string;
    const files: Record<string, Record<string, string>> = {};

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'runnerly-compose-secrets-'));
      const raw = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
        services: { secrets: { command: string[]; volumes: string[] } };
      };
      const volumes = raw.services.secrets.volumes.map((volume) => volume.split(':')[1]!);
      for (const volume of volumes) mkdirSync(join(dir, volume), { recursive: true });
      // Compose's `$$` is a literal `$`; ownership is the containers' business, not this machine's.
      const script = `chown() { :; }\n${raw.services.secrets.command[0]!.replaceAll('$$', '$').replaceAll('/run/secrets', join(dir, '/run/secrets'))}`;
      await promisify(execFile)('sh', ['-c', script]);
      for (const app of APPS)
        files[app] = parseEnv(readFileSync(join(dir, 'run/secrets', app, 'service.env'), 'utf8')) as Record<
          string,
          string
        >;
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('writes each service only its own secrets', () => {
      expect(Object.fromEntries(Object.entries(files).map(([app, env]) => [app, Object.keys(env).sort()]))).toEqual({
        'strava-sandbox': ['STRAVA_CLIENT_ID', 'STRAVA_CLIENT_SECRET'],
        'token-dealer': ['DATABASE_URL', 'REDIS_URL', 'TOKEN_DEALER_KEY_ENCRYPTION_KEY', 'TOKEN_DEALER_PEPPER'],
        'data-service': ['DATABASE_URL', 'REDIS_URL', 'STRAVA_TOKEN_ENCRYPTION_KEYS'],
        'strava-worker': [
          'REDIS_URL',
          'STRAVA_CLIENT_ID',
          'STRAVA_CLIENT_SECRET',
          'STRAVA_WEBHOOK_VERIFY_TOKEN',
          'STRAVA_WORKER_BOARD_PASSWORD',
        ],
        dashboard: ['REDIS_URL', 'SESSION_SECRET', 'STRAVA_CLIENT_ID', 'STRAVA_CLIENT_SECRET'],
      });
      // A value in two services' files is one they share by nature: Redis (one password) and the Strava application.
      const owners = new Map<string, string[]>();
      for (const [app, env] of Object.entries(files))
        for (const [name, value] of Object.entries(env))
          owners.set(`${name}=${value}`, [...(owners.get(`${name}=${value}`) ?? []), app]);
      const shared = [...owners]
        .filter(([, apps]) => apps.length > 1)
        .map(([entry]) => entry.split('=')[0])
        .sort();
      expect(shared).toEqual(['REDIS_URL', 'STRAVA_CLIENT_ID', 'STRAVA_CLIENT_SECRET']);
      expect(
        new Set(
          Object.values(files)
            .map((env) => env.REDIS_URL)
            .filter(Boolean),
        ).size,
      ).toBe(1);
    });

    it('gives each service its own PostgreSQL role, and Redis a password every REDIS_URL carries', () => {
      const secret = (name: string) => readFileSync(join(dir, 'run/secrets', name), 'utf8');
      const dealer = new URL(files['token-dealer']!.DATABASE_URL!);
      const data = new URL(files['data-service']!.DATABASE_URL!);
      expect([dealer.username, dealer.password]).toEqual(['token_dealer', secret('postgres/token_dealer')]);
      expect([data.username, data.password]).toEqual(['data_service', secret('postgres/data_service')]);
      expect(secret('postgres/superuser')).not.toBe(dealer.password);
      const password = secret('redis/password');
      expect(readFileSync(join(dir, 'run/secrets/redis/redis.conf'), 'utf8')).toBe(`requirepass ${password}\n`);
      for (const app of ['token-dealer', 'data-service', 'strava-worker', 'dashboard'])
        expect(new URL(files[app]!.REDIS_URL!).password, app).toBe(password);
    });

    it("generates secrets every app's configuration accepts (none is weak)", async () => {
      const schemas = {
        'token-dealer': (await import('../apps/token-dealer/src/config.js')).TokenDealerConfigSchema,
        'data-service': (await import('../apps/data-service/src/config.js')).DataServiceConfigSchema,
        'strava-worker': (await import('../apps/strava-worker/src/config.js')).StravaWorkerConfigSchema,
        dashboard: (await import('../apps/dashboard/src/config.js')).DashboardConfigSchema,
        'strava-sandbox': (await import('../apps/strava-sandbox/src/config.js')).StravaSandboxConfigSchema,
      };
      // The client secrets the provision step adds: as the token-dealer makes them.
      const provisioned = {
        DASHBOARD_CLIENT_SECRET: randomBytes(32).toString('base64url'),
        STRAVA_WORKER_CLIENT_SECRET: randomBytes(32).toString('base64url'),
      };
      for (const [app, schema] of Object.entries(schemas)) {
        const result = (
          schema as { safeParse(value: unknown): { success: boolean; error?: { issues: unknown[] } } }
        ).safeParse({ ...files[app], ...provisioned });
        expect(result.error?.issues ?? [], app).toEqual([]);
      }
    });
  });
});
