import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { fc } from '@runnerly/testing';

// What the dashboard's attack tests share beyond @runnerly/testing's kit: raw HTTP (paths and Host
// headers that fetch would normalise or refuse), near misses of a secret, session cookies forged the
// way express-session signs them, and the one rule for every Location the dashboard sends.

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request with the path and headers exactly as given (fetch resolves `..` and `%2e`), from
 * `localAddress` when given (any 127.x.y.z: another client address on this machine).
 */
export function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const latin1Char = fc
  .oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }))
  .map((code) => String.fromCharCode(code));
const anyChar = fc.oneof(
  latin1Char,
  fc.constantFrom('é', 'ß', '€', '😀', '\u0000', '\ud800', '\u202e'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);

/**
 * Near misses of a secret the server compares (CSRF token, OAuth state): the same length with
 * characters swapped (multi-byte ones too, so that character and byte lengths differ), cut,
 * extended, doubled, case-flipped. `headerSafe` keeps to what an HTTP header carries unchanged
 * (latin-1, no spaces a server would trim). Never the secret itself.
 */
export function nearMiss(secret: string, { headerSafe = false } = {}): fc.Arbitrary<string> {
  const char = headerSafe ? latin1Char : anyChar;
  const chars = [...secret];
  return fc
    .oneof(
      fc.array(fc.tuple(fc.nat(), char), { minLength: 1, maxLength: 4 }).map((edits) => {
        const edited = [...chars];
        for (const [index, replacement] of edits) edited[index % Math.max(1, edited.length)] = replacement;
        return edited.join('');
      }),
      fc.nat(Math.max(0, chars.length - 1)).map((length) => chars.slice(0, length).join('')),
      fc.string({ unit: char, minLength: 1, maxLength: 8 }).map((extra) => secret + extra),
      fc.constantFrom(secret + secret, secret + ',' + secret, secret.toUpperCase(), secret.toLowerCase()),
    )
    .filter((value) => value !== secret && (!headerSafe || value === value.trim()));
}

/** The session id inside an express-session cookie value (`s%3A<id>.<signature>`). */
export function sessionIdOf(cookieValue: string): string {
  const unsigned = decodeURIComponent(cookieValue).replace(/^s:/, '');
  return unsigned.slice(0, unsigned.lastIndexOf('.'));
}

/** A cookie value signed the way express-session (cookie-signature) signs, with `secret`. */
export function signedCookie(sessionId: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sessionId).digest('base64').replace(/=+$/, '');
  return encodeURIComponent(`s:${sessionId}.${signature}`);
}

/** Session cookie values nobody signed with the dashboard's secret, built around a real one. */
export function forgedSessionCookie(realCookieValue: string): fc.Arbitrary<string> {
  const id = sessionIdOf(realCookieValue);
  const signature = decodeURIComponent(realCookieValue).slice(id.length + 3);
  const cookieChar = fc.integer({ min: 0x21, max: 0x7e }).filter((code) => code !== 0x3b && code !== 0x2c);
  return fc.oneof(
    fc.string({ unit: cookieChar.map((code) => String.fromCharCode(code)), maxLength: 120 }),
    fc.constantFrom('', 's:', 's%3A', '%', '%ZZ', 's%3A.', '"s%3Aabc.def"', 'j%3A%7B%7D', 'a'.repeat(12_000)),
    // the real id signed with another secret, or the real signature on another id
    fc.string({ minLength: 1, maxLength: 64 }).map((secret) => signedCookie(id, secret)),
    nearMiss(id, { headerSafe: true }).map((otherId) => encodeURIComponent(`s:${otherId}.${signature}`)),
    nearMiss(signature, { headerSafe: true }).map((otherSignature) => encodeURIComponent(`s:${id}.${otherSignature}`)),
    fc.constant(signedCookie(randomBytes(24).toString('base64url'), randomBytes(32).toString('hex'))),
    // the real value unsigned, or without its `s:` prefix
    fc.constantFrom(encodeURIComponent(id), encodeURIComponent(`${id}.${signature}`)),
  );
}

export interface AllowedRedirects {
  /** The dashboard's own origin. */
  dashboardUrl: string;
  /** Where the configured Strava authorizes (`{STRAVA_BASE_URL}/oauth/authorize`). */
  authorizeUrl: string;
  clientId: string;
}

/**
 * Why `location` breaks the rule (same-origin, or the Strava authorize URL built from the
 * configuration, with exactly the configured callback), or undefined if it keeps it.
 */
export function redirectViolation(location: string | null | undefined, allowed: AllowedRedirects): string | undefined {
  if (location === null || location === undefined) return undefined;
  if (/^\s*[/\\]{2}/.test(location)) return `scheme-relative Location ${location}`;
  let target: URL;
  try {
    target = new URL(location, allowed.dashboardUrl);
  } catch {
    return `unparsable Location ${location}`;
  }
  if (target.origin === new URL(allowed.dashboardUrl).origin) return undefined;
  if (`${target.origin}${target.pathname}` !== allowed.authorizeUrl) return `off-site Location ${location}`;
  const callback = `${allowed.dashboardUrl}/auth/strava/callback`;
  if (target.searchParams.getAll('redirect_uri').join() !== callback)
    return `authorize URL with redirect_uri ${target.searchParams.getAll('redirect_uri').join()} (not ${callback})`;
  if (target.searchParams.getAll('client_id').join() !== allowed.clientId)
    return `authorize URL for client ${target.searchParams.getAll('client_id').join()}`;
  return undefined;
}

export function expectSafeRedirect(location: string | null | undefined, allowed: AllowedRedirects, what = ''): void {
  const violation = redirectViolation(location, allowed);
  if (violation) throw new Error(`${what ? `${what}: ` : ''}${violation}`);
}
