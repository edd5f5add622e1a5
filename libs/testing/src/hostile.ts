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
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom('%', '/', '?', '#', '.', '\\', '&', '='), maxLength: 12 }),
  },
);

/** A value of the wrong type, size or shape where a field is expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, -1e308, 1e21, [], {}, [null], {
    $gt: '',
  }),
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
      extra: fc.dictionary(
        fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'toString')),
        hostileValue,
        { maxKeys: 3 },
      ),
    })
    .map(({ drop, retype, extra }) => {
      const object: Record<string, unknown> = { ...shape, ...retype };
      for (const key of drop) delete object[key];
      for (const [key, value] of Object.entries(extra))
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
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
    fc
      .jsonValue({ maxDepth: 2 })
      .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
      .map((value) => ({ raw: JSON.stringify(value), contentType: json })),
    hostileString.map((raw) => ({ raw, contentType: json })),
    shaped
      .map((object) => JSON.stringify(object))
      .chain((text) =>
        fc.nat(Math.max(0, text.length - 1)).map((cut) => ({ raw: text.slice(0, cut), contentType: json })),
      ),
    fc.nat({ max: 20_000 }).map((depth) => ({ raw: '['.repeat(depth + 1) + ']'.repeat(depth + 1), contentType: json })),
    fc
      .constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-7',
        'application/json; charset=nope',
        '',
      )
      .map((contentType) => ({
        raw: JSON.stringify(valid ?? {}),
        contentType,
      })),
  );
}

/** Whether `value` holds a `__proto__` key or a `constructor.prototype` anywhere (what Fastify's JSON parser refuses). */
function poisoned(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (!Array.isArray(item)) {
      if (Object.hasOwn(item, '__proto__')) return true;
      const constructor = (item as Record<string, unknown>).constructor;
      if (
        Object.hasOwn(item, 'constructor') &&
        typeof constructor === 'object' &&
        constructor !== null &&
        Object.hasOwn(constructor, 'prototype')
      )
        return true;
    }
    pending.push(...Object.values(item));
  }
  return false;
}

/**
 * The JSON value a Fastify server parses from `body`: undefined when it is not JSON under a JSON
 * content type, or when it carries prototype keys (refused with a 400).
 */
export function parsedJson(body: HostileBody): { value: unknown } | undefined {
  if (!body.contentType || !/^application\/json\s*(;|$)/i.test(body.contentType)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.raw);
  } catch {
    return undefined;
  }
  return poisoned(value) ? undefined : { value };
}

const FORM = 'application/x-www-form-urlencoded';

/** `value` percent-encoded as a form field (a lone surrogate, which cannot be encoded, becomes `x`). */
function formEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, 'x'));
  }
}

/** Form fields as an `application/x-www-form-urlencoded` body; a field may repeat. */
export function formBody(fields: Record<string, string> | Array<[string, string]>, contentType = FORM): HostileBody {
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  return { raw: pairs.map(([name, value]) => `${formEncode(name)}=${formEncode(value)}`).join('&'), contentType };
}

/**
 * A form body that looks like `valid` (the fields an endpoint would accept) with fields dropped,
 * replaced by hostile strings, repeated or added; raw junk that is no form at all; the valid form
 * under a wrong content type.
 */
export function hostileForm(valid: Record<string, string>): fc.Arbitrary<HostileBody> {
  const names = Object.keys(valid);
  const mutated = fc
    .record({
      drop: fc.subarray(names),
      retype: fc.dictionary(fc.constantFrom(...names), hostileString, { maxKeys: names.length }),
      repeat: fc.subarray(names, { maxLength: Math.min(2, names.length) }),
      extra: fc.array(
        fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', ...names)), hostileString),
        { maxLength: 3 },
      ),
    })
    .map(({ drop, retype, repeat, extra }) => {
      const fields: Record<string, string> = { ...valid, ...retype };
      const pairs: Array<[string, string]> = Object.entries(fields).filter(([name]) => !drop.includes(name));
      for (const name of repeat) pairs.push([name, fields[name] ?? '']);
      return formBody([...pairs, ...extra]);
    });
  return fc.oneof(
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: hostileString.map((raw) => ({ raw, contentType: FORM })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
          '',
          `${FORM}; charset=utf-16`,
          'application/x-www-form-urlencodedx',
        )
        .map((contentType) => formBody(valid, contentType)),
    },
  );
}

/** The form fields a Fastify service parses from `body` (undefined when its content type is not a form). */
export function parsedForm(body: HostileBody): Record<string, string | string[]> | undefined {
  if (!body.contentType || !/^application\/x-www-form-urlencoded\s*(;|$)/i.test(body.contentType)) return undefined;
  return parsedFields(body.raw);
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
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  hostileSegment,
  fc.constantFrom('%', '%ZZ', 'a&b=c', 'x[y]=1', '[]', '%E0%A4%A'),
);

/**
 * The query object a Fastify service sees for `search` (its default parser, fast-querystring):
 * `+` is a space, a malformed escape stays as written, a repeated key becomes an array.
 */
export function parsedQuery(search: string): Record<string, string | string[]> {
  return parsedFields(search.replace(/^\?/, ''));
}

/** `name=value&…` pairs as fast-querystring parses them (query strings and form bodies alike). */
function parsedFields(text: string): Record<string, string | string[]> {
  const decode = (part: string) => {
    const spaced = part.replace(/\+/g, ' ');
    try {
      return decodeURIComponent(spaced);
    } catch {
      return spaced;
    }
  };
  const result: Record<string, string | string[]> = {};
  for (const pair of text.split('&')) {
    const equals = pair.indexOf('=');
    if (equals < 0 && pair === '') continue;
    const key = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    const current = Object.hasOwn(result, key) ? result[key] : undefined;
    const next = current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value];
    Object.defineProperty(result, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Header values an attacker controls (only ones fetch will send: no CR/LF, latin-1). */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 200 }),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic',
    'Basic !!!',
    'Basic ' + Buffer.from(':').toString('base64'),
    'Bearer a.b.c',
    'Bearer ' + 'a'.repeat(9_000),
    'bearer\teyJ',
  ),
);

export interface ClientErrorAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * The JSON shape of an error body: Runnerly's `{error, message}`, RFC 6749 §5.2's
 * `{error, error_description?}` (OAuth endpoints), or Strava's fault `{message, errors: [{resource, field, code}]}`.
 */
export type ErrorShape = 'runnerly' | 'oauth' | 'strava';

function shapeViolation(parsed: unknown, shape: ErrorShape): string | undefined {
  const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  switch (shape) {
    case 'runnerly':
      // `error` is a stable machine-readable code (snake_case), not a phrase.
      return typeof body.error === 'string' && /^[a-z][a-z0-9_]*$/.test(body.error) && typeof body.message === 'string'
        ? undefined
        : 'without {error: snake_case code, message}';
    case 'oauth':
      return typeof body.error === 'string' &&
        /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/.test(body.error) &&
        ['undefined', 'string'].includes(typeof body.error_description)
        ? undefined
        : 'without an RFC 6749 {error, error_description?}';
    case 'strava': {
      const errors = body.errors;
      const valid =
        typeof body.message === 'string' &&
        Array.isArray(errors) &&
        errors.every((item: unknown) => {
          const { resource, field, code } = (typeof item === 'object' && item !== null ? item : {}) as Record<
            string,
            unknown
          >;
          return typeof resource === 'string' && typeof field === 'string' && typeof code === 'string';
        });
      return valid ? undefined : "without Strava's {message, errors: [{resource, field, code}]}";
    }
  }
}

/** Why `answer` breaks the rule (a 4xx with a JSON error body of `shape`), or undefined if it keeps it. */
export function clientErrorViolation(answer: ClientErrorAnswer, shape: ErrorShape = 'runnerly'): string | undefined {
  if (answer.status < 400 || answer.status > 499)
    return `status ${answer.status}, not a 4xx: ${answer.body.slice(0, 300)}`;
  if (!answer.contentType?.includes('json'))
    return `status ${answer.status} with content-type ${answer.contentType}: ${answer.body.slice(0, 300)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `status ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 300)}`;
  }
  const violation = shapeViolation(parsed, shape);
  return violation && `status ${answer.status} ${violation}: ${answer.body.slice(0, 300)}`;
}

/**
 * Why `answer` breaks the rule for an input the endpoint may legitimately accept (its own schema
 * accepts it, or the endpoint ignores that part of the request): a 2xx or 3xx, or else a 4xx JSON
 * error of `shape`; never a 5xx.
 */
export function answerViolation(answer: ClientErrorAnswer, shape: ErrorShape = 'runnerly'): string | undefined {
  return answer.status >= 200 && answer.status < 400 ? undefined : clientErrorViolation(answer, shape);
}

async function readAnswer(response: Response): Promise<ClientErrorAnswer> {
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** Reads a fetch Response and throws (failing the property) unless it is a 4xx JSON error of `shape`. */
export async function expectClientError(response: Response, what = '', shape: ErrorShape = 'runnerly'): Promise<void> {
  const violation = clientErrorViolation(await readAnswer(response), shape);
  if (violation) throw new Error(`${what ? `${what}: ` : ''}${violation}`);
}

/**
 * Reads a fetch Response and throws unless it keeps the rule for `accepted` input (see
 * `answerViolation`) or, when `accepted` is false, for refused input (see `clientErrorViolation`).
 */
export async function expectAnswer(
  response: Response,
  accepted: boolean,
  what = '',
  shape: ErrorShape = 'runnerly',
): Promise<ClientErrorAnswer> {
  const answer = await readAnswer(response);
  const violation = accepted ? answerViolation(answer, shape) : clientErrorViolation(answer, shape);
  if (violation) throw new Error(`${what ? `${what}: ` : ''}${accepted ? '(accepted input) ' : ''}${violation}`);
  return answer;
}

export interface HostileRequest {
  method: string;
  /** Path and query, already encoded as they should travel. */
  path: string;
  body?: HostileBody;
  headers?: Record<string, string>;
}

/** Sends `request` to `baseUrl`; a service that does not answer within `timeoutMs` fails the property (a hang). */
export async function sendHostile(baseUrl: string, request: HostileRequest, timeoutMs = 10_000): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body?.contentType !== undefined) headers['content-type'] ??= request.body.contentType;
  try {
    return await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body?.raw,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(
      `${request.method} ${request.path.slice(0, 200)}: no answer (${(error as Error).message}; cause: ${String((error as { cause?: unknown }).cause)})`,
      { cause: error },
    );
  }
}

/** Runs the property with a bounded number of runs (FAST_CHECK_RUNS overrides) and a fixed seed when FAST_CHECK_SEED is set. */
export function hostileRuns(numRuns = 60): { numRuns: number; seed?: number; endOnFailure: boolean } {
  const seed = process.env.FAST_CHECK_SEED ? Number(process.env.FAST_CHECK_SEED) : undefined;
  return {
    numRuns: Number(process.env.FAST_CHECK_RUNS ?? numRuns),
    ...(seed === undefined ? {} : { seed }),
    endOnFailure: true,
  };
}

export { fc };

/** What a router makes of a path segment: decoded, or left as it is when the escape is broken. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
