import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { env } from './fields.js';
import { parseConfig } from './load-config.js';

const schema = z.object({
  PORT: env.port(5000),
  DATABASE_URL: env.postgresUrl(),
  TOKEN_DEALER_URL: env.httpUrl(),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: env.logFormat(),
  PEPPER: env.secret(32),
  ENABLED: env.boolean(false),
  SPORTS: env.list(['Run', 'TrailRun']),
});
const PEPPER = randomBytes(32).toString('hex');
const valid = { TOKEN_DEALER_URL: 'http://127.0.0.1:5000/', PEPPER };

describe('parseConfig', () => {
  it('applies defaults and normalises values', () => {
    const config = parseConfig(schema, valid);
    expect(config).toEqual({
      PORT: 5000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/runnerly',
      TOKEN_DEALER_URL: 'http://127.0.0.1:5000',
      LOG_LEVEL: 'info',
      PEPPER,
      ENABLED: false,
      SPORTS: ['Run', 'TrailRun'],
    });
  });

  it('takes LOG_FORMAT json or pretty, and leaves it unset for the platform to decide', () => {
    expect(parseConfig(schema, { ...valid, LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(parseConfig(schema, { ...valid, LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(parseConfig(schema, valid).LOG_FORMAT).toBeUndefined();
  });

  it('names a missing variable', () => {
    expect(() => parseConfig(schema, { PEPPER: valid.PEPPER })).toThrow(
      'invalid configuration: TOKEN_DEALER_URL is required',
    );
  });

  it('treats an empty value as unset', () => {
    expect(() => parseConfig(schema, { ...valid, TOKEN_DEALER_URL: '' })).toThrow('TOKEN_DEALER_URL is required');
  });

  it.each([
    ['PORT', '70000', /PORT/],
    ['PORT', 'abc', /PORT/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a URL starting with postgres:\/\//],
    ['TOKEN_DEALER_URL', 'not a url', /TOKEN_DEALER_URL must be a URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['LOG_FORMAT', 'colourful', /LOG_FORMAT/],
    ['PEPPER', 'short', /PEPPER must be at least 32 bytes/],
    ['PEPPER', 'a'.repeat(64), /PEPPER is a weak secret \(a repeated pattern\)/],
    [
      'PEPPER',
      Buffer.from('password12345678password12345678').toString('base64'),
      /PEPPER is a weak secret \(holds the common word "password"\)/,
    ],
    ['PEPPER', Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex'), /PEPPER is a weak secret/],
    ['DATABASE_URL', 'postgres://runnerly:changeme@db:5432/runnerly', /DATABASE_URL holds a weak password/],
    ['ENABLED', 'maybe', /ENABLED/],
  ])('rejects a malformed %s (%s) in one line', (name, value, message) => {
    let error: unknown;
    try {
      parseConfig(schema, { ...valid, [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
