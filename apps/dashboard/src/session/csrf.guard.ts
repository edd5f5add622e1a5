import { randomBytes } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { safeEqual } from '@runnerly/config';
import { AppException } from '@runnerly/platform';
import type { Request } from 'express';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * State-changing requests must carry the session's CSRF token (header for fetch, form field for
 * the logout form); SameSite=Lax cookies are the second line.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const expected = req.session?.csrfToken;
    const given = req.get(CSRF_HEADER) ?? (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    if (typeof expected !== 'string' || typeof given !== 'string' || !safeEqual(expected, given)) {
      throw new AppException('csrf_failed', 'Missing or wrong CSRF token: reload the page and try again', 403);
    }
    return true;
  }
}
