import { setTimeout as sleep } from 'node:timers/promises';
import { EnrichmentQueue, jobIds, QueueName, SyncReason, SyncStatus } from '@runnerly/jobs';
import type { StravaSummaryActivity } from '@runnerly/strava';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toRun } from '../src/sync/run-mapper.js';
import { Stack, waitFor } from './harness.js';

interface Planted {
  activityId: number;
  distance: number;
  elapsedTime: number;
  startOffset: number;
}

/**
 * The best-efforts enrichment against the sandbox over HTTP, with the real data-service,
 * PostgreSQL and Redis: streams in, efforts stored, planted segments found to the second, on its
 * own share of Strava's budget, resuming when a window resets.
 */
describe('best-efforts enrichment', () => {
  let stack: Stack;
  let enrichment: EnrichmentQueue;

  beforeAll(async () => {
    stack = await Stack.start({ athletes: 1 });
    enrichment = new EnrichmentQueue(stack.connection);
  });
  beforeEach(() => stack.reset());
  afterAll(async () => {
    await enrichment?.close();
    await stack?.close();
  });

  async function athleteWithActivities() {
    const [athlete] = await stack.athletes();
    const connected = await stack.connect(athlete!.id);
    const activities = await stack.stravaActivities(connected.accessToken);
    const planted = await stack.sandboxCall<Planted[]>('GET', `/athletes/${athlete!.id}/planted`);
    return { ...connected, athleteId: athlete!.id, activities, planted };
  }

  const allDone = (userId: string) =>
    waitFor(async () => {
      const progress = await stack.data.getBestEffortsProgress(userId);
      return progress.runs > 0 && progress.withEfforts === progress.runs && progress;
    }, 30_000);

  it('stores each run’s efforts from its streams: planted segments exact, no GPS marked, no streams from the summary', async () => {
    const { userId, activities, planted } = await athleteWithActivities();
    const byId = new Map(activities.map((activity) => [activity.id, activity]));
    const plantedRuns = planted.slice(0, 6);
    expect(plantedRuns.length).toBe(6);
    const treadmill = activities.find((activity) => activity.sport_type === 'VirtualRun')!;
    // A run Strava has no streams for (here: gone from Strava, a 404 like a manual activity's).
    const noStreams = { ...toRun(treadmill), stravaId: 4_242, distance: 10_100, elapsedTime: 2_626, movingTime: 2_600 };
    await stack.data.upsertRuns(userId, [
      ...plantedRuns.map((segment) => toRun(byId.get(segment.activityId)!)),
      toRun(treadmill),
      noStreams,
    ]);
    expect(await stack.data.getBestEffortsProgress(userId)).toEqual({ runs: 8, withEfforts: 0 });

    const before = await stack.apiRequests();
    await stack.startWorker();
    await enrichment.request(userId);
    await allDone(userId);

    for (const segment of plantedRuns) {
      const stored = await stack.data.getRunBestEfforts(userId, segment.activityId);
      expect(stored.source).toBe('streams');
      const found = stored.efforts.find((effort) => effort.distance === segment.distance)!;
      expect(Math.abs(found.elapsedTime - segment.elapsedTime), `run ${segment.activityId}`).toBeLessThanOrEqual(1);
      expect(Math.abs(found.startOffset - segment.startOffset)).toBeLessThanOrEqual(1);
      // Nothing longer than the run.
      const run = byId.get(segment.activityId)!;
      expect(stored.efforts.every((effort) => effort.distance <= run.distance)).toBe(true);
    }
    const indoor = await stack.data.getRunBestEfforts(userId, treadmill.id);
    expect(indoor.source).toBe('distance');
    expect(indoor.efforts.length).toBeGreaterThan(0);
    expect(await stack.data.getRunBestEfforts(userId, noStreams.stravaId)).toMatchObject({
      source: 'summary',
      efforts: [{ distance: 10_000, elapsedTime: 2600, startOffset: 0 }],
    });
    // One streams request per run, nothing else asked of Strava.
    expect(await stack.streamsRequests()).toBe(8);
    expect(await stack.apiRequests()).toBe(before);

    // The bests come from these efforts: each planted distance's best is at least as fast as its planted segment.
    const bests = await stack.data.getBests(userId);
    for (const segment of plantedRuns) {
      const best = bests.items.find((item) => item.distance === segment.distance)!;
      expect(best.elapsedTime).toBeLessThanOrEqual(segment.elapsedTime + 1);
      expect(best.progression.at(-1)).toMatchObject({ elapsedTime: best.elapsedTime, stravaId: best.run.stravaId });
    }
  });

  it('never takes more than its share of a window, waits for the reset, and resumes where it stopped', async () => {
    const { userId, activities } = await athleteWithActivities();
    const runs = activities.filter((activity: StravaSummaryActivity) => activity.sport_type === 'Run').slice(0, 14);
    await stack.data.upsertRuns(userId, runs.map(toRun));
    // Windows of 1 s and 8 s stand for Strava's 15 minutes and day: 20 and 40 requests, 25 % for
    // the enrichment: 5 a "quarter hour", 10 a "day".
    const LONG_MS = 8_000;
    const env = {
      STRAVA_RATE_LIMIT_15MIN: '20',
      STRAVA_RATE_LIMIT_DAILY: '40',
      STRAVA_RATE_LIMIT_ENRICHMENT_SHARE_PERCENT: '25',
    };
    // Start just after a "day" begins, so that the whole first part of the test lies in one.
    await sleep(LONG_MS - (Date.now() % LONG_MS) + 50);
    const dayEnds = Math.ceil(Date.now() / LONG_MS) * LONG_MS;
    await stack.startWorker(env, { rateWindowsMs: { short: 1_000, long: LONG_MS } });
    await enrichment.request(userId);

    // The "day" holds 10 enrichment requests: it uses them all, then waits, without failing.
    await waitFor(async () => (await stack.data.getBestEffortsProgress(userId)).withEfforts >= 10, LONG_MS);
    await sleep(Math.max(0, dayEnds - Date.now() - 500));
    expect(Date.now()).toBeLessThan(dayEnds);
    expect(await stack.streamsRequests()).toBe(10);
    expect(await stack.data.getBestEffortsProgress(userId)).toEqual({ runs: 14, withEfforts: 10 });
    // Waiting for the window (re-checking it every maxParkMs), not failed.
    const job = await stack.queue(QueueName.StravaEnrichment).getJob(jobIds.enrichAthlete(userId));
    expect(['delayed', 'waiting', 'active']).toContain(await job!.getState());
    expect(job!.attemptsMade).toBe(0);

    // The next "day": it resumes with the four runs left, one request each.
    await allDone(userId);
    expect(await stack.streamsRequests()).toBe(14);
  });

  it('is queued after a sync completes, and with the default share leaves the syncs most of the window', async () => {
    const { userId } = await athleteWithActivities();
    const quarter = () => Math.floor(Date.now() / 900_000);
    const firstQuarter = quarter();
    await stack.startWorker();
    const queue = stack.queue(QueueName.StravaEnrichment);
    expect(await queue.getJob(jobIds.enrichAthlete(userId))).toBeUndefined();
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await waitFor(async () => (await stack.syncState(userId))?.status === SyncStatus.Done);
    // Hundreds of runs to enrich, 30 % of Strava's 100 requests a quarter hour for it: it waits for
    // the next window (a delay), not merely between two turns (a used turn is delayed by 0 ms).
    const job = await waitFor(async () => {
      const found = await queue.getJob(jobIds.enrichAthlete(userId));
      return found && (await found.getState()) === 'delayed' && found.delay > 0 && found;
    });
    expect(job.data.userId).toBe(userId);
    // 30 a quarter hour (60 if the test happened to cross a quarter-hour boundary).
    const spent = await stack.streamsRequests();
    expect(spent).toBe(30 * (quarter() - firstQuarter + 1));
    const progress = await stack.data.getBestEffortsProgress(userId);
    expect(progress.withEfforts).toBe(spent);
    expect(progress.runs).toBeGreaterThan(300);
  });
});
