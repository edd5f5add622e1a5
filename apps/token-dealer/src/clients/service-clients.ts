import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The callers every Runnerly stack needs, with least-privilege scopes (AGREEMENT.md), provisioned
 * by `clients provision` (compose) and by `pnpm start` (scripts/start.ts keeps the same list).
 */
export const SERVICE_CLIENTS = [
  {
    idVariable: 'DASHBOARD_CLIENT_ID',
    defaultId: 'dashboard',
    secretVariable: 'DASHBOARD_CLIENT_SECRET',
    scope: 'users:read users:write strava-tokens:write runs:read',
    audience: 'data-service',
  },
  {
    idVariable: 'STRAVA_WORKER_CLIENT_ID',
    defaultId: 'strava-worker',
    secretVariable: 'STRAVA_WORKER_CLIENT_SECRET',
    scope: 'users:read users:write users:delete strava-tokens:read strava-tokens:write runs:read runs:write',
    audience: 'data-service',
  },
] as const;

export function readEnvFile(file: string): Record<string, string> {
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** Sets `name=value` in an env file (created 0600 when missing), keeping its other lines. */
export function writeEnvValue(file: string, name: string, value: string): void {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith(`${name}=`)) : [];
  writeFileSync(file, `${[...lines, `${name}=${value}`].join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}
