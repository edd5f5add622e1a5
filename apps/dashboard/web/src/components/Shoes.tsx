import { useState } from 'react';
import { api, ApiError, type ShoeView } from '../api.js';
import { roundDistance } from '../lib/glance-format.js';
import { parseDistance, toUnit, type Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { Empty, ErrorPanel, Loading } from './States.js';

/** Distance per shoe against the runner's retirement threshold, with a warning near it. */
export function Shoes({ unit, version, csrfToken }: { unit: Unit; version: number; csrfToken: string }) {
  const shoes = useResource(() => api.shoes(), [version]);
  return (
    <section aria-labelledby="shoes-title" className="card" data-testid="shoes">
      <h2 id="shoes-title">Shoes</h2>
      {shoes.state === 'error' && (
        <ErrorPanel title="Your shoes could not load" error={shoes.error} onRetry={shoes.reload} />
      )}
      {shoes.data === undefined && shoes.state === 'loading' && <Loading label="Lacing up your shoes…" />}
      {shoes.data && shoes.data.length === 0 && (
        <Empty title="No shoes yet">Runs you record with a shoe chosen on Strava are added up here.</Empty>
      )}
      {shoes.data && shoes.data.length > 0 && (
        <ul className="shoes">
          {shoes.data.map((shoe) => (
            <ShoeItem
              key={`${shoe.id}:${unit}:${shoe.retireAt}`}
              shoe={shoe}
              unit={unit}
              csrfToken={csrfToken}
              onSaved={shoes.reload}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShoeItem({
  shoe,
  unit,
  csrfToken,
  onSaved,
}: {
  shoe: ShoeView;
  unit: Unit;
  csrfToken: string;
  onSaved: () => void;
}) {
  const [value, setValue] = useState(String(Math.round(toUnit(shoe.retireAt, unit))));
  const [error, setError] = useState<string>();
  const state = shoe.warning ?? 'ok';
  const percent = shoe.retireAt > 0 ? Math.round((shoe.distance / shoe.retireAt) * 100) : 0;
  const inputId = `retire-${shoe.id}`;
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const retireAt = parseDistance(value, unit, 10_000);
    if (retireAt === undefined) {
      setError(`Enter a distance in ${unit}, more than 0.`);
      return;
    }
    setError(undefined);
    api.setShoe(csrfToken, shoe.id, { retireAt }).then(onSaved, (failure: ApiError) => setError(failure.message));
  };
  return (
    <li className={`card shoe ${state}`} data-testid={`shoe-${shoe.id}`}>
      <h3>
        {shoe.name}
        {shoe.retired && <span className="tag">retired</span>}
      </h3>
      <p>
        <strong data-testid="shoe-distance">{roundDistance(shoe.distance, unit)}</strong> of{' '}
        {roundDistance(shoe.retireAt, unit)} ({percent}%)
      </p>
      <div
        className="bar"
        role="progressbar"
        aria-label={`${shoe.name} wear`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
        aria-valuetext={`${percent}% of the retirement distance`}
      >
        <span style={{ width: `${Math.min(percent, 100)}%` }} />
      </div>
      {state !== 'ok' && (
        <p className="warning-text" data-testid="shoe-warning">
          {state === 'over'
            ? 'Past its retirement distance: time for a new pair.'
            : 'Nearly worn out: think about a new pair.'}
        </p>
      )}
      <form className="inline-form" onSubmit={submit} noValidate>
        <label htmlFor={inputId}>Retire at ({unit})</label>
        <input
          id={inputId}
          type="number"
          inputMode="numeric"
          min={1}
          step="any"
          value={value}
          aria-invalid={error ? true : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" className="button secondary">
          Save
        </button>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
      </form>
    </li>
  );
}
