import { api, type EddingtonNumber } from '../api.js';
import { plural } from '../lib/glance-format.js';
import type { Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { ErrorPanel, Loading } from './States.js';

/** The Eddington number in km and in miles, the runner's unit first. */
export function Eddington({ unit, version }: { unit: Unit; version: number }) {
  const eddington = useResource(() => api.eddington(), [version]);
  const units: Unit[] = unit === 'km' ? ['km', 'mi'] : ['mi', 'km'];
  return (
    <section aria-labelledby="eddington-title" className="card" data-testid="eddington">
      <h2 id="eddington-title">Eddington number</h2>
      <p className="muted small-print">The largest n with n days of at least n {unit} run.</p>
      {eddington.state === 'error' && (
        <ErrorPanel title="The Eddington number could not load" error={eddington.error} onRetry={eddington.reload} />
      )}
      {eddington.data === undefined && eddington.state === 'loading' && <Loading label="Counting your long days…" />}
      {eddington.data && (
        <dl className="eddington">
          {units.map((u) => (
            <Figure key={u} unit={u} value={eddington.data![u]} />
          ))}
        </dl>
      )}
    </section>
  );
}

function Figure({ unit, value }: { unit: Unit; value: EddingtonNumber }) {
  const next = value.number + 1;
  return (
    <div>
      <dt>In {unit === 'km' ? 'kilometres' : 'miles'}</dt>
      <dd>
        <span className="big" data-testid={`eddington-${unit}`}>
          {value.number}
        </span>
        <span className="muted" data-testid={`eddington-${unit}-next`}>
          {' '}
          {plural(value.nextNeeded, 'more day')} of {next} {unit} or more for {next}
        </span>
      </dd>
    </div>
  );
}
