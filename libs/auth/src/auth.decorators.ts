import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { VerifiedToken } from './token-verifier.js';

export const SCOPES_KEY = 'runnerly:auth:scopes';
export const PUBLIC_KEY = 'runnerly:auth:public';

/** The scopes a handler (or every handler of a controller) needs; all of them are required. */
export const Scopes = (...scopes: string[]) => SetMetadata(SCOPES_KEY, scopes);

/** A route open without a token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Where the guard leaves the verified token on the request. */
export const AUTH_REQUEST_KEY = 'runnerlyAuth';

/** The verified token of the current request (its claims and scopes). */
export const CurrentToken = createParamDecorator(
  (_data: unknown, context: ExecutionContext): VerifiedToken | undefined => {
    return context.switchToHttp().getRequest<Record<string, unknown>>()[AUTH_REQUEST_KEY] as VerifiedToken | undefined;
  },
);
