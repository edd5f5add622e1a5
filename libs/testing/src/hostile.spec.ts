import { describe, expect, it } from 'vitest';
import {
  answerViolation,
  clientErrorViolation,
  fc,
  hostileBody,
  hostileSegment,
  parsedJson,
  parsedQuery,
} from './hostile.js';

describe('hostile input kit', () => {
  const json = 'application/json; charset=utf-8';

  it('accepts only a 4xx with a JSON {error, message} body', () => {
    expect(
      clientErrorViolation({ status: 400, contentType: json, body: '{"error":"bad_request","message":"no"}' }),
    ).toBeUndefined();
    expect(
      clientErrorViolation({ status: 500, contentType: json, body: '{"error":"internal","message":"x"}' }),
    ).toMatch(/status 500/);
    expect(clientErrorViolation({ status: 200, contentType: json, body: '{}' })).toMatch(/not a 4xx/);
    expect(clientErrorViolation({ status: 404, contentType: 'text/html', body: '<h1>' })).toMatch(/content-type/);
    expect(clientErrorViolation({ status: 400, contentType: json, body: 'nope' })).toMatch(/not JSON/);
    expect(clientErrorViolation({ status: 400, contentType: json, body: '{"statusCode":400}' })).toMatch(
      /without \{error/,
    );
    expect(
      clientErrorViolation({ status: 414, contentType: json, body: '{"error":"URI Too Long","message":"x"}' }),
    ).toMatch(/snake_case/);
  });

  it('checks the OAuth (RFC 6749 §5.2) and Strava fault shapes when asked', () => {
    expect(
      clientErrorViolation(
        { status: 400, contentType: json, body: '{"error":"invalid_request","error_description":"no"}' },
        'oauth',
      ),
    ).toBeUndefined();
    expect(
      clientErrorViolation({ status: 401, contentType: json, body: '{"error":"invalid_client"}' }, 'oauth'),
    ).toBeUndefined();
    expect(
      clientErrorViolation({ status: 400, contentType: json, body: '{"error":"requête","message":"no"}' }, 'oauth'),
    ).toMatch(/RFC 6749/);
    expect(
      clientErrorViolation({ status: 400, contentType: json, body: '{"error":"x","error_description":3}' }, 'oauth'),
    ).toMatch(/RFC 6749/);
    const fault = '{"message":"Bad Request","errors":[{"resource":"Activity","field":"id","code":"invalid"}]}';
    expect(clientErrorViolation({ status: 400, contentType: json, body: fault }, 'strava')).toBeUndefined();
    expect(
      clientErrorViolation({ status: 400, contentType: json, body: '{"message":"x","errors":[{"code":1}]}' }, 'strava'),
    ).toMatch(/Strava/);
    expect(
      clientErrorViolation({ status: 404, contentType: json, body: '{"error":"not_found","message":"x"}' }, 'strava'),
    ).toMatch(/Strava/);
  });

  it('lets accepted input answer 2xx or 3xx, never 5xx', () => {
    expect(answerViolation({ status: 200, contentType: json, body: '{}' })).toBeUndefined();
    expect(answerViolation({ status: 302, contentType: null, body: '' })).toBeUndefined();
    expect(
      answerViolation({ status: 404, contentType: json, body: '{"error":"not_found","message":"x"}' }),
    ).toBeUndefined();
    expect(answerViolation({ status: 500, contentType: json, body: '{"error":"internal","message":"x"}' })).toMatch(
      /status 500/,
    );
  });

  it('parses a body as a JSON server would, only under a JSON content type', () => {
    expect(parsedJson({ raw: '{"a":1}', contentType: 'application/json; charset=utf-8' })).toEqual({ value: { a: 1 } });
    expect(parsedJson({ raw: '{"a":1}', contentType: 'text/plain' })).toBeUndefined();
    expect(parsedJson({ raw: '{"a":', contentType: 'application/json' })).toBeUndefined();
    expect(parsedJson({ raw: '{"a":[{"__proto__":1}]}', contentType: 'application/json' })).toBeUndefined();
    expect(parsedJson({ raw: '{"constructor":{"prototype":{}}}', contentType: 'application/json' })).toBeUndefined();
    expect(parsedJson({ raw: '{"constructor":"x","prototype":1}', contentType: 'application/json' })).toEqual({
      value: { constructor: 'x', prototype: 1 },
    });
  });

  it('parses a query string as Fastify does', () => {
    expect(parsedQuery('?a=1&b=%ZZ&a=2&c=x+y&d&=e&f=%E2%82%AC')).toEqual({
      a: ['1', '2'],
      b: '%ZZ',
      c: 'x y',
      d: '',
      '': 'e',
      f: '€',
    });
    expect(Object.keys(parsedQuery('__proto__=1'))).toEqual(['__proto__']);
  });

  it('generates bodies that differ from the valid one and segments a router can carry', () => {
    const valid = { name: 'x', count: 1 };
    fc.assert(
      fc.property(hostileBody(valid), hostileSegment, (body, segment) => {
        expect(typeof body.raw).toBe('string');
        expect(segment).not.toMatch(/[/?#]/);
        expect(segment.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
