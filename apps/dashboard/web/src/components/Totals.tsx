import { api } from '../api.js';
import { currentTotals, type Period } from '../lib/periods.js';
import { formatDistance, formatElevation, formatHours, type Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { ErrorPanel, Loading } from './States.js';

const PERIODS: Array<{ period: Period; label: string }> = [
  { period: 'week', label: 'This week' },
  { period: 'month', label: 'This month' },
  { period: 'year', label: 'This year' },
];

export function Totals({ unit, version }: { unit: Unit; version: number }) {
  const totals = useResource(
    () =>
      Promise.all(
        PERIODS.map(({ period }) => api.stats(period).then(({ items }) => currentTotals(items, period, new Date()))),
      ),
    [version],
  );
  return (
    <section aria-labelledby="totals-title">
      <h2 id="totals-title">Totals</h2>
      {totals.state === 'error' && (
        <ErrorPanel title="Totals could not load" error={totals.error} onRetry={totals.reload} />
      )}
      {totals.data === undefined && totals.state === 'loading' && <Loading label="Adding up your runs…" />}
      {totals.data && (
        <ul className="totals">
          {PERIODS.map(({ period, label }, i) => {
            const item = totals.data![i]!;
            return (
              <li key={period} className="card total" data-testid={`total-${period}`}>
                <h3>{label}</h3>
                <p className="big">{formatDistance(item.distance, unit, 1)}</p>
                <p className="muted">
                  {item.count} {item.count === 1 ? 'run' : 'runs'} · {formatHours(item.movingTime)} ·{' '}
                  {formatElevation(item.elevationGain, unit)} up
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
