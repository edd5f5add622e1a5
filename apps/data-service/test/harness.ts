import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createTestIssuer, type TestIssuer } from '@runnerly/auth/testing';
import { type RunInput, DataScope } from '@runnerly/data-client';
import pg from 'pg';
import { operatorUrl, startOperatorListener } from '@runnerly/platform';
import { createTestDatabase, type TestDatabase } from '@runnerly/testing';
import { startDataService } from '../src/testing/index.js';

export const ALL_SCOPES = Object.values(DataScope);

export interface Harness {
  baseUrl: string;
  /** The operator listener: metrics, docs, readiness details. */
  operatorUrl: string;
  issuer: TestIssuer;
  database: TestDatabase;
  config: Record<string, string>;
  /** A token with these scopes (all of them by default). */
  token(scopes?: string[]): string;
  /** fetch against the service, JSON in and out, with a token holding `scopes` unless `token` is given. */
  call(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      scopes?: string[];
      token?: string | null;
      raw?: string;
      headers?: Record<string, string>;
      operator?: boolean;
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON answers freely
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Runs one SQL statement on the service's database (to look behind the API). */
  sql<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export const testKey = () => randomBytes(32).toString('base64');

/** The data-service on a fresh database (or `database`, shared with another instance), with a test issuer. */
export async function startService(
  env: Record<string, string> = {},
  shared?: { database: TestDatabase; issuer: TestIssuer },
): Promise<Harness> {
  const [issuer, database] = shared
    ? [shared.issuer, shared.database]
    : await Promise.all([createTestIssuer(), createTestDatabase()]);
  const config = {
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    TOKEN_DEALER_URL: issuer.issuer,
    STRAVA_TOKEN_ENCRYPTION_KEYS: `k1:${testKey()}`,
    ...env,
  };
  const service = await startDataService(config);
  const baseUrl = service.url;
  await startOperatorListener(service.app, { port: 0, host: '127.0.0.1' });
  const operator = operatorUrl(service.app);
  const token = (scopes: string[] = ALL_SCOPES) => issuer.sign({ scope: scopes });
  return {
    baseUrl,
    operatorUrl: operator,
    issuer,
    database,
    config,
    token,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const bearer = options.token === undefined ? token(options.scopes) : options.token;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${options.operator ? operator : baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: left as text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async sql<R>(text: string, values?: unknown[]) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as R[];
      } finally {
        await client.end();
      }
    },
    async close() {
      await service.close();
      if (!shared) await Promise.all([issuer.close(), database.drop()]);
    },
  };
}

let nextStravaId = 1_000_000;

/** A plausible Strava run. */
export function makeRun(overrides: Partial<RunInput> = {}): RunInput {
  nextStravaId += 1;
  return {
    stravaId: nextStravaId,
    name: `Morning Run ${nextStravaId}`,
    sportType: 'Run',
    startDate: '2026-03-02T06:15:09Z',
    startDateLocal: '2026-03-02T07:15:09Z',
    timezone: '(GMT+01:00) Europe/Paris',
    distance: 10_012.4,
    movingTime: 3000,
    elapsedTime: 3100,
    totalElevationGain: 52.1,
    averageSpeed: 3.337,
    maxSpeed: 5.2,
    averageHeartrate: 151.3,
    maxHeartrate: 178,
    summaryPolyline:
      'ki{eFvqfiVqAWQIGEEKAYJgBVqDJ{BHa@jAkNJw@Pw@V{APs@^aABQAOEQGKoJ_FuJkFqAo@{A}@sH{DiAs@Q]?WVy@`@oBt@_CB]KYMMkB{AQEI@WT{BlE{@zAQPI@ICsCqA_BcAeCmAaFmCqIoEcLeG}KcG}A}@cDaBiDsByAkAuBqBi@y@_@o@o@kB}BgIoA_EUkAMcACa@BeBBq@LaAJe@b@uA`@_AdBcD`@iAPq@RgALqAB{@EqAyAoOCy@AWDmBJq@bA}DhAqDRo@b@_AbAeBbBuBzD{DjBaCb@q@Rc@f@cBj@mCb@wBl@qCXqA',
    ...overrides,
  };
}

export const USER = { stravaAthleteId: 4242, firstname: 'Ada', lastname: 'Runner', city: 'Paris', country: 'France' };
