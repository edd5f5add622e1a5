import type { LatLng } from '@runnerly/strava/polyline';

/** Web Mercator: longitude and latitude to x, y in [0, 1] (y down, north at the top). */
export function mercator([lat, lng]: LatLng): [number, number] {
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return [(lng + 180) / 360, 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)];
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function boundsOf(routes: Array<Array<[number, number]>>): Bounds | undefined {
  let bounds: Bounds | undefined;
  for (const route of routes)
    for (const [x, y] of route) {
      if (!bounds) bounds = { minX: x, minY: y, maxX: x, maxY: y };
      else {
        bounds.minX = Math.min(bounds.minX, x);
        bounds.minY = Math.min(bounds.minY, y);
        bounds.maxX = Math.max(bounds.maxX, x);
        bounds.maxY = Math.max(bounds.maxY, y);
      }
    }
  return bounds;
}

/**
 * The projected points that matter for the frame: the routes near where most of them are, so that
 * one holiday run on another continent does not shrink home to a dot. Keeps the routes whose first
 * point lies within `radius` (in projected units) of the median start.
 */
export function mainCluster(routes: Array<Array<[number, number]>>, radius = 0.002): Array<Array<[number, number]>> {
  const starts = routes.filter((route) => route.length > 0).map((route) => route[0]!);
  if (starts.length === 0) return [];
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const cx = median(starts.map(([x]) => x));
  const cy = median(starts.map(([, y]) => y));
  return routes.filter((route) => {
    const first = route[0];
    return first !== undefined && Math.hypot(first[0] - cx, first[1] - cy) <= radius;
  });
}

/** The scale and offset that fit `bounds` inside `width`×`height` (same scale on both axes, centred). */
export function fitBounds(
  bounds: Bounds,
  width: number,
  height: number,
  padding = 8,
): { scale: number; dx: number; dy: number } {
  const spanX = Math.max(bounds.maxX - bounds.minX, 1e-9);
  const spanY = Math.max(bounds.maxY - bounds.minY, 1e-9);
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  return {
    scale,
    dx: (width - spanX * scale) / 2 - bounds.minX * scale,
    dy: (height - spanY * scale) / 2 - bounds.minY * scale,
  };
}

const EARTH_RADIUS_M = 6_371_000;

export function haversine([lat1, lng1]: LatLng, [lat2, lng2]: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The east-west and north-south extent of projected bounds, in metres at their mean latitude. */
export function areaSize(bounds: Bounds): { width: number; height: number } {
  const toLat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
  const toLng = (x: number) => x * 360 - 180;
  const north = toLat(bounds.minY);
  const south = toLat(bounds.maxY);
  const mid = (north + south) / 2;
  return {
    width: haversine([mid, toLng(bounds.minX)], [mid, toLng(bounds.maxX)]),
    height: haversine([north, 0], [south, 0]),
  };
}
