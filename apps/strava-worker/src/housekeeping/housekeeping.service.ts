import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataServiceClient } from '@runnerly/data-client';
import {
  type DeleteAthleteData,
  type DeleteRunData,
  type ScheduleSyncsData,
  SyncReason,
  type SyncQueue,
  type SyncStravaAthleteData,
} from '@runnerly/jobs';
import { ServiceClientError } from '@runnerly/service-client';
import { DATA_SERVICE, SYNC_QUEUE } from '../common/tokens.js';
import { SyncCheckpointRepository } from '../sync/sync-checkpoint.repository.js';

/** Users per data-service page in the fan-out: one GET and one bulk add each. */
const FAN_OUT_PAGE = 500;

/** The jobs that do not talk to Strava: fan-out, and what webhook events ask for. */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger(HousekeepingService.name);

  constructor(
    @Inject(DATA_SERVICE) private readonly data: DataServiceClient,
    @Inject(SYNC_QUEUE) private readonly syncs: SyncQueue,
    private readonly checkpoints: SyncCheckpointRepository,
  ) {}

  /**
   * Queues a sync of every connected athlete, a page of users at a time (flat memory for any
   * number of athletes). `save` records the cursor so a retried fan-out resumes where it stopped.
   */
  async handleScheduleSyncs(
    data: ScheduleSyncsData,
    save: (data: ScheduleSyncsData) => Promise<void>,
  ): Promise<number> {
    let { cursor, queued = 0 } = data;
    do {
      const page = await this.data.listUsers({ connected: 'true', limit: FAN_OUT_PAGE, ...(cursor ? { cursor } : {}) });
      await this.syncs.requestSyncs(
        page.items.map((user) => user.id),
        { reason: SyncReason.Scheduled },
      );
      queued += page.items.length;
      cursor = page.nextCursor ?? undefined;
      await save({ ...(cursor ? { cursor } : {}), queued });
    } while (cursor);
    this.logger.log({ queued }, 'scheduled syncs queued');
    return queued;
  }

  /**
   * An activity was created or changed on Strava: sync the athlete. The activity is noted first, so
   * that the sync reads it even when it is older than what an incremental sync pages through (an
   * old run renamed, a ride turned into a run, a run from last year uploaded today).
   */
  async handleSyncStravaAthlete({
    stravaAthleteId,
    stravaActivityId,
    requestId,
  }: SyncStravaAthleteData): Promise<void> {
    const user = await this.data.findUserByStravaAthleteId(stravaAthleteId);
    if (!user?.connected) return;
    if (stravaActivityId !== undefined) await this.checkpoints.addRecheck(user.id, stravaActivityId);
    await this.syncs.requestSync(user.id, { reason: SyncReason.Webhook, ...(requestId ? { requestId } : {}) });
  }

  async handleDeleteRun({ stravaAthleteId, stravaActivityId }: DeleteRunData): Promise<void> {
    const user = await this.data.findUserByStravaAthleteId(stravaAthleteId);
    if (!user) return;
    await ignoreNotFound(this.data.deleteRun(user.id, stravaActivityId));
  }

  /** The athlete deauthorized Runnerly: Strava's agreement wants their data gone. */
  async handleDeleteAthlete({ stravaAthleteId }: DeleteAthleteData): Promise<void> {
    const user = await this.data.findUserByStravaAthleteId(stravaAthleteId);
    if (!user) return;
    await ignoreNotFound(this.data.deleteUser(user.id));
    await this.syncs.state.remove(user.id);
    await this.checkpoints.forget(user.id);
    this.logger.log({ userId: user.id }, 'deauthorized athlete deleted');
  }
}

async function ignoreNotFound(promise: Promise<void>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ServiceClientError && error.status === 404)) throw error;
  }
}
