import type { Unit } from '../lib/units.js';
import { CalendarHeatmap } from './CalendarHeatmap.js';
import { Eddington } from './Eddington.js';
import { Goal } from './Goal.js';
import { RouteHeatmap } from './RouteHeatmap.js';
import { Shoes } from './Shoes.js';
import { YearOverYear } from './YearOverYear.js';

/**
 * The year at a glance (calendar, years, goal, Eddington, shoes, routes). Loaded as its own chunk
 * after the page's first render, so that the runs list does not wait for it.
 */
export default function Glance({ unit, version, csrfToken }: { unit: Unit; version: number; csrfToken: string }) {
  return (
    <div className="glance">
      <CalendarHeatmap unit={unit} version={version} />
      <YearOverYear unit={unit} version={version} />
      <div className="glance-pair">
        <Goal unit={unit} version={version} csrfToken={csrfToken} />
        <Eddington unit={unit} version={version} />
      </div>
      <Shoes unit={unit} version={version} csrfToken={csrfToken} />
      <RouteHeatmap unit={unit} version={version} />
    </div>
  );
}
