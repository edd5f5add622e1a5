import { api } from '../api.js';
import { wallClock } from '../lib/time.js';
import { formatDistance, formatDuration, formatPace, type Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { ErrorPanel, Loading } from './States.js';

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export function PersonalBests({ unit, version }: { unit: Unit; version: number }) {
  const bests = useResource(() => api.bests(), [version]);
  return (
    <section aria-labelledby="bests-title">
      <h2 id="bests-title">Personal bests</h2>
      <p className="muted small-print">Fastest average pace among runs at least that long.</p>
      {bests.state === 'error' && (
        <ErrorPanel title="Personal bests could not load" error={bests.error} onRetry={bests.reload} />
      )}
      {bests.data === undefined && bests.state === 'loading' && <Loading label="Looking for your fastest runs…" />}
      {bests.data && (
        <ul className="bests">
          {bests.data.items.map((best) => (
            <li key={best.key} className="card best" data-testid={`best-${best.key}`}>
              <h3>{best.label}</h3>
              {best.run && best.time !== undefined ? (
                <>
                  <p className="big">{formatDuration(best.time)}</p>
                  <p className="muted">
                    {formatPace(best.run.distance, best.run.movingTime, unit)} · {best.run.name}
                    <br />
                    {formatDistance(best.run.distance, unit)} on {day.format(wallClock(best.run.startDateLocal))}
                  </p>
                </>
              ) : (
                <p className="muted">
                  No run of {formatDistance(best.distance, unit, best.distance % 1000 ? 1 : 0)} or more yet.
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
