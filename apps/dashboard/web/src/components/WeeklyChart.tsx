import { api } from '../api.js';
import { weeklySeries } from '../lib/periods.js';
import { wallClock } from '../lib/time.js';
import { toUnit, type Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { ErrorPanel, Loading } from './States.js';

const WEEKS = 16;
const W = 640;
const H = 200;
const PAD = { left: 36, right: 8, top: 18, bottom: 24 };

function niceMax(value: number): number {
  if (value <= 0) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= value)!;
  return step * magnitude;
}

const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Weekly distance over the last 16 weeks: an SVG bar chart with a table for screen readers. */
export function WeeklyChart({ unit, version }: { unit: Unit; version: number }) {
  const weeks = useResource(
    () => api.stats('week').then(({ items }) => weeklySeries(items, WEEKS, new Date())),
    [version],
  );
  const series = weeks.data ?? [];
  const values = series.map((week) => toUnit(week.distance, unit));
  const max = niceMax(Math.max(0, ...values));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / WEEKS;
  return (
    <section aria-labelledby="weekly-title" className="card">
      <h2 id="weekly-title">Weekly distance</h2>
      {weeks.state === 'error' && (
        <ErrorPanel title="The chart could not load" error={weeks.error} onRetry={weeks.reload} />
      )}
      {weeks.data === undefined && weeks.state === 'loading' && <Loading label="Drawing your weeks…" />}
      {weeks.data && (
        <>
          <svg
            viewBox={`0 0 ${W} ${H}`}
            className="chart"
            role="img"
            aria-label={`Distance per week over the last ${WEEKS} weeks, in ${unit}; the table below lists the values.`}
          >
            {[0, 0.5, 1].map((f) => {
              const y = PAD.top + plotH * (1 - f);
              return (
                <g key={f}>
                  <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} className="grid" />
                  {f > 0 && (
                    <text x={PAD.left - 6} y={y + 4} textAnchor="end" className="axis">
                      {Math.round(max * f)}
                    </text>
                  )}
                </g>
              );
            })}
            {series.map((week, i) => {
              const h = (values[i]! / max) * plotH;
              const x = PAD.left + i * slot + slot * 0.15;
              return (
                <g key={week.periodStart}>
                  <rect
                    x={x}
                    y={PAD.top + plotH - h}
                    width={slot * 0.7}
                    height={Math.max(h, 0)}
                    rx={2}
                    className={i === WEEKS - 1 ? 'chart-bar now' : 'chart-bar'}
                  >
                    <title>{`Week of ${shortDate.format(wallClock(week.periodStart))}: ${values[i]!.toFixed(1)} ${unit}`}</title>
                  </rect>
                  {i % 4 === 0 && (
                    <text x={x + slot * 0.35} y={H - 6} textAnchor="middle" className="axis">
                      {shortDate.format(wallClock(week.periodStart))}
                    </text>
                  )}
                </g>
              );
            })}
            <text x={W - PAD.right} y={PAD.top - 2} textAnchor="end" className="axis">
              {unit} per week
            </text>
          </svg>
          <table className="visually-hidden">
            <caption>Distance per week</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col">Distance ({unit})</th>
              </tr>
            </thead>
            <tbody>
              {series.map((week, i) => (
                <tr key={week.periodStart}>
                  <td>{week.periodStart}</td>
                  <td>{values[i]!.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
