import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DASHBOARD_CONFIG, type DashboardConfig } from '../config.js';
import { CsrfGuard, newCsrfToken } from '../session/csrf.guard.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../session/session.middleware.js';
import type { SessionUser } from '../session/session.types.js';
import { LoginFailedFilter } from './login-failed.filter.js';
import { LoginRateLimitGuard } from './login-rate-limit.guard.js';
import { StravaAuthGuard, StravaLoginStartGuard } from './strava-auth.guard.js';

function promisify(fn: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) =>
    fn((error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve())),
  );
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {}

  @Get('strava')
  @ApiOperation({
    summary: 'Starts the Strava login (redirects to Strava)',
    description:
      'Rate-limited per client address (DASHBOARD_LOGIN_RATE_LIMIT per DASHBOARD_LOGIN_RATE_WINDOW_SECONDS); the login in progress lives DASHBOARD_LOGIN_TTL_SECONDS.',
  })
  @ApiResponse({ status: 302, description: 'To Strava’s authorize page' })
  @ApiResponse({ status: 429, description: '`too_many_logins`, with Retry-After; no session written' })
  @UseGuards(LoginRateLimitGuard, StravaLoginStartGuard)
  @UseFilters(LoginFailedFilter)
  start(): void {
    // The guard has already redirected to Strava.
  }

  @Get('strava/callback')
  @ApiExcludeEndpoint()
  @UseGuards(StravaAuthGuard)
  @UseFilters(LoginFailedFilter)
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = req.user as SessionUser;
    // A new session id at login: a session fixed before the login is worth nothing after it. The
    // new session has the full lifetime (the login in progress had minutes).
    await promisify((done) => req.session.regenerate(done));
    req.session.user = user;
    req.session.csrfToken = newCsrfToken();
    await promisify((done) => req.session.save(done));
    res.redirect(303, '/');
  }

  @Post('logout')
  @HttpCode(303)
  @ApiOperation({ summary: 'Ends the session (form field `_csrf` or header `x-csrf-token` required)' })
  @UseGuards(CsrfGuard)
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    await promisify((done) => req.session.destroy(done));
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config));
    res.redirect(303, '/');
  }
}
