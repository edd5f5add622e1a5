import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { WEB_DIST } from './web-build.js';

/** No inline scripts, nothing from elsewhere but the athlete's Strava profile picture. */
export const PAGE_CSP = [
  "default-src 'self'",
  "img-src 'self' https: data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Runnerly</title>
<p>The Runnerly page has not been built yet. Start the dashboard with <code>pnpm start</code>, which builds it.</p></html>`;

/** `/`: the runner's page. Its hashed assets are served from /assets by the static middleware. */
@ApiExcludeController()
@Controller()
export class WebController {
  private page: string | undefined;

  @Get()
  @Header('Cache-Control', 'no-cache')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'same-origin')
  index(@Res() res: Response): void {
    const file = join(WEB_DIST, 'index.html');
    this.page ??= existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    res
      .status(this.page ? 200 : 503)
      .type('html')
      .send(this.page ?? NOT_BUILT);
  }
}
