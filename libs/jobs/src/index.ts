export { EnrichmentQueue } from './enrichment-queue.js';
export { jobIds } from './job-ids.js';
export { DEFAULT_JOB_POLICY, type JobPolicy, jobOptions } from './job-options.js';
export {
  type DeleteAthleteData,
  type DeleteRunData,
  type ImportArchiveData,
  type ImportCheckpoint,
  type EnrichAthleteData,
  type JobItem,
  type JobPayloads,
  type ScheduleSyncsData,
  type SyncAthleteData,
  SyncReason,
  type SyncStravaAthleteData,
} from './job-payloads.js';
export { JOB_QUEUE, JobName, KEY_PREFIX, QUEUE_PREFIX, QueueName } from './queue-names.js';
export { createRedisConnection } from './redis.js';
export {
  MANUAL_SYNC_COOLDOWN_MS,
  type RequestedSync,
  type RequestSyncOptions,
  SyncCooldownError,
  SyncQueue,
  type SyncQueueOptions,
} from './sync-queue.js';
export { SyncErrorCode, type SyncProgress, SyncStatus, type SyncView } from './sync-contract.js';
export { type SyncError, type SyncState, SyncStateStore } from './sync-state.store.js';
export { ImportPhase, ImportStatus, type ImportView } from './import-contract.js';
export { ImportInProgressError, ImportQueue } from './import-queue.js';
export { type ImportRecord, ImportStateStore } from './import-state.store.js';
