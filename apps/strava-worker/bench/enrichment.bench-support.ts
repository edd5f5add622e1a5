// The best-efforts enrichment against the in-process sandbox, data-service and Redis: how many
// streams requests it spends per rate-limit window next to the share it is configured to.
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { SyncReason, SyncStatus } from '@runnerly/jobs';
import { type BenchResult, compared } from '../../../bench/types.js';
import { Stack, waitFor } from '../test/harness.js';

/** Test-sized windows standing for Strava's 15 minutes and day, with Strava's default read limits. */
const SHORT_MS = 2_000;
const LONG_MS = 60_000;
const LIMIT_15MIN = 100;
const SHARE_PERCENT = 30;
const WINDOWS = 4;

export async function runEnrichmentBench(): Promise<BenchResult[]> {
  const stack = await Stack.start({ athletes: 1 });
  try {
    const [athlete] = await stack.athletes();
    const { userId } = await stack.connect(athlete!.id);
    await stack.startWorker(
      {
        STRAVA_RATE_LIMIT_15MIN: String(LIMIT_15MIN),
        STRAVA_RATE_LIMIT_DAILY: '1000',
        STRAVA_RATE_LIMIT_ENRICHMENT_SHARE_PERCENT: String(SHARE_PERCENT),
      },
      { rateWindowsMs: { short: SHORT_MS, long: LONG_MS } },
    );
    await stack.syncs.requestSync(userId, { reason: SyncReason.Manual });
    await waitFor(async () => (await stack.syncState(userId))?.status === SyncStatus.Done, 120_000);
    // Whole windows only: from one boundary to the next, WINDOWS times.
    await sleep(SHORT_MS - (Date.now() % SHORT_MS) + 100);
    const perWindow: number[] = [];
    let previous = await stack.streamsRequests();
    for (let window = 0; window < WINDOWS; window += 1) {
      await sleep(SHORT_MS - (Date.now() % SHORT_MS) + 100);
      const now = await stack.streamsRequests();
      perWindow.push(now - previous);
      previous = now;
    }
    const share = Math.floor((LIMIT_15MIN * SHARE_PERCENT) / 100);
    const progress = await stack.data.getBestEffortsProgress(userId);
    return [
      compared(
        'enrichment: Strava requests per 15-minute window (most in any)',
        'requests',
        Math.max(...perWindow),
        { name: `configured share: ${SHARE_PERCENT} % of ${LIMIT_15MIN}`, value: share },
        {
          target: 'ratio ≤ 1.00 (never above the share)',
          notes: `${WINDOWS} whole windows (${SHORT_MS / 1000} s standing for 15 min): ${perWindow.join(', ')} requests; ${progress.withEfforts} of ${progress.runs} runs enriched by then`,
        },
      ),
    ];
  } finally {
    await stack.close();
  }
}
