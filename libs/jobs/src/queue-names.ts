/**
 * The queues. Jobs that call Strava live in their own queue because Strava's rate limit parks that
 * whole queue; housekeeping (fan-out, webhook events, deletions) must keep flowing meanwhile.
 */
export enum QueueName {
  StravaSync = 'strava-sync',
  Housekeeping = 'strava-housekeeping',
  /** Archive imports: no Strava requests, so never parked by Strava's limits. */
  ArchiveImport = 'archive-import',
  /** Best efforts from each run's streams: its own queue, on its own share of Strava's budget. */
  StravaEnrichment = 'strava-enrichment',
}

export enum JobName {
  /** Strava → data-service for one athlete (queue: StravaSync). */
  SyncAthlete = 'sync-athlete',
  /** Periodic fan-out: queue a sync for every connected athlete (queue: Housekeeping). */
  ScheduleSyncs = 'schedule-syncs',
  /** A webhook named an athlete by Strava id: find the user and queue its sync (queue: Housekeeping). */
  SyncStravaAthlete = 'sync-strava-athlete',
  /** A webhook deleted an activity: remove the run (queue: Housekeeping). */
  DeleteRun = 'delete-run',
  /** The athlete deauthorized the app: delete the athlete's data (queue: Housekeeping). */
  DeleteAthlete = 'delete-athlete',
  /** Read an athlete's uploaded Strava archive into their runs and best efforts (queue: ArchiveImport). */
  ImportArchive = 'import-archive',
  /**
   * Best efforts for an athlete's runs that lack them: streams from Strava, the engine, the
   * data-service (queue: StravaEnrichment). Queued after every sync (webhook syncs included).
   */
  EnrichAthlete = 'enrich-athlete',
}

/** Which queue each job goes to: one place, checked at boot by the worker. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SyncAthlete]: QueueName.StravaSync,
  [JobName.ScheduleSyncs]: QueueName.Housekeeping,
  [JobName.SyncStravaAthlete]: QueueName.Housekeeping,
  [JobName.DeleteRun]: QueueName.Housekeeping,
  [JobName.DeleteAthlete]: QueueName.Housekeeping,
  [JobName.ImportArchive]: QueueName.ArchiveImport,
  [JobName.EnrichAthlete]: QueueName.StravaEnrichment,
};

/**
 * Key prefix of every BullMQ key (`{runnerly}:<queue>:…`). The braces are a Redis Cluster hash tag:
 * BullMQ's scripts touch several keys of a queue at once, which on a cluster must share one slot,
 * and BullMQ asks for a braced prefix rather than ioredis' `keyPrefix`. One tag for all the queues,
 * as BullMQ's guide does: per-queue tags would spread the four queues over up to four primaries,
 * but BullMQ flows (parent and children in different queues) need one slot, and Runnerly's queue
 * traffic (a few jobs per athlete per hour) is a light load for one primary.
 */
export const QUEUE_PREFIX = '{runnerly}';

/**
 * Prefix of Runnerly's own keys (sync and import state, checkpoints, limits…): spread over the
 * cluster, each key on its own slot unless a script or MULTI needs several (they share a tag).
 */
export const KEY_PREFIX = 'runnerly';
