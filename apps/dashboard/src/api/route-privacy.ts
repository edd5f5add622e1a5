import { decodePolyline, encodePolyline, type LatLng } from '@runnerly/strava/polyline';

const EARTH_RADIUS_M = 6_371_008.8;
/** Points kept per route: summary polylines are already simplified; this bounds a pathological one. */
export const MAX_POINTS_PER_ROUTE = 300;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversine([lat1, lng1]: LatLng, [lat2, lng2]: LatLng): number {
  const dLat = radians(lat2 - lat1);
  const dLng = radians(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `along` metres into the segment a→b of length `length` (linear, fine at these scales). */
function between(a: LatLng, b: LatLng, along: number, length: number): LatLng {
  const t = length === 0 ? 0 : along / length;
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

/**
 * The route without its first and last `meters` (measured along it), as Strava's privacy zones
 * hide where a runner lives: the cut points are interpolated, so exactly that much is hidden. A
 * route no longer than twice that is hidden whole (empty).
 */
export function trimRoute(points: readonly LatLng[], meters: number): LatLng[] {
  if (meters <= 0) return [...points];
  if (points.length < 2) return [];
  const cumulative = [0];
  for (let i = 1; i < points.length; i += 1)
    cumulative.push(cumulative[i - 1]! + haversine(points[i - 1]!, points[i]!));
  const total = cumulative.at(-1)!;
  if (total <= 2 * meters) return [];
  const at = (distance: number): { point: LatLng; index: number } => {
    let i = 1;
    while (cumulative[i]! < distance) i += 1;
    const start = cumulative[i - 1]!;
    return { point: between(points[i - 1]!, points[i]!, distance - start, cumulative[i]! - start), index: i };
  };
  const first = at(meters);
  const last = at(total - meters);
  const kept = [first.point, ...points.slice(first.index, last.index), last.point];
  // A cut falling on a point would repeat it.
  return kept.filter((point, i) => i === 0 || point[0] !== kept[i - 1]![0] || point[1] !== kept[i - 1]![1]);
}

/** At most `max` points, evenly picked, the first and last kept. */
export function capPoints(points: readonly LatLng[], max = MAX_POINTS_PER_ROUTE): LatLng[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

/** A stored summary polyline as the heatmap may show it: ends hidden, size bounded; undefined when nothing is left. */
export function privateRoute(polyline: string, meters: number): string | undefined {
  const trimmed = capPoints(trimRoute(decodePolyline(polyline), meters));
  return trimmed.length >= 2 ? encodePolyline(trimmed) : undefined;
}
