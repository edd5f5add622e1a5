import type { SyncErrorCode } from '@runnerly/jobs';

/** A sync that retrying cannot fix. */
export class SyncAbortedError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncAbortedError';
  }
}

/** The worker is stopping: the sync saved its place and hands its job back. */
export class SyncHandedBackError extends Error {
  constructor() {
    super('worker stopping: sync handed back');
    this.name = 'SyncHandedBackError';
  }
}
