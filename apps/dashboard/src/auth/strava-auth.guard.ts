import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { LoginException, LoginFailure } from './login.exception.js';
import type { StravaAuthenticateOptions } from './strava.strategy.js';

/** Runs the Strava strategy (at the callback); every way a login can fail becomes a `LoginException` with its reason. */
@Injectable()
export class StravaAuthGuard extends AuthGuard('strava') {
  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw LoginException.fromError(error);
    if (!user) {
      const reason = (info as { reason?: LoginFailure } | undefined)?.reason ?? LoginFailure.Failed;
      throw new LoginException(reason);
    }
    return user;
  }
}

/** The start of a login: always off to Strava with a fresh state, whatever the query carries. */
@Injectable()
export class StravaLoginStartGuard extends StravaAuthGuard {
  override getAuthenticateOptions(): StravaAuthenticateOptions {
    return { start: true };
  }
}
