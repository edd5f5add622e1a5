// passport-strava-oauth2 ships no types: the part of its (passport-oauth 0.1) Strategy we use.
declare module 'passport-strava-oauth2' {
  import type { Request } from 'express';

  export interface StravaStrategyOptions {
    clientID: string;
    clientSecret: string;
    callbackURL: string;
    authorizationURL?: string;
    tokenURL?: string;
    scope?: string | string[];
    scopeSeparator?: string;
    skipUserProfile?: boolean;
    passReqToCallback?: boolean;
  }

  export class Strategy {
    constructor(options: StravaStrategyOptions, verify: (...args: never[]) => unknown);
    name: string;
    /** The OAuth client ("protected" in passport-oauth: for subclasses). */
    _oauth2: { getAuthorizeUrl(params: Record<string, string>): string };
    authenticate(req: Request, options?: Record<string, unknown>): void;
    authorizationParams(options: Record<string, unknown>): Record<string, string>;
    redirect(url: string, status?: number): void;
    fail(info?: unknown, status?: number): void;
    error(error: unknown): void;
  }
}
