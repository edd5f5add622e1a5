import fc from 'fast-check';

/**
 * Hostile input for property-based tests of public endpoints: what a fuzzer, a broken client or
 * an attacker sends. Each service's suite throws these at every route and asserts the one rule of
 * `expectClientError`: a 4xx with a JSON error body, never a 500, never a hang.
 */

/** Strings chosen to break parsers, validators, SQL and path handling. */
const nastyStrings = [
  '',
  ' ',
  '\u0000',
  '\u0000abc',
  '\r\n',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '%',
  '%ZZ',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '-0',
  '0x1F',
  '9'.repeat(40),
  '<script>alert(1)</script>',
  '${7*7}',
  '\u202e\u0000\ufeff',
  '😀🏃‍♀️',
  '\ud800',
  'a'.repeat(5_000),
];

/** Any string: random, unicode (lone surrogates included), or a known troublemaker. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('%', '/', '?', '#', '.', '\\', '&', '='), maxLength: 12 }) },
);

/** A value of the wrong type, size or shape where a field is expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, -1e308, 1e21, [], {}, [null], { $gt: '' }),
  fc.double(),
  fc.bigInt().map(String),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** An object that looks like `shape` with fields dropped, retyped, added, or turned into prototype keys. */
export function hostileObject(shape: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(shape);
  return fc
    .record({
      drop: fc.subarray(keys),
      retype: fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: keys.length }),
      extra: fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'toString')), hostileValue, { maxKeys: 3 }),
    })
    .map(({ drop, retype, extra }) => {
      const object: Record<string, unknown> = { ...shape, ...retype };
      for (const key of drop) delete object[key];
      for (const [key, value] of Object.entries(extra)) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      return object;
    });
}

export interface HostileBody {
  /** The bytes sent. */
  raw: string;
  /** The content-type header sent (undefined: none). */
  contentType?: string;
}

const json = 'application/json';

/**
 * A request body that must be refused: broken JSON, JSON of the wrong shape (`valid` mutated), deep
 * nesting, the right JSON under the wrong content type. `valid` is a body the endpoint would accept.
 */
export function hostileBody(valid?: Record<string, unknown>): fc.Arbitrary<HostileBody> {
  const shaped = valid ? hostileObject(valid) : fc.dictionary(hostileString, hostileValue, { maxKeys: 4 });
  return fc.oneof(
    shaped.map((object) => ({ raw: JSON.stringify(object), contentType: json })),
    fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => ({ raw: JSON.stringify(value), contentType: json })),
    hostileString.map((raw) => ({ raw, contentType: json })),
    shaped.map((object) => JSON.stringify(object)).chain((text) => fc.nat(Math.max(0, text.length - 1)).map((cut) => ({ raw: text.slice(0, cut), contentType: json }))),
    fc.nat({ max: 20_000 }).map((depth) => ({ raw: '['.repeat(depth + 1) + ']'.repeat(depth + 1), contentType: json })),
    fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-7', 'application/json; charset=nope', '').map((contentType) => ({
      raw: JSON.stringify(valid ?? {}),
      contentType,
    })),
  );
}

/** A path segment where an id is expected: every hostile string, URL-encoded so it reaches the router. */
export const hostileSegment: fc.Arbitrary<string> = hostileString
  .filter((value) => value.length > 0 && value !== '.' && value !== '..')
  .map((value) => {
    try {
      return encodeURIComponent(value);
    } catch {
      return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, 'x'));
    }
  });

/** A query string value, raw (not encoded), to exercise the query parser too. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(hostileSegment, fc.constantFrom('%', '%ZZ', 'a&b=c', 'x[y]=1', '[]', '%E0%A4%A'));

/** Header values an attacker controls (only ones fetch will send: no CR/LF, latin-1). */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 200 }),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic', 'Basic !!!', 'Basic ' + Buffer.from(':').toString('base64'), 'Bearer a.b.c', 'Bearer ' + 'a'.repeat(9_000), 'bearer\teyJ'),
);

export interface ClientErrorAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/** Why `answer` breaks the rule (a 4xx with a JSON `{error, message}` body), or undefined if it keeps it. */
export function clientErrorViolation(answer: ClientErrorAnswer): string | undefined {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}, not a 4xx: ${answer.body.slice(0, 300)}`;
  if (!answer.contentType?.includes('json')) return `status ${answer.status} with content-type ${answer.contentType}: ${answer.body.slice(0, 300)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `status ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 300)}`;
  }
  const { error, message } = (parsed ?? {}) as { error?: unknown; message?: unknown };
  if (typeof error !== 'string' || typeof message !== 'string') return `status ${answer.status} without {error, message}: ${answer.body.slice(0, 300)}`;
  return undefined;
}

/** Reads a fetch Response and throws (failing the property) unless it is a 4xx JSON error. */
export async function expectClientError(response: Response, what = ''): Promise<void> {
  const answer = { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  const violation = clientErrorViolation(answer);
  if (violation) throw new Error(`${what ? `${what}: ` : ''}${violation}`);
}

/** Runs the property with a bounded number of runs (FAST_CHECK_RUNS overrides) and a fixed seed when FAST_CHECK_SEED is set. */
export function hostileRuns(numRuns = 60): { numRuns: number; seed?: number; endOnFailure: boolean } {
  const seed = process.env.FAST_CHECK_SEED ? Number(process.env.FAST_CHECK_SEED) : undefined;
  return { numRuns: Number(process.env.FAST_CHECK_RUNS ?? numRuns), ...(seed === undefined ? {} : { seed }), endOnFailure: true };
}

export { fc };
