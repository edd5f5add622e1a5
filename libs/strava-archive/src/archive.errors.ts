/** Why an archive was refused; the page shows the message, tests and logs match the code. */
export enum ArchiveErrorCode {
  /** Not a ZIP at all, or one whose directory cannot be read (truncated, damaged). */
  NotZip = 'not_zip',
  /** A ZIP whose content does not add up (sizes, checksums, duplicate names, unreadable CSV). */
  Corrupt = 'corrupt',
  /** A ZIP, but not a Strava archive (no activities.csv). */
  Foreign = 'foreign',
  /** An entry named with `..`, an absolute path, a backslash, or a symbolic link. */
  UnsafePath = 'unsafe_path',
  /** Too many entries, an entry or the whole bigger than the limits, or a compression ratio no real archive has. */
  TooLarge = 'too_large',
  /** activities.csv with a header Runnerly cannot map (missing columns, unknown language). */
  UnknownHeader = 'unknown_header',
  /** activities.csv whose two Distance columns disagree (neither kilometres nor miles against metres). */
  UnitsMismatch = 'units_mismatch',
  /** A row of activities.csv that cannot be read (id, date, numbers). */
  BadRow = 'bad_row',
}

export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** One activity file that cannot be read: the run is imported without streams (counted as failed). */
export class ActivityFileError extends Error {
  constructor(
    readonly filename: string,
    message: string,
  ) {
    super(`${filename}: ${message}`);
    this.name = 'ActivityFileError';
  }
}
