/**
 * What an archive may hold before it is refused. Real archives are a few hundred MB for thousands
 * of activities; a zip bomb is caught by the ratio and size caps before a byte is inflated, and
 * again while inflating (yauzl checks the declared sizes, our counters check the `.gz` inside).
 */
export interface ArchiveLimits {
  /** Entries in the ZIP's directory, all folders included. */
  maxEntries: number;
  /** Uncompressed bytes of one entry that is read (activities.csv, an activity file, a `.gz`'s content). */
  maxEntryBytes: number;
  /** Uncompressed bytes of everything that is read, together. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, for entries above 1 MiB (deflate tops out near 1,032:1; text ~10:1). */
  maxRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 200_000,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024 * 1024,
  maxRatio: 100,
};

/** Below this an entry's ratio is not checked: tiny entries compress absurdly well and harm nothing. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;
