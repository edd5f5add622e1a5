import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** The JSON body of every error answer, in every service. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/**
 * A domain error: a stable machine-readable `code`, the HTTP status it maps to, and a message
 * safe to show the caller. Each feature subclasses it with its own code enum.
 */
export class AppException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly status: number = HttpStatus.BAD_REQUEST,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

function snakeCase(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
};

/** What the framework or body parser threw for a bad request: fastify's FST_ERR_*, body-parser's. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { statusCode?: unknown; status?: unknown }).statusCode ?? (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof AppException) {
    const body: ErrorBody = { error: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return { status: error.status, body, headers: error.headers };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? (response as { message: string[] }).message.join('; ')
          : String((response as { message?: unknown }).message ?? error.message);
    return { status, body: { error: STATUS_CODES[status] ?? snakeCase(error.name), message }, headers: {} };
  }
  const status = clientErrorStatus(error);
  if (status !== undefined) {
    const { code, message } = error as { code?: string; message?: string };
    const known = STATUS_CODES[status] ?? 'bad_request';
    return {
      status,
      body: { error: known, message: message || known, ...(code ? { details: { code } } : {}) },
      headers: {},
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: 'internal_error', message: 'Internal server error' },
    headers: {},
  };
}

/** The one place where errors become HTTP answers. Unknown errors are logged and leak nothing. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const { status, body, headers } = toErrorResponse(error);
    if (status >= 500) {
      // A typed 5xx is a condition the service knows (a dependency down, not ready yet): one line,
      // no stack. Anything else is a bug: logged with its stack.
      if (error instanceof AppException || error instanceof HttpException)
        this.logger.warn({ error: body.error, status }, body.message);
      else this.logger.error({ err: error }, error instanceof Error ? error.message : 'unknown error');
    }
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(headers)) httpAdapter.setHeader(response, name, value);
    httpAdapter.reply(response, body, status);
  }
}
