import { STANDARD_DISTANCES } from '@runnerly/best-efforts';
import { z } from 'zod';
import {
  type Best as BestView,
  type BestEffortsProgress as BestEffortsProgressView,
  type BestRecord as BestRecordView,
  EFFORT_SOURCES,
  type EffortSource as EffortSourceName,
} from './contract.js';

/** Best efforts per run and the bests they make (the data-service's `best-efforts` feature). */

export const EffortSource = z.enum(EFFORT_SOURCES);
export type EffortSource = EffortSourceName;

const standardDistances: number[] = STANDARD_DISTANCES.map((standard) => standard.distance);
/** A standard distance in metres, exactly as @runnerly/best-efforts names it. */
const standardDistance = z
  .number()
  .refine((value) => standardDistances.includes(value), `must be one of ${standardDistances.join(', ')}`);
/** Seconds, fractional (to the hundredth as computed); below a week: a longer effort is a mistake. */
const effortSeconds = z.number().finite().nonnegative().max(604_800);

export const BestEffortInput = z
  .object({
    distance: standardDistance,
    elapsedTime: effortSeconds.positive(),
    /** Seconds from the start of the run. */
    startOffset: effortSeconds,
  })
  .strict();

/** `PUT /users/{id}/runs/{stravaId}/best-efforts`: replaces the run's efforts (idempotent). */
export const PutBestEfforts = z
  .object({
    source: EffortSource,
    efforts: z
      .array(BestEffortInput)
      .max(STANDARD_DISTANCES.length)
      .refine((efforts) => new Set(efforts.map((effort) => effort.distance)).size === efforts.length, {
        message: 'one effort per distance',
      }),
  })
  .strict();
export type PutBestEfforts = z.input<typeof PutBestEfforts>;

export const PutBestEffortsResult = z.object({
  stravaId: z.number().int(),
  source: EffortSource,
  /** How many efforts the run now has. */
  efforts: z.number().int(),
});
export type PutBestEffortsResult = z.infer<typeof PutBestEffortsResult>;

export const BestsQuery = z
  .object({
    /** Only runs of this year (of the athlete's local calendar): "bests this year". */
    year: z.coerce.number().int().min(1900).max(9999).optional(),
  })
  .strict();
export type BestsQuery = z.input<typeof BestsQuery>;

export const BestRecord = z.object({
  elapsedTime: z.number(),
  stravaId: z.number().int(),
  date: z.string().describe('the run’s local start, e.g. 2018-05-02T05:15:09'),
}) satisfies z.ZodType<BestRecordView>;
export type BestRecord = BestRecordView;

export const Best = z.object({
  distance: z.number(),
  name: z.string(),
  elapsedTime: z.number(),
  run: z.object({
    stravaId: z.number().int(),
    name: z.string(),
    startDate: z.string(),
    startDateLocal: z.string(),
  }),
  progression: z.array(BestRecord),
}) satisfies z.ZodType<BestView>;
export type Best = BestView;

/** Standard distances shortest first; a distance without any effort is left out. */
export const Bests = z.object({ items: z.array(Best) });
export type Bests = z.infer<typeof Bests>;

export const BestEffortsProgress = z.object({
  runs: z.number().int(),
  withEfforts: z.number().int(),
}) satisfies z.ZodType<BestEffortsProgressView>;
export type BestEffortsProgress = BestEffortsProgressView;

export const BestEffortOutput = z.object({
  distance: z.number(),
  name: z.string(),
  elapsedTime: z.number(),
  startOffset: z.number(),
});
export type BestEffortOutput = z.infer<typeof BestEffortOutput>;

/** `GET /users/{id}/runs/{stravaId}/best-efforts`: `source` null while not computed yet. */
export const RunBestEfforts = z.object({
  stravaId: z.number().int(),
  source: EffortSource.nullable(),
  computedAt: z.string().nullable(),
  efforts: z.array(BestEffortOutput),
});
export type RunBestEfforts = z.infer<typeof RunBestEfforts>;
