import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '@runnerly/config';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDealerConfigSchema } from '../src/config.js';
import { startTokenDealer, type TestTokenDealer } from '../src/testing/index.js';

const FAILURE_KEYS = 'runnerly:token-dealer:failures:*';

/** POST /oauth/token over a connection from `localAddress` (127.0.0.0/8 is all this host's). */
function tokenRequest(
  url: string,
  credentials: { id: string; secret: string },
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; retryAfter?: string; body: Record<string, unknown> }> {
  const body = 'grant_type=client_credentials';
  const basic = Buffer.from(`${encodeURIComponent(credentials.id)}:${encodeURIComponent(credentials.secret)}`).toString(
    'base64',
  );
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/oauth/token`,
      {
        method: 'POST',
        localAddress: options.localAddress ?? '127.0.0.1',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
          authorization: `Basic ${basic}`,
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` requests, `concurrency` at a time; how many got each status. */
async function flood(count: number, concurrency: number, send: (i: number) => Promise<{ status: number }>) {
  const statuses: Record<number, number> = {};
  for (let start = 0; start < count; start += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => send(start + i)),
    );
    for (const { status } of batch) statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return statuses;
}

describe('token-dealer: wrong secrets are throttled, the right one is never refused', () => {
  let dealer: TestTokenDealer;
  let redis: Redis;
  let secret: string;
  const wrong = () => randomBytes(32).toString('base64url');

  beforeAll(async () => {
    // The defaults: 20 wrong secrets per (client, address), 50 per address, per 300 s window.
    dealer = await startTokenDealer();
    secret = (await dealer.clients.create('dashboard', 'users:read', 'data-service')).client_secret;
    redis = new Redis(dealer.redisUrl);
  });
  afterAll(async () => {
    redis.disconnect();
    await dealer.close();
  });

  it('takes the right secret after 1,000 failures from the same address, and from another address; the attacker gets 20 answers, then 429s', async () => {
    const attacker = '127.0.0.10';
    const statuses = await flood(1000, 25, () =>
      tokenRequest(dealer.url, { id: 'dashboard', secret: wrong() }, { localAddress: attacker }),
    );
    // What the guessing bought: 20 plain refusals, then only "retry later" (all wrong either way).
    expect(statuses).toEqual({ 401: 20, 429: 980 });
    const throttled = await tokenRequest(dealer.url, { id: 'dashboard', secret: wrong() }, { localAddress: attacker });
    expect(throttled).toMatchObject({ status: 429, body: { error: 'too_many_attempts' } });
    expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
    expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(300);

    // The real dashboard, behind the same NAT as the attacker: not refused.
    const sameAddress = await tokenRequest(dealer.url, { id: 'dashboard', secret }, { localAddress: attacker });
    expect(sameAddress.status).toBe(200);
    expect(sameAddress.body.access_token).toEqual(expect.any(String));
    // From its own address: not refused either, and its own mistakes still get a plain 401.
    const elsewhere = await tokenRequest(dealer.url, { id: 'dashboard', secret }, { localAddress: '127.0.0.11' });
    expect(elsewhere.status).toBe(200);
    expect(
      (await tokenRequest(dealer.url, { id: 'dashboard', secret: wrong() }, { localAddress: '127.0.0.11' })).status,
    ).toBe(401);
  });

  it('counts a random client_id flood against the address only: no Redis key per id', async () => {
    const before = new Set(await redis.keys(FAILURE_KEYS));
    const statuses = await flood(300, 25, (i) =>
      tokenRequest(
        dealer.url,
        { id: `random-${i}-${randomBytes(6).toString('hex')}`, secret: wrong() },
        { localAddress: '127.0.0.12' },
      ),
    );
    expect(statuses).toEqual({ 401: 50, 429: 250 });
    // Malformed ids too (not even looked up).
    expect(
      (await tokenRequest(dealer.url, { id: '../../etc/passwd', secret: wrong() }, { localAddress: '127.0.0.12' }))
        .status,
    ).toBe(429);
    const created = (await redis.keys(FAILURE_KEYS)).filter((key) => !before.has(key));
    expect(created).toEqual(['runnerly:token-dealer:failures:addr:127.0.0.12']);
    const all = await redis.keys('*');
    expect(all.filter((key) => key.includes('random-'))).toEqual([]);
  });
});

describe('token-dealer: TOKEN_DEALER_TRUST_PROXY', () => {
  const base = {
    TOKEN_DEALER_PEPPER: randomBytes(32).toString('hex'),
    TOKEN_DEALER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  const parse = (value: string) =>
    parseConfig(TokenDealerConfigSchema, { ...base, TOKEN_DEALER_TRUST_PROXY: value }).TOKEN_DEALER_TRUST_PROXY;

  it('takes a hop count or addresses/CIDRs, and refuses "trust every hop"', () => {
    expect(parseConfig(TokenDealerConfigSchema, base).TOKEN_DEALER_TRUST_PROXY).toBe(false);
    expect(parse('1')).toBe(1);
    expect(parse('10.0.0.0/8, 172.16.0.5,::1/128')).toEqual(['10.0.0.0/8', '172.16.0.5', '::1/128']);
    for (const value of ['true', 'TRUE', 'yes', '*', '10.0.0.0/33', 'proxy.local']) {
      expect(() => parse(value), value).toThrow(ConfigError);
    }
    expect(() => parse('true')).toThrow(/TOKEN_DEALER_TRUST_PROXY/);
  });

  it('refuses to start with TOKEN_DEALER_TRUST_PROXY=true, with one line naming it', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const started = spawnSync(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'apps/token-dealer/src/main.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          ...base,
          TOKEN_DEALER_TRUST_PROXY: 'true',
          TOKEN_DEALER_PORT: '1',
          RUNNERLY_ENV_FILE: '',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(started.status).not.toBe(0);
    expect(started.stderr).toMatch(/TOKEN_DEALER_TRUST_PROXY/);
    expect(started.stderr).toMatch(/every hop/);
  });

  it('behind one trusted proxy, counts the address the proxy saw: a forged X-Forwarded-For does not buy a fresh budget', async () => {
    const dealer = await startTokenDealer({
      TOKEN_DEALER_TRUST_PROXY: '1',
      TOKEN_DEALER_MAX_FAILURES_PER_ADDRESS: '5',
    });
    try {
      const statuses = await flood(10, 5, (i) =>
        tokenRequest(
          dealer.url,
          { id: 'nobody', secret: 'wrong' },
          { headers: { 'x-forwarded-for': `10.9.9.${i}, 203.0.113.7` } },
        ),
      );
      expect(statuses).toEqual({ 401: 5, 429: 5 });
      // Another client of the proxy has its own budget.
      const other = await tokenRequest(
        dealer.url,
        { id: 'nobody', secret: 'wrong' },
        { headers: { 'x-forwarded-for': '203.0.113.8' } },
      );
      expect(other.status).toBe(401);
    } finally {
      await dealer.close();
    }
  });
});
