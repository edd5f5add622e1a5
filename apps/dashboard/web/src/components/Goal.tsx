import { useState } from 'react';
import { api, ApiError, type Goal as GoalView } from '../api.js';
import { localDay } from '../lib/days.js';
import { roundDistance } from '../lib/glance-format.js';
import { parseDistance, toUnit, type Unit } from '../lib/units.js';
import { goalStanding } from '../lib/years.js';
import { useResource } from '../useResource.js';
import { ErrorPanel, Loading } from './States.js';

/** The runner's distance goal for this year: where they stand, and where the year is heading. */
export function Goal({ unit, version, csrfToken }: { unit: Unit; version: number; csrfToken: string }) {
  const today = localDay(new Date());
  const year = Number(today.slice(0, 4));
  const goal = useResource(() => api.goal(year), [version, year]);
  const view = goal.data;
  return (
    <section aria-labelledby="goal-title" className="card" data-testid="goal">
      <h2 id="goal-title">{year} goal</h2>
      {goal.state === 'error' && (
        <ErrorPanel title="Your goal could not load" error={goal.error} onRetry={goal.reload} />
      )}
      {view === undefined && goal.state === 'loading' && <Loading label="Looking up your goal…" />}
      {view && (
        <>
          <Standing goal={view} unit={unit} today={today} />
          <GoalForm
            key={`${unit}:${view.distance}`}
            goal={view}
            unit={unit}
            csrfToken={csrfToken}
            onSaved={goal.reload}
          />
        </>
      )}
    </section>
  );
}

function Standing({ goal, unit, today }: { goal: GoalView; unit: Unit; today: string }) {
  if (!goal.distance) {
    return (
      <p data-testid="goal-status">
        {roundDistance(goal.done, unit)} run this year. Set a goal to see where you stand; at this pace the year ends at{' '}
        {roundDistance(goal.projected, unit)}.
      </p>
    );
  }
  const standing = goalStanding(goal.distance, goal.done, today, goal.year);
  const percent = Math.round(standing.fraction * 100);
  const reached = goal.done >= goal.distance;
  return (
    <div className="goal-standing">
      <p data-testid="goal-status">
        <strong>{roundDistance(goal.done, unit)}</strong> of {roundDistance(goal.distance, unit)} ({percent}%).
      </p>
      <div
        className="bar"
        role="progressbar"
        aria-label="Goal done"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
        aria-valuetext={`${percent}%`}
      >
        <span style={{ width: `${Math.min(percent, 100)}%` }} />
      </div>
      <p className="muted" data-testid="goal-projection">
        {reached
          ? 'Goal reached. '
          : `${roundDistance(Math.abs(standing.ahead), unit)} ${standing.ahead >= 0 ? 'ahead of' : 'behind'} an even pace. `}
        At this pace you will end the year at {roundDistance(goal.projected, unit)}
        {!reached && goal.projected < goal.distance
          ? `; ${(toUnit(standing.perDayNeeded, unit) * 7).toFixed(1)} ${unit} a week from now on reaches the goal.`
          : '.'}
      </p>
    </div>
  );
}

function GoalForm({
  goal,
  unit,
  csrfToken,
  onSaved,
}: {
  goal: GoalView;
  unit: Unit;
  csrfToken: string;
  onSaved: () => void;
}) {
  const [value, setValue] = useState(goal.distance ? String(Math.round(toUnit(goal.distance, unit))) : '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const meters = parseDistance(value, unit, 100_000);
    if (meters === undefined) {
      setError(`Enter a distance in ${unit}, more than 0.`);
      return;
    }
    setBusy(true);
    setError(undefined);
    api.setGoal(csrfToken, { year: goal.year, distance: meters }).then(
      () => {
        setBusy(false);
        onSaved();
      },
      (failure: ApiError) => {
        setBusy(false);
        setError(failure.message);
      },
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor="goal-distance">
        Goal for {goal.year} ({unit})
      </label>
      <input
        id="goal-distance"
        name="distance"
        type="number"
        inputMode="numeric"
        min={1}
        step="any"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'goal-error' : undefined}
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" className="button primary" disabled={busy}>
        {goal.distance ? 'Change goal' : 'Set goal'}
      </button>
      {error && (
        <p id="goal-error" className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
