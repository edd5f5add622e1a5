import { useMemo } from 'react';
import { decodePolyline } from '@runnerly/strava/polyline';
import { routePath } from '../lib/route-path.js';

const SIZE = 88;

export function RouteMap({ polyline, name }: { polyline?: string | null; name: string }) {
  const path = useMemo(() => (polyline ? routePath(decodePolyline(polyline), SIZE, SIZE, 6) : ''), [polyline]);
  if (!path) {
    return (
      <div className="route none" role="img" aria-label={`No route recorded for ${name}`}>
        <span aria-hidden="true">No GPS</span>
      </div>
    );
  }
  return (
    <svg
      className="route"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      width={SIZE}
      height={SIZE}
      role="img"
      aria-label={`Route of ${name}`}
    >
      <path d={path} fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
