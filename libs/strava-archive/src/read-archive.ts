import { parse } from 'csv-parse';
import { ActivitiesCsvReader, type ArchiveRun } from './activities-csv.js';
import { type ActivityStreams, activityFileFormat, readActivityFile } from './activity-file.js';
import { ActivityFileError, ArchiveError, ArchiveErrorCode } from './archive.errors.js';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive.limits.js';
import { ZipArchive } from './zip-archive.js';

const CSV_NAME = 'activities.csv';
/** One CSV record longer than this is not an activity (a description is at most a few KB). */
const MAX_CSV_RECORD_BYTES = 1024 * 1024;

/** A Strava archive opened: its runs (from activities.csv), each run's file read on demand. */
export interface StravaArchive {
  runs: ArchiveRun[];
  /** Rows of other sports, skipped. */
  otherActivities: number;
  /** The run's streams from its file; undefined for a manual activity; ActivityFileError when the file is bad. */
  streamsOf(run: ArchiveRun): Promise<ActivityStreams | undefined>;
  close(): void;
}

/**
 * Opens a Strava archive on disk: checks the ZIP (names, sizes, ratios), maps activities.csv's
 * header and reads its rows (csv-parse, streamed). Whatever is wrong with the archive as a whole
 * throws ArchiveError here, before anything is imported.
 */
export async function readStravaArchive(
  path: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<StravaArchive> {
  const zip = await ZipArchive.open(path, limits);
  try {
    if (!zip.has(CSV_NAME))
      throw new ArchiveError(
        ArchiveErrorCode.Foreign,
        'This ZIP is not a Strava archive: it has no activities.csv (request it from Strava: Settings → My Account → Download or delete your account)',
      );
    const runs: ArchiveRun[] = [];
    let otherActivities = 0;
    let reader: ActivitiesCsvReader | undefined;
    const input = await zip.open(CSV_NAME);
    const records = input.pipe(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_CSV_RECORD_BYTES }),
    );
    input.on('error', (error) => records.destroy(error));
    try {
      for await (const record of records as AsyncIterable<string[]>) {
        if (!reader) {
          reader = ActivitiesCsvReader.fromHeader(record);
          continue;
        }
        const run = reader.read(record);
        if (run) runs.push(run);
        else otherActivities += 1;
      }
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(
        ArchiveErrorCode.Corrupt,
        `activities.csv cannot be read (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (!reader) throw new ArchiveError(ArchiveErrorCode.UnknownHeader, 'activities.csv is empty');
    return {
      runs,
      otherActivities,
      streamsOf: async (run) => {
        if (!run.filename) return undefined;
        const format = activityFileFormat(run.filename);
        if (!format) throw new ActivityFileError(run.filename, 'a format Runnerly does not read');
        const stream = await zip.open(run.filename, { gunzip: format.gzipped });
        return readActivityFile(run.filename, format.format, stream);
      },
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}
