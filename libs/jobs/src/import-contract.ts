// The archive import's vocabulary: the worker writes it, the dashboard serves it and its page
// reads it. Plain TypeScript with no imports, so that the page can import it alone.

export enum ImportStatus {
  Queued = 'queued',
  Running = 'running',
  Done = 'done',
  Failed = 'failed',
}

/** `checking`: the whole archive is read and checked, nothing written yet; `saving`: runs and efforts are written. */
export enum ImportPhase {
  Checking = 'checking',
  Saving = 'saving',
}

/** `GET /api/imports/{id}`. */
export interface ImportView {
  id: string;
  status: ImportStatus;
  phase: ImportPhase | null;
  /** Runs in the archive (known once activities.csv is read; 0 before). */
  total: number;
  /** Runs checked (phase checking) or saved (phase saving) so far. */
  done: number;
  /** Runs whose activity file could not be read: imported from activities.csv alone, without best efforts. */
  failed: number;
  /** Runs that were new (not synced from Strava before), once done. */
  added: number;
  /** Why the import failed: `code` from the archive checks (`not_zip`, `zip_bomb`, …) or `internal`. */
  error?: { code: string; message: string };
  createdAt: string;
  finishedAt: string | null;
}
