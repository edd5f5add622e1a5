import { describe, expect, it } from 'vitest';
import { clientErrorViolation, fc, hostileBody, hostileSegment } from './hostile.js';

describe('hostile input kit', () => {
  const json = 'application/json; charset=utf-8';

  it('accepts only a 4xx with a JSON {error, message} body', () => {
    expect(clientErrorViolation({ status: 400, contentType: json, body: '{"error":"bad_request","message":"no"}' })).toBeUndefined();
    expect(clientErrorViolation({ status: 500, contentType: json, body: '{"error":"internal","message":"x"}' })).toMatch(/status 500/);
    expect(clientErrorViolation({ status: 200, contentType: json, body: '{}' })).toMatch(/not a 4xx/);
    expect(clientErrorViolation({ status: 404, contentType: 'text/html', body: '<h1>' })).toMatch(/content-type/);
    expect(clientErrorViolation({ status: 400, contentType: json, body: 'nope' })).toMatch(/not JSON/);
    expect(clientErrorViolation({ status: 400, contentType: json, body: '{"statusCode":400}' })).toMatch(/without \{error, message\}/);
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
