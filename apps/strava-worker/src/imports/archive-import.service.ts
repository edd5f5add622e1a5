import { createReadStream } from 'node:fs';
import { open, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Inject, Injectable } from '@nestjs/common';
import { type BestEfforts, computeBestEfforts } from '@runnerly/best-efforts';
import { type DataServiceClient, Run, type RunInput } from '@runnerly/data-client';
import { type ImportArchiveData, type ImportCheckpoint, ImportPhase, type ImportStateStore } from '@runnerly/jobs';
import { encodePolyline } from '@runnerly/strava/polyline';
import {
  ActivityFileError,
  type ActivityStreams,
  ArchiveError,
  ArchiveErrorCode,
  type ArchiveLimits,
  type ArchiveRun,
  readStravaArchive,
} from '@runnerly/strava-archive';
import { DATA_SERVICE } from '../common/tokens.js';
import { STRAVA_WORKER_CONFIG, type StravaWorkerConfig } from '../config.js';
import { ImportInterruptedError } from './archive-import.errors.js';

export const IMPORT_STATE = Symbol('ImportStateStore');

/** One checked run, as the staging file keeps it (a line of JSON): the run and its efforts as they will be PUT. */
interface StagedRun {
  run: RunInput;
  efforts: { source: BestEfforts['source']; efforts: { distance: number; elapsedTime: number; startOffset: number }[] };
}

/** Uploads are named `<uuid>.zip` by the dashboard; anything else in a job's data is refused. */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UPLOAD_NAME = new RegExp(`^${UUID}\\.zip$`);
const IMPORT_ID = new RegExp(`^${UUID}$`);
/** Runs checked between two checkpoints (and progress updates). */
const CHECKPOINT_EVERY = 25;
/** Points kept in a run's summary polyline drawn from its file. */
const POLYLINE_POINTS = 200;

export interface ImportHooks {
  checkpoint(checkpoint: ImportCheckpoint): Promise<void>;
  shouldStop(): boolean;
}

/**
 * Imports a Strava archive in two phases, so that a bad archive leaves nothing behind:
 * 1. checking: the whole archive is read (ZIP limits, activities.csv, every activity file, every
 *    run validated as the data-service will) and each run with its best efforts is staged as a
 *    line of JSON on disk; any ArchiveError refuses the archive here, before a single write.
 * 2. saving: the staged runs go to the data-service in batches (`keepExisting`: runs synced from
 *    the API keep their summary), then their best efforts. Each batch is idempotent, so a retry
 *    after a crash or an outage resumes at the checkpoint and ends with every run once.
 * No Strava request is made.
 */
@Injectable()
export class ArchiveImportService {
  private readonly limits: ArchiveLimits;

  constructor(
    @Inject(STRAVA_WORKER_CONFIG) private readonly config: StravaWorkerConfig,
    @Inject(DATA_SERVICE) private readonly data: DataServiceClient,
    @Inject(IMPORT_STATE) private readonly state: ImportStateStore,
  ) {
    this.limits = {
      maxEntries: config.IMPORT_MAX_ENTRIES,
      maxEntryBytes: config.IMPORT_MAX_ENTRY_BYTES,
      maxTotalBytes: config.IMPORT_MAX_TOTAL_BYTES,
      maxRatio: config.IMPORT_MAX_RATIO,
    };
  }

  async import(job: ImportArchiveData, hooks: ImportHooks): Promise<{ total: number; added: number; failed: number }> {
    if (!UPLOAD_NAME.test(job.file) || !IMPORT_ID.test(job.importId))
      throw new ArchiveError(ArchiveErrorCode.Corrupt, 'not an uploaded archive');
    let checkpoint = job.checkpoint;
    let total = 0;
    if (checkpoint?.phase !== 'saving') {
      const checked = await this.check(job, checkpoint, hooks);
      total = checked.total;
      checkpoint = { phase: 'saving', saved: 0, added: 0, failed: checked.failed };
      await hooks.checkpoint(checkpoint);
    }
    return this.save(job, checkpoint, total, hooks);
  }

  /** Removes what an import left on disk (done, refused, or out of attempts). */
  async cleanUp(job: ImportArchiveData): Promise<void> {
    if (UPLOAD_NAME.test(job.file)) await rm(join(this.config.IMPORTS_DIR, job.file), { force: true });
    if (IMPORT_ID.test(job.importId)) await rm(this.stagingPath(job), { force: true });
  }

  private async check(
    job: ImportArchiveData,
    checkpoint: Extract<ImportCheckpoint, { phase: 'checking' }> | undefined,
    hooks: ImportHooks,
  ): Promise<{ total: number; failed: number }> {
    const archive = await readStravaArchive(join(this.config.IMPORTS_DIR, job.file), this.limits);
    const staging = this.stagingPath(job);
    // Whatever was staged after the last checkpoint is cut off and checked again.
    const handle = await open(staging, 'a');
    await handle.close();
    await truncate(staging, checkpoint?.stagedBytes ?? 0);
    const out = await open(staging, 'a');
    try {
      const total = archive.runs.length;
      let { index, stagedBytes, failed } = checkpoint ?? { index: 0, stagedBytes: 0, failed: 0 };
      await this.state.progress(job.importId, { phase: ImportPhase.Checking, total, done: index, failed });
      let pending: string[] = [];
      const flush = async () => {
        const text = pending.join('');
        pending = [];
        await out.write(text);
        await out.sync();
        stagedBytes += Buffer.byteLength(text);
        await hooks.checkpoint({ phase: 'checking', index, stagedBytes, failed });
        await this.state.progress(job.importId, { phase: ImportPhase.Checking, total, done: index, failed });
      };
      while (index < total) {
        if (hooks.shouldStop()) {
          await flush();
          throw new ImportInterruptedError();
        }
        const run = archive.runs[index]!;
        let streams: ActivityStreams | undefined;
        try {
          streams = await archive.streamsOf(run);
        } catch (error) {
          if (!(error instanceof ActivityFileError)) throw error;
          failed += 1;
        }
        pending.push(JSON.stringify(this.stage(run, streams)) + '\n');
        index += 1;
        if (index % CHECKPOINT_EVERY === 0 || index === total) await flush();
      }
      return { total, failed };
    } finally {
      await out.close();
      archive.close();
    }
  }

  /** The run as the data-service will take it (validated now, so saving cannot fail on it) and its efforts. */
  private stage(run: ArchiveRun, streams: ActivityStreams | undefined): StagedRun {
    const input: RunInput = {
      stravaId: run.stravaId,
      name: run.name,
      sportType: run.sportType,
      startDate: run.startDate,
      // activities.csv has no local time: the FIT file's when there is one, else UTC's wall clock.
      startDateLocal: streams?.startDateLocal ?? run.startDate.replace(/Z$/, ''),
      distance: run.distance,
      movingTime: run.movingTime,
      elapsedTime: run.elapsedTime,
      totalElevationGain: run.totalElevationGain,
      averageSpeed: run.averageSpeed,
      maxSpeed: run.maxSpeed,
      averageHeartrate: run.averageHeartrate ?? null,
      maxHeartrate: run.maxHeartrate ?? null,
      summaryPolyline: streams && streams.latlng.length >= 2 ? encodePolyline(sample(streams.latlng)) : null,
    };
    const valid = Run.safeParse(input);
    if (!valid.success)
      throw new ArchiveError(
        ArchiveErrorCode.BadRow,
        `activities.csv: activity ${run.stravaId} cannot be stored (${valid.error.issues[0]?.path.join('.')}: ${valid.error.issues[0]?.message})`,
      );
    const found = computeBestEfforts(
      streams ? { time: streams.time, distance: streams.distance, latlng: streams.latlng } : {},
      { distance: run.distance, elapsedTime: run.elapsedTime, movingTime: run.movingTime },
    );
    const efforts = found.efforts.map(({ distance, elapsedTime, startOffset }) => ({
      distance,
      elapsedTime,
      startOffset,
    }));
    return { run: input, efforts: { source: found.source, efforts } };
  }

  private async save(
    job: ImportArchiveData,
    checkpoint: Extract<ImportCheckpoint, { phase: 'saving' }>,
    knownTotal: number,
    hooks: ImportHooks,
  ): Promise<{ total: number; added: number; failed: number }> {
    let { saved, added } = checkpoint;
    const { failed } = checkpoint;
    const total = knownTotal || (await this.countStaged(job));
    await this.state.progress(job.importId, { phase: ImportPhase.Saving, total, done: saved, failed });
    const lines = createInterface({ input: createReadStream(this.stagingPath(job)), crlfDelay: Infinity });
    let seen = 0;
    let batch: StagedRun[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await this.data.upsertRuns(
        job.userId,
        batch.map((staged) => staged.run),
        { keepExisting: true },
      );
      for (const staged of batch) await this.saveEfforts(job.userId, staged);
      saved += batch.length;
      added += result.inserted;
      batch = [];
      await hooks.checkpoint({ phase: 'saving', saved, added, failed });
      await this.state.progress(job.importId, { phase: ImportPhase.Saving, total, done: saved, failed, added });
    };
    try {
      for await (const line of lines) {
        if (line === '') continue;
        seen += 1;
        if (seen <= saved) continue;
        batch.push(JSON.parse(line) as StagedRun);
        if (batch.length >= this.config.IMPORT_BATCH_SIZE) {
          await flush();
          if (hooks.shouldStop()) throw new ImportInterruptedError();
        }
      }
      await flush();
    } finally {
      lines.close();
    }
    return { total, added, failed };
  }

  private async saveEfforts(userId: string, staged: StagedRun): Promise<void> {
    await this.data.putBestEfforts(userId, staged.run.stravaId, staged.efforts);
  }

  private async countStaged(job: ImportArchiveData): Promise<number> {
    let count = 0;
    for await (const line of createInterface({ input: createReadStream(this.stagingPath(job)), crlfDelay: Infinity }))
      if (line !== '') count += 1;
    return count;
  }

  private stagingPath(job: ImportArchiveData): string {
    return join(this.config.IMPORTS_DIR, `${job.importId}.staged.ndjson`);
  }
}

/** At most POLYLINE_POINTS evenly spaced points, the last one kept. */
function sample(points: [number, number][]): [number, number][] {
  if (points.length <= POLYLINE_POINTS) return points;
  const step = (points.length - 1) / (POLYLINE_POINTS - 1);
  return Array.from({ length: POLYLINE_POINTS }, (_, index) => points[Math.round(index * step)]!);
}
