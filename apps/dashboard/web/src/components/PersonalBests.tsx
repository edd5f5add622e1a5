import { useEffect, useState } from 'react';
import { api, type PersonalBests as Bests } from '../api.js';
import { wallClock } from '../lib/time.js';
import { formatDuration, formatPace, type Unit } from '../lib/units.js';
import { type Resource, useResource } from '../useResource.js';
import { BestsProgression } from './BestsProgression.js';
import { ErrorPanel, Loading } from './States.js';

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
/** While best efforts are still being computed, the table is read again this often. */
const REFRESH_MS = 15_000;

export type BestsResource = Resource<Bests> & { reload: () => void };

/** The bests, read once for the page (the table and the runs list's marks), again while efforts are pending. */
export function useBests(version: number): BestsResource {
  const [tick, setTick] = useState(0);
  const bests = useResource(() => api.bests(), [version, tick]);
  const progress = bests.data?.progress;
  const pending = progress !== undefined && progress.withEfforts < progress.runs;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearTimeout(timer);
  }, [pending, bests.data]);
  return bests;
}

export function PersonalBests({ unit, bests }: { unit: Unit; bests: BestsResource }) {
  const progress = bests.data?.progress;
  const pending = progress !== undefined && progress.withEfforts < progress.runs;
  return (
    <section aria-labelledby="bests-title">
      <h2 id="bests-title">Personal bests</h2>
      <p className="muted small-print">The fastest stretch of each distance within any of your runs.</p>
      {progress && progress.runs > 0 && (
        <p className="muted small-print" data-testid="bests-progress">
          Best efforts for {progress.withEfforts} of {progress.runs} runs
          {pending ? ' (the rest follow as Strava’s limits allow)' : ''}.
        </p>
      )}
      {bests.state === 'error' && (
        <ErrorPanel title="Personal bests could not load" error={bests.error} onRetry={bests.reload} />
      )}
      {bests.data === undefined && bests.state === 'loading' && <Loading label="Looking for your fastest runs…" />}
      {bests.data && bests.data.items.length === 0 && <p className="muted">No best efforts yet.</p>}
      {bests.data && bests.data.items.length > 0 && (
        <ul className="bests">
          {bests.data.items.map((best) => (
            <li key={best.distance} className="card best" data-testid={`best-${best.name}`}>
              <h3>{best.name}</h3>
              <p className="big">{formatDuration(best.elapsedTime)}</p>
              <p className="muted">
                {formatPace(best.distance, best.elapsedTime, unit)} · {best.run.name}
                <br />
                on {day.format(wallClock(best.run.startDateLocal))}
              </p>
              <BestsProgression best={best} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
