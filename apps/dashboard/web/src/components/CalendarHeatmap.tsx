import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type Streaks } from '../api.js';
import {
  type CalendarCell,
  calendarRange,
  levelThresholds,
  monthStarts,
  moveInGrid,
  weekGrid,
} from '../lib/calendar.js';
import { addDays, dayAsDate, localDay } from '../lib/days.js';
import { dayLabel, plural } from '../lib/glance-format.js';
import { formatDistance, type Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { ErrorPanel, Loading } from './States.js';

const CELL = 12;
const GAP = 3;
const TOP = 16;
const LEFT = 28;
const WEEKDAYS = ['Mon', '', 'Wed', '', 'Fri', '', 'Sun'];
const monthName = new Intl.DateTimeFormat(undefined, { month: 'short' });
const monthYear = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** The last 12 months on the runner's local days, with streaks: a keyboard-navigable grid. */
export function CalendarHeatmap({ unit, version }: { unit: Unit; version: number }) {
  const calendar = useResource(() => {
    // The athlete's today may be a day either side of the browser's: ask a little wider.
    const browserToday = localDay(new Date());
    const { from } = calendarRange(addDays(browserToday, 1));
    return api.calendar(addDays(from, -7), addDays(browserToday, 1));
  }, [version]);
  return (
    <section aria-labelledby="calendar-title" className="card" data-testid="calendar">
      <h2 id="calendar-title">Your last 12 months</h2>
      {calendar.state === 'error' && (
        <ErrorPanel title="The calendar could not load" error={calendar.error} onRetry={calendar.reload} />
      )}
      {calendar.data === undefined && calendar.state === 'loading' && <Loading label="Filling in your calendar…" />}
      {calendar.data && (
        <>
          <StreakFigures streaks={calendar.data.streaks} />
          <Grid days={calendar.data.days} today={calendar.data.today ?? localDay(new Date())} unit={unit} />
        </>
      )}
    </section>
  );
}

function StreakFigures({ streaks }: { streaks: Streaks }) {
  const figures = [
    ['Current streak', plural(streaks.currentDays, 'day'), 'streak-current-days'],
    ['Longest streak', plural(streaks.longestDays, 'day'), 'streak-longest-days'],
    ['Weeks in a row', plural(streaks.currentWeeks, 'week'), 'streak-current-weeks'],
    ['Most weeks in a row', plural(streaks.longestWeeks, 'week'), 'streak-longest-weeks'],
  ] as const;
  return (
    <dl className="figures">
      {figures.map(([label, value, testId]) => (
        <div key={testId}>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Grid({ days, today, unit }: { days: Array<Omit<CalendarCell, 'level'>>; today: string; unit: Unit }) {
  const grid = useMemo(() => weekGrid(days, today), [days, today]);
  const [chosen, setFocus] = useState(() => lastCell(grid));
  // After a reload (a new day, a sync) the chosen cell may be gone: the grid keeps one tab stop.
  const focus = grid[chosen.week]?.[chosen.day] ? chosen : lastCell(grid);
  const [shown, setShown] = useState<CalendarCell | undefined>();
  const cells = useRef(new Map<string, SVGRectElement>());
  const scroller = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  const { from } = calendarRange(today);
  const inRange = days.filter((day) => day.date >= from && day.date <= today);
  const total = inRange.reduce((sum, day) => sum + day.distance, 0);
  const runs = inRange.reduce((sum, day) => sum + day.runs, 0);
  const thresholds = levelThresholds(inRange);

  useEffect(() => {
    // On a narrow screen the grid scrolls inside its box: start on the latest weeks.
    if (scroller.current) scroller.current.scrollLeft = scroller.current.scrollWidth;
  }, []);
  useEffect(() => {
    if (!moved.current) return;
    cells.current.get(`${focus.week}:${focus.day}`)?.focus();
  }, [focus]);

  const width = LEFT + grid.length * (CELL + GAP) + 12;
  const height = TOP + 7 * (CELL + GAP);
  const onKeyDown = (event: React.KeyboardEvent) => {
    const next = moveInGrid(event.key, focus, grid);
    if (!next) return;
    event.preventDefault();
    moved.current = true;
    setFocus(next);
    setShown(grid[next.week]?.[next.day] ?? undefined);
  };
  const months = monthsOf(inRange);

  return (
    <>
      <p className="muted" data-testid="calendar-summary">
        {runs === 0
          ? 'No runs in the last 12 months.'
          : `${plural(runs, 'run')} on ${plural(inRange.length, 'day')}, ${formatDistance(total, unit, 0)} in the last 12 months.`}
      </p>
      <div className="heatmap-scroll" ref={scroller}>
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          className="heatmap"
          role="grid"
          aria-label="Distance per day over the last 12 months, weeks from left to right. Use the arrow keys to move between days."
          onKeyDown={onKeyDown}
        >
          {monthStarts(grid).map(({ week, date }) => (
            <text key={date} x={LEFT + week * (CELL + GAP)} y={11} className="axis" aria-hidden="true">
              {monthName.format(dayAsDate(date))}
            </text>
          ))}
          {Array.from({ length: 7 }, (_, day) => (
            <g key={day} role="row">
              <text x={0} y={TOP + day * (CELL + GAP) + CELL - 2} className="axis" aria-hidden="true">
                {WEEKDAYS[day]}
              </text>
              {grid.map((column, week) => {
                const cell = column[day];
                if (!cell) return null;
                const focused = focus.week === week && focus.day === day;
                return (
                  <rect
                    key={cell.date}
                    ref={(node) => {
                      if (node) cells.current.set(`${week}:${day}`, node);
                      else cells.current.delete(`${week}:${day}`);
                    }}
                    role="gridcell"
                    tabIndex={focused ? 0 : -1}
                    aria-label={dayLabel(cell, unit)}
                    data-date={cell.date}
                    data-distance={Math.round(cell.distance)}
                    x={LEFT + week * (CELL + GAP)}
                    y={TOP + day * (CELL + GAP)}
                    width={CELL}
                    height={CELL}
                    rx={2}
                    className={`day level-${cell.level}`}
                    onFocus={() => {
                      setFocus({ week, day });
                      setShown(cell);
                    }}
                    onMouseEnter={() => setShown(cell)}
                    onClick={() => setShown(cell)}
                  />
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      <p className="day-detail" data-testid="calendar-detail">
        {shown ? dayLabel(shown, unit) : 'Select a day to see its distance.'}
      </p>
      <Legend thresholds={thresholds} unit={unit} />
      <div className="visually-hidden">
        <table>
          <caption>Runs per month over the last 12 months</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Days with a run</th>
              <th scope="col">Distance ({unit})</th>
            </tr>
          </thead>
          <tbody>
            {months.map((month) => (
              <tr key={month.key}>
                <th scope="row">{monthYear.format(dayAsDate(`${month.key}-01`))}</th>
                <td>{month.days}</td>
                <td>{formatDistance(month.distance, unit, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function lastCell(grid: Array<Array<CalendarCell | null>>): { week: number; day: number } {
  const week = grid.length - 1;
  const column = grid[week] ?? [];
  let day = 6;
  while (day > 0 && !column[day]) day -= 1;
  return { week, day };
}

function monthsOf(
  days: Array<{ date: string; distance: number }>,
): Array<{ key: string; days: number; distance: number }> {
  const months = new Map<string, { key: string; days: number; distance: number }>();
  for (const day of days) {
    const key = day.date.slice(0, 7);
    const month = months.get(key) ?? { key, days: 0, distance: 0 };
    month.days += 1;
    month.distance += day.distance;
    months.set(key, month);
  }
  return [...months.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

function Legend({ thresholds, unit }: { thresholds: [number, number, number]; unit: Unit }) {
  const steps = [
    { level: 0, text: 'no run' },
    { level: 1, text: thresholds[0] > 0 ? `under ${formatDistance(thresholds[0], unit, 1)}` : 'a run' },
    ...thresholds
      .map((threshold, index) => ({ level: index + 2, text: `${formatDistance(threshold, unit, 1)} or more` }))
      .filter((_, index) => thresholds[index]! > 0 && thresholds[index] !== thresholds[index - 1]),
  ];
  return (
    <ul className="legend" aria-label="Colour key">
      {steps.map((step) => (
        <li key={step.level}>
          <svg width={CELL} height={CELL} aria-hidden="true">
            <rect width={CELL} height={CELL} rx={2} className={`day level-${step.level}`} />
          </svg>
          {step.text}
        </li>
      ))}
    </ul>
  );
}
