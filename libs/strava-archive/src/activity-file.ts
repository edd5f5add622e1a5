import type { Readable } from 'node:stream';
import { Decoder, Stream, Utils } from '@garmin/fitsdk';
import { SaxesParser } from 'saxes';
import { ActivityFileError } from './archive.errors.js';

/** What an activity file gives: Strava's stream shapes (seconds and metres from the start). */
export interface ActivityStreams {
  time: number[];
  distance: number[];
  latlng: [number, number][];
  /** The first point's time, ISO 8601 UTC. */
  startDate?: string;
  /** The device's local wall-clock start (FIT only), ISO 8601 without offset. */
  startDateLocal?: string;
}

export type ActivityFileFormat = 'fit' | 'gpx' | 'tcx';

/** `activities/1.fit.gz` → fit, gzipped; undefined for formats Runnerly does not read. */
export function activityFileFormat(filename: string): { format: ActivityFileFormat; gzipped: boolean } | undefined {
  const match = /\.(fit|gpx|tcx)(\.gz)?$/i.exec(filename);
  if (!match) return undefined;
  return { format: match[1]!.toLowerCase() as ActivityFileFormat, gzipped: match[2] !== undefined };
}

export async function readActivityFile(
  filename: string,
  format: ActivityFileFormat,
  input: Readable,
): Promise<ActivityStreams> {
  try {
    const streams = format === 'fit' ? decodeFit(await collect(input)) : await parseXmlTrack(format, input);
    if (streams.time.length === 0) throw new Error('no track points');
    return streams;
  } catch (error) {
    input.destroy();
    if (error instanceof ActivityFileError || (error instanceof Error && error.name === 'ArchiveError')) throw error;
    throw new ActivityFileError(filename, error instanceof Error ? error.message : String(error));
  }
}

async function collect(input: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const SEMICIRCLE = 180 / 2 ** 31;

/**
 * FIT through Garmin's own SDK: the record messages hold timestamp, distance and position in
 * semicircles; the activity message the local timestamp.
 */
export function decodeFit(bytes: Uint8Array): ActivityStreams {
  const decoder = new Decoder(Stream.fromByteArray(bytes));
  if (!decoder.isFIT()) throw new Error('not a FIT file');
  if (!decoder.checkIntegrity()) throw new Error('FIT file fails its integrity check (truncated or damaged)');
  // Without component/subfield expansion and string conversion, decoding is ~10× faster; the
  // record fields needed here are plain numbers (timestamp: FIT seconds, distance: metres).
  const { messages, errors } = decoder.read({
    expandComponents: false,
    expandSubFields: false,
    mergeHeartRates: false,
    convertTypesToStrings: false,
    convertDateTimesToDates: false,
  });
  if (errors.length > 0) throw new Error(errors[0]!.message);
  const streams: ActivityStreams = { time: [], distance: [], latlng: [] };
  const ms = (fitSeconds: number) => fitSeconds * 1000 + Utils.FIT_EPOCH_MS;
  let start: number | undefined;
  for (const record of messages.recordMesgs ?? []) {
    const timestamp = record.timestamp as unknown;
    if (typeof timestamp !== 'number' || typeof record.distance !== 'number') continue;
    start ??= ms(timestamp);
    streams.time.push(Math.round((ms(timestamp) - start) / 1000));
    streams.distance.push(record.distance);
    if (typeof record.positionLat === 'number' && typeof record.positionLong === 'number')
      streams.latlng.push([record.positionLat * SEMICIRCLE, record.positionLong * SEMICIRCLE]);
  }
  if (start !== undefined) {
    streams.startDate = isoSecond(new Date(start));
    const activity = messages.activityMesgs?.[0];
    const timestamp = activity?.timestamp as unknown;
    if (activity && typeof activity.localTimestamp === 'number' && typeof timestamp === 'number') {
      // local_timestamp - timestamp is the device's UTC offset when the activity message was written.
      const offsetMs = (activity.localTimestamp - timestamp) * 1000;
      streams.startDateLocal = isoSecond(new Date(start + offsetMs)).replace(/Z$/, '');
    }
  }
  return streams;
}

/**
 * GPX (`trkpt lat lon` + `time`) and TCX (`Trackpoint` with `Time`, `DistanceMeters`, `Position`),
 * read as a stream of SAX events: no document tree, memory bounded by one point. Blanks before
 * `<?xml` (which Strava's archives have) are dropped; saxes expands no entities a DTD declares.
 */
async function parseXmlTrack(format: 'gpx' | 'tcx', input: Readable): Promise<ActivityStreams> {
  const parser = new SaxesParser({ xmlns: false });
  const points: { time?: number; distance?: number; lat?: number; lon?: number }[] = [];
  let point: { time?: number; distance?: number; lat?: number; lon?: number } | undefined;
  let field: string | undefined;
  let text = '';
  const pointTag = format === 'gpx' ? 'trkpt' : 'Trackpoint';
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (name === pointTag) {
      point = {};
      if (format === 'gpx') {
        point.lat = Number(tag.attributes['lat']);
        point.lon = Number(tag.attributes['lon']);
      }
    } else if (point) {
      field = name;
      text = '';
    }
  });
  parser.on('text', (value) => {
    if (field) text += value;
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === pointTag && point) {
      points.push(point);
      point = undefined;
    } else if (point && name === field) {
      const value = text.trim();
      if (name === 'time' || name === 'Time') point.time = Date.parse(value);
      else if (name === 'DistanceMeters') point.distance = Number(value);
      else if (name === 'LatitudeDegrees') point.lat = Number(value);
      else if (name === 'LongitudeDegrees') point.lon = Number(value);
      field = undefined;
    }
  });
  let started = false;
  for await (const chunk of input) {
    let piece = (chunk as Buffer).toString('utf8');
    if (!started) {
      piece = piece.replace(/^[\uFEFF\s]+/, '');
      if (piece === '') continue;
      started = true;
    }
    parser.write(piece);
    if (failure) throw failure;
  }
  parser.close();
  if (failure) throw failure;
  return toStreams(points);
}

function toStreams(points: { time?: number; distance?: number; lat?: number; lon?: number }[]): ActivityStreams {
  const streams: ActivityStreams = { time: [], distance: [], latlng: [] };
  let start: number | undefined;
  let distance = 0;
  let previous: [number, number] | undefined;
  for (const point of points) {
    if (point.time === undefined || !Number.isFinite(point.time)) continue;
    const position: [number, number] | undefined =
      Number.isFinite(point.lat) && Number.isFinite(point.lon) ? [point.lat!, point.lon!] : undefined;
    if (point.distance !== undefined && Number.isFinite(point.distance)) distance = point.distance;
    else if (position && previous) distance += haversine(previous, position);
    else if (!position) continue;
    start ??= point.time;
    streams.time.push(Math.round((point.time - start) / 1000));
    streams.distance.push(distance);
    if (position) {
      streams.latlng.push(position);
      previous = position;
    }
  }
  if (start !== undefined) streams.startDate = isoSecond(new Date(start));
  return streams;
}

const EARTH_RADIUS_M = 6_371_008.8;

export function haversine([lat1, lon1]: [number, number], [lat2, lon2]: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function isoSecond(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
