/**
 * Deterministic job ids and deduplication ids: the same request twice is one job. BullMQ ids may
 * not contain ':' (its key separator), hence the dashes.
 */
export const jobIds = {
  /**
   * Sync deduplication id: at most one waiting sync per athlete. While one runs, a new request is
   * kept (latest wins) and queued when it finishes, so an event arriving mid-sync is not lost.
   */
  syncAthlete: (userId: string) => `sync-${userId}`,
  /** One per activity event (a redelivery is absorbed; events about two activities are two jobs). */
  syncStravaAthlete: (stravaAthleteId: number, stravaActivityId?: number) =>
    stravaActivityId === undefined
      ? `sync-strava-${stravaAthleteId}`
      : `sync-strava-${stravaAthleteId}-${stravaActivityId}`,
  deleteRun: (stravaAthleteId: number, stravaActivityId: number) => `delete-run-${stravaAthleteId}-${stravaActivityId}`,
  deleteAthlete: (stravaAthleteId: number) => `delete-athlete-${stravaAthleteId}`,
  /** The one deauthorization check of an athlete put off to the end of their check interval. */
  deleteAthleteLater: (stravaAthleteId: number) => `delete-athlete-${stravaAthleteId}-later`,
  /** One job per upload. */
  importArchive: (importId: string) => `import-${importId}`,
  /** At most one enrichment job per athlete: it works through every run still missing efforts. */
  enrichAthlete: (userId: string) => `enrich-${userId}`,
  /** The one job scheduler of the periodic fan-out. */
  scheduleSyncs: 'schedule-syncs',
};
