import { JobName } from './queue-names.js';

export enum SyncReason {
  /** The periodic fan-out. */
  Scheduled = 'scheduled',
  /** The runner asked for it (dashboard). */
  Manual = 'manual',
  /** The athlete just connected Strava (dashboard login). */
  Connected = 'connected',
  /** A Strava webhook event. */
  Webhook = 'webhook',
}

export interface SyncAthleteData {
  userId: string;
  reason: SyncReason;
  /** The request that caused it, carried into the worker's logs and its calls. */
  requestId?: string;
  /** ISO 8601. */
  requestedAt: string;
}

export interface ScheduleSyncsData {
  /** Where the fan-out got to (data-service users cursor), so a retried fan-out resumes. */
  cursor?: string;
  queued?: number;
}

export interface SyncStravaAthleteData {
  stravaAthleteId: number;
  /** The activity the event was about (created or updated): the sync reads it even if it is old. */
  stravaActivityId?: number;
  requestId?: string;
}

export interface DeleteRunData {
  stravaAthleteId: number;
  stravaActivityId: number;
  requestId?: string;
}

export interface DeleteAthleteData {
  stravaAthleteId: number;
  requestId?: string;
}

/** Where an interrupted import resumes (kept in the job's data, so any worker can take it over). */
export type ImportCheckpoint =
  | {
      phase: 'checking';
      /** The next run of activities.csv to check. */
      index: number;
      /** Bytes of the staging file that hold checked runs (anything after them is cut off). */
      stagedBytes: number;
      failed: number;
    }
  | { phase: 'saving'; saved: number; added: number; failed: number };

export interface ImportArchiveData {
  importId: string;
  userId: string;
  /** The upload's file name inside IMPORTS_DIR (the dashboard's and the worker's shared directory). */
  file: string;
  requestId?: string;
  /** ISO 8601. */
  requestedAt: string;
  checkpoint?: ImportCheckpoint;
}

export interface EnrichAthleteData {
  userId: string;
  requestId?: string;
  /** ISO 8601. */
  requestedAt: string;
}

/** The payload of each job name. */
export interface JobPayloads {
  [JobName.SyncAthlete]: SyncAthleteData;
  [JobName.ScheduleSyncs]: ScheduleSyncsData;
  [JobName.SyncStravaAthlete]: SyncStravaAthleteData;
  [JobName.DeleteRun]: DeleteRunData;
  [JobName.DeleteAthlete]: DeleteAthleteData;
  [JobName.ImportArchive]: ImportArchiveData;
  [JobName.EnrichAthlete]: EnrichAthleteData;
}

/** A job name with its payload, as a discriminated union. */
export type JobItem = { [N in JobName]: { name: N; data: JobPayloads[N] } }[JobName];
