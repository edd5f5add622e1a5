import type { LatLng } from '@runnerly/strava/polyline';

/**
 * An SVG path drawing the route inside a `width`×`height` box, north up, with the same scale on
 * both axes (longitude shrunk by cos(latitude)) so that the shape is not distorted.
 */
export function routePath(points: LatLng[], width: number, height: number, padding = 4): string {
  if (points.length === 0) return '';
  const meanLat = points.reduce((sum, [lat]) => sum + lat, 0) / points.length;
  const kx = Math.cos((meanLat * Math.PI) / 180);
  const xs = points.map(([, lng]) => lng * kx);
  const ys = points.map(([lat]) => lat);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const scale = Math.min((width - 2 * padding) / (spanX || 1), (height - 2 * padding) / (spanY || 1));
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  return xs
    .map((x, i) => {
      const px = offsetX + (x - minX) * scale;
      const py = height - (offsetY + (ys[i]! - minY) * scale);
      return `${i === 0 ? 'M' : 'L'}${px.toFixed(1)} ${py.toFixed(1)}`;
    })
    .join(' ');
}
