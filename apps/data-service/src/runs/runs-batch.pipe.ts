import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { UpsertRuns } from '@runnerly/data-client';
import { ZodPipe } from '@runnerly/platform';
import type { z } from 'zod';
import { DataException } from '../common/data.exception.js';
import { RUNS_OPTIONS, type RunsOptions } from './runs.options.js';

/** Refuses a batch over the configured size (413) before spending time validating it, then validates. */
@Injectable()
export class RunsBatchPipe implements PipeTransform<unknown, z.output<typeof UpsertRuns>> {
  private readonly schema = new ZodPipe(UpsertRuns);

  constructor(@Inject(RUNS_OPTIONS) private readonly options: RunsOptions) {}

  transform(value: unknown): z.output<typeof UpsertRuns> {
    const runs = (value as { runs?: unknown } | null | undefined)?.runs;
    if (Array.isArray(runs) && runs.length > this.options.maxRunsPerRequest) {
      throw DataException.tooManyRuns(runs.length, this.options.maxRunsPerRequest);
    }
    return this.schema.transform(value);
  }
}
