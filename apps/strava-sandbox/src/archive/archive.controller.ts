import { PassThrough } from 'node:stream';
import { Controller, Get, Logger, Param, ParseIntPipe, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ArchiveService } from './archive.service.js';

/** The sandbox's stand-in for Strava's "Download your archive" (not part of Strava's API). */
@ApiTags('sandbox admin')
@Controller('_sandbox')
export class ArchiveController {
  private readonly logger = new Logger(ArchiveController.name);

  constructor(private readonly archives: ArchiveService) {}

  @Get('athletes/:id/archive.zip')
  @ApiOperation({
    summary: "The athlete's Strava archive (activities.csv + activities/ in FIT, GPX and TCX), streamed",
  })
  archive(@Param('id', ParseIntPipe) id: number): StreamableFile {
    const body = new PassThrough();
    this.archives.write(id, body).catch((error: unknown) => {
      this.logger.error({ err: error, athleteId: id }, 'archive stream failed');
      body.destroy(error as Error);
    });
    return new StreamableFile(body, {
      type: 'application/zip',
      disposition: `attachment; filename="export_${id}.zip"`,
    });
  }
}
