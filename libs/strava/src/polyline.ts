/**
 * Google's encoded polyline format, as Strava uses for `map.summary_polyline` (precision 5).
 * Imports nothing: the runner's page imports it (`@runnerly/strava/polyline`) as well as the services.
 */

/** A [latitude, longitude] pair in degrees. */
export type LatLng = [number, number];

function encodeValue(value: number): string {
  let v = value < 0 ? ~(value << 1) : value << 1;
  let out = '';
  while (v >= 0x20) {
    out += String.fromCharCode((0x20 | (v & 0x1f)) + 63);
    v >>= 5;
  }
  return out + String.fromCharCode(v + 63);
}

export function encodePolyline(points: LatLng[], precision = 5): string {
  const factor = 10 ** precision;
  let lastLat = 0;
  let lastLng = 0;
  let out = '';
  for (const [lat, lng] of points) {
    const latE = Math.round(lat * factor);
    const lngE = Math.round(lng * factor);
    out += encodeValue(latE - lastLat) + encodeValue(lngE - lastLng);
    lastLat = latE;
    lastLng = lngE;
  }
  return out;
}

/**
 * The points of an encoded polyline. Never throws: a truncated string (cut inside a value, or
 * after a latitude without its longitude) gives the points decoded before the cut, so that a
 * damaged polyline stored for a run draws what it can (or nothing) instead of breaking the page
 * or a sync.
 */
export function decodePolyline(encoded: string, precision = 5): LatLng[] {
  const factor = 10 ** precision;
  const points: LatLng[] = [];
  let index = 0;
  let lat = 0;
  let lng = 0;
  const next = (): number | undefined => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (index >= encoded.length) return undefined;
      const byte = encoded.charCodeAt(index++) - 63;
      result |= (byte & 0x1f) << shift;
      shift += 5;
      if (byte < 0x20) break;
    }
    return result & 1 ? ~(result >> 1) : result >> 1;
  };
  while (index < encoded.length) {
    const dLat = next();
    const dLng = next();
    if (dLat === undefined || dLng === undefined) break;
    lat += dLat;
    lng += dLng;
    points.push([lat / factor, lng / factor]);
  }
  return points;
}
