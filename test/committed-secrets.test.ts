import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** What a committed credential looks like. */
const SHAPES: Array<[string, RegExp]> = [
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['JWT', /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/],
  ['Strava-style token (40 hex)', /\b[0-9a-f]{40}\b/],
  // A value, not a path, a variable or a fixture that names itself (`dashboard-test-secret`).
  [
    'secret assigned a value',
    /^\s*(?:export\s+)?[A-Z0-9_]*(?:SECRET|PEPPER|PASSWORD|ENCRYPTION_KEY|PRIVATE_KEY)[A-Z0-9_]*\s*[=:]\s*['"]?(?![/$])(?![\w+/=-]*(?:secret|test|example))[\w+/=-]{16,}/im,
  ],
  ['URL with a password', /\b(?:postgres(?:ql)?|rediss?(?:-cluster)?|https?):\/\/[^\s/:@'"]+:[^\s/@'"$]{4,}@/],
];

/**
 * Reviewed exceptions: Strava's own documentation example token inside its published swagger; the
 * weak database password the configuration spec shows being refused; the made-up credentials the
 * REDIS_URL parser's spec reads back (a user and a percent-encoded password).
 */
const ALLOWED = new Map<string, RegExp>([
  ['apps/strava-sandbox/test/fixtures/strava-swagger.json', /\b18e4615989b47dd4ff3dc711b0aa4502e4b311a9\b/g],
  ['libs/config/src/load-config.spec.ts', /postgres:\/\/runnerly:changeme@db:5432\/runnerly/g],
  ['libs/config/src/redis-url.spec.ts', /rediss:\/\/user:p%40ss@redis\.internal\/3/g],
]);

describe('the repository', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);

  it('tracks no env file, key or certificate', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(
      files.filter((file) =>
        /(^|\/)\.env(\.(?!example$)[^/]*)?$|\.(pem|key|p12|pfx|crt)$|(^|\/)\.runnerly\//.test(file),
      ),
    ).toEqual([]);
  });

  it('holds no secret in any tracked file', () => {
    const found: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      if (text.includes('\0')) continue; // binary
      const allowed = ALLOWED.get(file);
      if (allowed) text = text.replace(allowed, '');
      for (const [what, shape] of SHAPES) if (shape.test(text)) found.push(`${file}: ${what}`);
    }
    expect(found).toEqual([]);
  });
});
