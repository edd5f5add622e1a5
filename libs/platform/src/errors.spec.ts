import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { AppException, toErrorResponse } from './errors.js';

describe('toErrorResponse', () => {
  it('maps a domain error to its status, code and headers', () => {
    const error = new AppException('invalid_token', 'token expired', 401, undefined, { 'WWW-Authenticate': 'Bearer' });
    expect(toErrorResponse(error)).toEqual({
      status: 401,
      body: { error: 'invalid_token', message: 'token expired' },
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  });

  it('maps Nest HTTP exceptions to a stable shape', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /nope')).body).toEqual({
      error: 'not_found',
      message: 'Cannot GET /nope',
    });
    expect(toErrorResponse(new BadRequestException(['a', 'b'])).body.message).toBe('a; b');
  });

  it('keeps the 4xx of body-parser and fastify errors', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(toErrorResponse(tooLarge)).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    const badJson = Object.assign(new Error('Unexpected token'), { status: 400, type: 'entity.parse.failed' });
    expect(toErrorResponse(badJson)).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('answers unknown errors with a plain 500 that leaks nothing', () => {
    const { status, body } = toErrorResponse(new Error('password=hunter2 in connection string'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});
