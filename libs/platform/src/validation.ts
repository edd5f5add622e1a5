import { applyDecorators, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { AppException } from './errors.js';

export interface ValidationIssue {
  path: string;
  message: string;
}

export class ValidationException extends AppException<'validation_failed'> {
  constructor(readonly issues: ValidationIssue[]) {
    super(
      'validation_failed',
      issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '),
      400,
      { issues },
    );
  }
}

export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Validates (and coerces) a body, query or params object against a zod schema: 400 naming the field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value ?? {});
    if (!result.success) throw new ValidationException(toValidationIssues(result.error));
    return result.data;
  }
}

/** The OpenAPI 3 schema of a zod schema: the zod schema stays the single source of truth. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return jsonSchema;
}

/** Documents a JSON body from its zod schema. */
export function ApiZodBody(schema: z.ZodType): MethodDecorator {
  return ApiBody({ schema: openApiSchema(schema) as never });
}

/** Documents each property of a zod object schema as a query parameter. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const properties = (openApiSchema(schema).properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((openApiSchema(schema).required as string[] | undefined) ?? []);
  return applyDecorators(
    ...Object.entries(properties).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property as never }),
    ),
  );
}

export function ApiZodResponse(status: number, schema: z.ZodType, description = ''): MethodDecorator {
  return ApiResponse({ status, description, schema: openApiSchema(schema, 'output') as never });
}
