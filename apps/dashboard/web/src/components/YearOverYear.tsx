import { api, type Years } from '../api.js';
import { roundDistance } from '../lib/glance-format.js';
import { formatDistance, toUnit, type Unit } from '../lib/units.js';
import { cumulativeFromTotals, niceMax } from '../lib/years.js';
import { useResource } from '../useResource.js';
import { Empty, ErrorPanel, Loading } from './States.js';

const W = 640;
const H = 240;
const PAD = { left: 44, right: 12, top: 22, bottom: 24 };
const LINES = 4;
/** Darkest for this year, lighter for older ones; each ≥ 3:1 on white. */
const COLOURS = ['#b93d0b', '#1d4ed8', '#047857', '#6b21a8'];
const MONTH_STARTS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const monthShort = Array.from({ length: 12 }, (_, m) =>
  new Intl.DateTimeFormat(undefined, { month: 'short' }).format(new Date(2026, m, 1)),
);

/** Cumulative distance by day of the year, this year against the previous ones, and month totals. */
export function YearOverYear({ unit, version }: { unit: Unit; version: number }) {
  const years = useResource(() => api.years(), [version]);
  return (
    <section aria-labelledby="years-title" className="card" data-testid="years">
      <h2 id="years-title">Year by year</h2>
      {years.state === 'error' && (
        <ErrorPanel title="Your years could not load" error={years.error} onRetry={years.reload} />
      )}
      {years.data === undefined && years.state === 'loading' && <Loading label="Adding up your years…" />}
      {years.data && years.data.years.length === 0 && (
        <Empty title="No years to compare yet">Your yearly totals appear here once you have runs.</Empty>
      )}
      {years.data && years.data.years.length > 0 && <YearsChart data={years.data} unit={unit} />}
    </section>
  );
}

function YearsChart({ data, unit }: { data: Years; unit: Unit }) {
  const shown = data.years.slice(-LINES).reverse(); // newest first
  const lines = shown.map((year) => ({
    year: year.year,
    points: cumulativeFromTotals(year.cumulative),
  }));
  const max = niceMax(Math.max(...shown.map((year) => toUnit(year.distance, unit))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (day: number) => PAD.left + (day / 366) * plotW;
  const y = (meters: number) => PAD.top + plotH * (1 - toUnit(meters, unit) / max);
  return (
    <>
      <ul className="year-figures">
        {shown.map((year, index) => (
          <li key={year.year} data-testid={`year-${year.year}`}>
            <span className="swatch" style={{ background: COLOURS[index] }} aria-hidden="true" />
            <strong>{year.year}</strong> {roundDistance(year.distance, unit)} · {year.runs} runs
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="chart"
        role="img"
        aria-label={`Distance added up day by day through each year, in ${unit}, for ${shown.map((year) => year.year).join(', ')}. The table “Month by month” lists the values.`}
      >
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line
              x1={PAD.left}
              x2={PAD.left + plotW}
              y1={PAD.top + plotH * (1 - f)}
              y2={PAD.top + plotH * (1 - f)}
              className="grid"
            />
            <text x={PAD.left - 6} y={PAD.top + plotH * (1 - f) + 4} textAnchor="end" className="axis">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {MONTH_STARTS.map((start, m) =>
          m % 2 === 0 ? (
            <text key={m} x={x(start + 15)} y={H - 6} textAnchor="middle" className="axis">
              {monthShort[m]}
            </text>
          ) : null,
        )}
        {lines
          .slice()
          .reverse()
          .map((line) => {
            const index = shown.findIndex((year) => year.year === line.year);
            const path = line.points
              .map((p, i) =>
                i === 0
                  ? `M${x(p.day).toFixed(1)} ${y(p.total).toFixed(1)}`
                  : `H${x(p.day).toFixed(1)} V${y(p.total).toFixed(1)}`,
              )
              .join(' ');
            return (
              <g key={line.year}>
                <path d={path} fill="none" stroke={COLOURS[index]} strokeWidth={index === 0 ? 3 : 2} />
              </g>
            );
          })}
        <text x={PAD.left + plotW} y={PAD.top - 8} textAnchor="end" className="axis">
          {unit} since 1 January
        </text>
      </svg>
      <details className="months">
        <summary>Month by month</summary>
        <div className="table-scroll">
          <table data-testid="months-table">
            <caption className="visually-hidden">Distance per month and year, in {unit}</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {shown.map((year) => (
                  <th key={year.year} scope="col">
                    {year.year}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthShort.map((name, m) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  {shown.map((year) => (
                    <td key={year.year}>{toUnit(year.months[m] ?? 0, unit).toFixed(1)}</td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">Year</th>
                {shown.map((year) => (
                  <td key={year.year}>{formatDistance(year.distance, unit, 1)}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
