import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiSchema, ValidationException, ZodPipe } from './validation.js';

const Run = z.object({ runs: z.array(z.object({ distance: z.number().nonnegative() })).max(2) });

describe('ZodPipe', () => {
  it('returns the parsed value', () => {
    expect(new ZodPipe(Run).transform({ runs: [{ distance: 1 }] })).toEqual({ runs: [{ distance: 1 }] });
  });

  it('throws a 400 naming the field', () => {
    let error: unknown;
    try {
      new ZodPipe(Run).transform({ runs: [{ distance: -1 }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).status).toBe(400);
    expect((error as ValidationException).issues[0]?.path).toBe('runs.0.distance');
    expect((error as ValidationException).message).toMatch(/^runs\.0\.distance: /);
  });
});

describe('openApiSchema', () => {
  it('emits an OpenAPI 3.0 schema without the JSON-schema dialect marker', () => {
    const schema = openApiSchema(Run);
    expect(schema).not.toHaveProperty('$schema');
    expect(schema).toMatchObject({ type: 'object', required: ['runs'] });
  });
});
