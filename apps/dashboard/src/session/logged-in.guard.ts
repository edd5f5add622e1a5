import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AppException } from '@runnerly/platform';
import type { Request } from 'express';

/** The JSON API is for a logged-in runner: 401 `not_logged_in` otherwise. */
@Injectable()
export class LoggedInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!context.switchToHttp().getRequest<Request>().session?.user) {
      throw new AppException('not_logged_in', 'Log in with Strava first', 401);
    }
    return true;
  }
}
