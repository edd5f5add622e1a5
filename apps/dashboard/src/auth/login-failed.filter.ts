import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from './auth.service.js';
import { LoginException } from './login.exception.js';

/**
 * A failed login is a page, not JSON: back to the page with the reason, which explains it
 * plainly and offers to try again. Operator problems are logged as errors.
 */
@Catch(LoginException)
export class LoginFailedFilter implements ExceptionFilter {
  private readonly logger = new Logger('StravaLogin');

  constructor(private readonly auth: AuthService) {}

  catch(error: LoginException, host: ArgumentsHost): void {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    if (error.operatorProblem)
      this.logger.error({ code: error.code, cause }, `Strava login impossible: ${error.message}`);
    else this.logger.warn({ code: error.code, cause }, 'Strava login did not complete');
    this.auth.recordOutcome(error.code);
    host
      .switchToHttp()
      .getResponse<Response>()
      .redirect(303, `/?login_error=${encodeURIComponent(error.code)}`);
  }
}
