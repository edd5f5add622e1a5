import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ImportView as ImportViewType } from '@runnerly/jobs';
import { ApiZodResponse, ZodPipe } from '@runnerly/platform';
import type { Request } from 'express';
import type { z } from 'zod';
import { CsrfGuard } from '../session/csrf.guard.js';
import { LoggedInGuard } from '../session/logged-in.guard.js';
import { ARCHIVE_FIELD } from './archive-upload.js';
import { ImportAccepted, ImportParams, ImportView } from './imports.dto.js';
import { ImportsService } from './imports.service.js';

/** The runner's Strava archive: uploaded here, imported by the worker (session cookie). */
@ApiTags('page')
@Controller('api/imports')
@UseGuards(LoggedInGuard)
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @UseGuards(CsrfGuard)
  @ApiOperation({
    summary: `Upload the Strava archive (multipart field "${ARCHIVE_FIELD}", header x-csrf-token) and queue its import`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [ARCHIVE_FIELD],
      properties: { [ARCHIVE_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiZodResponse(202, ImportAccepted)
  upload(@Req() req: Request): Promise<{ id: string }> {
    return this.imports.start(req.session.user!.id, req);
  }

  @Get(':id')
  @ApiOperation({ summary: 'How an import is going (only the logged-in athlete’s own)' })
  @ApiZodResponse(200, ImportView)
  get(
    @Req() req: Request,
    @Param(new ZodPipe(ImportParams)) params: z.output<typeof ImportParams>,
  ): Promise<ImportViewType> {
    return this.imports.get(req.session.user!.id, params.id);
  }
}
