// Node.js alone, no Nest: callers that only carry the request id import `@runnerly/platform/request-context`.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestContext {
  requestId: string;
  /** The HTTP request being handled (none in a job): what log lines say of it. */
  request?: IncomingMessage;
}

const storage = new AsyncLocalStorage<RequestContext>();
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request id of the HTTP request or job being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The HTTP request or job being handled, if any. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with `requestId` as the current request id (used by job handlers). */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return storage.run({ requestId: requestId && SAFE_REQUEST_ID.test(requestId) ? requestId : randomUUID() }, fn);
}

/**
 * The request id of an incoming request: the caller's `x-request-id` when it is well-formed,
 * otherwise a new one. Written back onto the request so that every layer sees the same id.
 */
export function ensureRequestId(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/** The id ensureRequestId gave a request, if it has a well-formed one. */
export function requestIdOf(req: IncomingMessage): string | undefined {
  const id = req.headers[REQUEST_ID_HEADER];
  return typeof id === 'string' && SAFE_REQUEST_ID.test(id) ? id : undefined;
}

/** Runs `fn` in `context` (the request middleware, for the rest of the request's handling). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
