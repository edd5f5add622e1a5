export {
  type ActivitiesColumns,
  ActivitiesCsvReader,
  type ArchiveRun,
  mapActivitiesHeader,
  parseActivityDate,
  parseNumber,
  runSportType,
} from './activities-csv.js';
export {
  activityFileFormat,
  type ActivityFileFormat,
  type ActivityStreams,
  decodeFit,
  haversine,
  readActivityFile,
} from './activity-file.js';
export { ActivityFileError, ArchiveError, ArchiveErrorCode } from './archive.errors.js';
export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive.limits.js';
export {
  ACTIVITIES_CSV_HEADER,
  type ArchiveActivityInput,
  type ArchiveFileFormat,
  type ArchiveStreams,
  activitiesCsvRow,
  activityFileBytes,
  archiveFilename,
  fitBytes,
  formatActivityDate,
  writeStravaArchive,
} from './archive-writer.js';
export { readStravaArchive, type StravaArchive } from './read-archive.js';
export { ZipArchive } from './zip-archive.js';
