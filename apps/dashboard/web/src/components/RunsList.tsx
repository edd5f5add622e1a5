import { useEffect, useMemo, useState } from 'react';
import { api, type PersonalBests } from '../api.js';
import { marksByRun } from '../lib/bests.js';
import { wallClock } from '../lib/time.js';
import { formatDistance, formatDuration, formatElevation, formatPace, type Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { RouteMap } from './RouteMap.js';
import { Empty, ErrorPanel, Loading } from './States.js';

const PAGE_SIZE = 10;
const when = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function RunsList({
  unit,
  version,
  bests,
  onSettled,
}: {
  unit: Unit;
  version: number;
  /** The page's bests (shared with the table), for the runs' record marks. */
  bests?: PersonalBests;
  onSettled?: () => void;
}) {
  const marks = useMemo(() => marksByRun(bests?.items ?? []), [bests]);
  // The cursors of the pages seen so far: the last one is the page shown.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors.at(-1) ?? null;
  const page = useResource(() => api.runs(cursor, PAGE_SIZE), [cursor, version]);
  const pageNumber = cursors.length;
  // Tells the page when the runs are on screen (or could not load), so that what waits for them can start.
  useEffect(() => {
    if (page.state !== 'loading') onSettled?.();
  }, [page.state, onSettled]);
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      {page.state === 'error' && (
        <ErrorPanel title="Your runs could not load" error={page.error} onRetry={page.reload} />
      )}
      {page.data === undefined && page.state === 'loading' && <Loading label="Loading your runs…" />}
      {page.data && page.data.items.length === 0 && pageNumber === 1 && (
        <Empty title="No runs yet">
          Runs you record on Strava appear here after a sync. Press “Sync now” above if you have just recorded one.
        </Empty>
      )}
      {page.data && page.data.items.length > 0 && (
        <ol className="runs" aria-busy={page.state === 'loading'} data-testid="runs">
          {page.data.items.map((run) => (
            <li key={run.stravaId} className="card run" data-strava-id={run.stravaId}>
              <RouteMap polyline={run.summaryPolyline} name={run.name} />
              <div className="run-body">
                <h3>{run.name}</h3>
                {marks.has(run.stravaId) && (
                  <ul className="marks" aria-label="Records set" data-testid="run-marks">
                    {marks.get(run.stravaId)!.map((mark) => (
                      <li key={mark.distance} className={mark.current ? 'mark current' : 'mark'}>
                        {mark.current ? `${mark.name} best` : `${mark.name} record at the time`}
                      </li>
                    ))}
                  </ul>
                )}
                <p className="muted">
                  <time dateTime={run.startDateLocal}>{when.format(wallClock(run.startDateLocal))}</time>
                </p>
                <dl className="facts">
                  <div>
                    <dt>Distance</dt>
                    <dd data-testid="run-distance">{formatDistance(run.distance, unit)}</dd>
                  </div>
                  <div>
                    <dt>Time</dt>
                    <dd>{formatDuration(run.movingTime)}</dd>
                  </div>
                  <div>
                    <dt>Pace</dt>
                    <dd>{formatPace(run.distance, run.movingTime, unit)}</dd>
                  </div>
                  <div>
                    <dt>Elevation</dt>
                    <dd>{formatElevation(run.totalElevationGain, unit)}</dd>
                  </div>
                  <div>
                    <dt>Heart rate</dt>
                    <dd>{run.averageHeartrate ? `${Math.round(run.averageHeartrate)} bpm` : '–'}</dd>
                  </div>
                </dl>
              </div>
            </li>
          ))}
        </ol>
      )}
      {page.data && (pageNumber > 1 || page.data.nextCursor) && (
        <nav className="pager" aria-label="Pages of runs">
          <button
            type="button"
            className="button secondary"
            disabled={pageNumber === 1}
            onClick={() => setCursors((list) => list.slice(0, -1))}
          >
            Newer
          </button>
          <span aria-live="polite">Page {pageNumber}</span>
          <button
            type="button"
            className="button secondary"
            disabled={!page.data.nextCursor || page.state === 'loading'}
            onClick={() => setCursors((list) => [...list, page.data!.nextCursor])}
          >
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
