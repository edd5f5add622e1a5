import type { PersonalBests } from '../api.js';
import { stepPath, withImprovements } from '../lib/bests.js';
import { wallClock } from '../lib/time.js';
import { formatDuration } from '../lib/units.js';

type Best = PersonalBests['items'][number];

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const WIDTH = 160;
const HEIGHT = 32;

/** A distance's records over time: a disclosure with a small step chart and the list it draws. */
export function BestsProgression({ best }: { best: Best }) {
  const steps = withImprovements(best.progression);
  return (
    <details className="progression" data-testid={`progression-${best.name}`}>
      <summary>
        {best.name} progression: {steps.length} {steps.length === 1 ? 'record' : 'records'}
      </summary>
      {steps.length > 1 && (
        <svg className="step-chart" viewBox={`-2 -2 ${WIDTH + 4} ${HEIGHT + 4}`} aria-hidden="true" focusable="false">
          <path d={stepPath(best.progression, WIDTH, HEIGHT)} />
        </svg>
      )}
      <ol className="records">
        {steps.map((step) => (
          <li key={`${step.stravaId}-${step.date}`} data-testid="record">
            <time dateTime={step.date}>{day.format(wallClock(step.date))}</time>{' '}
            <strong data-testid="record-time">{formatDuration(step.elapsedTime)}</strong>
            <span className="muted">
              {step.improvement === null ? ' · first' : ` · ${formatDuration(step.improvement)} faster`}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}
