import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { writeFitActivity } from './fit-writer.js';

/** The formats Strava keeps uploads in, as they appear in `activities/`. */
export type ArchiveFileFormat = 'fit.gz' | 'gpx' | 'gpx.gz' | 'tcx.gz';

export interface ArchiveStreams {
  time: number[];
  distance: number[];
  latlng?: [number, number][];
}

/** An activity to write: Strava's summary, and the original upload unless it was entered by hand. */
export interface ArchiveActivityInput {
  id: number;
  name: string;
  /** Strava's activity type as the export writes it (`Run`, `Ride`, …). */
  type: string;
  startDate: Date;
  /** Seconds east of UTC where it was run (FIT files carry the local time). */
  utcOffsetSeconds: number;
  elapsedTime: number;
  movingTime: number;
  /** Metres. */
  distance: number;
  totalElevationGain: number;
  averageSpeed: number;
  maxSpeed: number;
  averageHeartrate?: number | null;
  maxHeartrate?: number | null;
  /** Absent for a manual activity. */
  file?: {
    format: ArchiveFileFormat;
    /** Some uploads start with blanks before `<?xml` (GPX/TCX only). */
    leadingBlanks?: boolean;
    /** Built only when the entry is written, so a 3,000-activity archive never sits in memory. */
    streams: () => ArchiveStreams;
  };
}

/**
 * activities.csv's header as English exports wrote it in 2024: `Elapsed Time`, `Distance`,
 * `Max Heart Rate`, `Relative Effort` and `Commute` appear twice (the first Distance in km).
 */
export const ACTIVITIES_CSV_HEADER = [
  'Activity ID', 'Activity Date', 'Activity Name', 'Activity Type', 'Activity Description', 'Elapsed Time',
  'Distance', 'Max Heart Rate', 'Relative Effort', 'Commute', 'Activity Private Note', 'Activity Gear', 'Filename',
  'Athlete Weight', 'Bike Weight', 'Elapsed Time', 'Moving Time', 'Distance', 'Max Speed', 'Average Speed',
  'Elevation Gain', 'Elevation Loss', 'Elevation Low', 'Elevation High', 'Max Grade', 'Average Grade',
  'Average Positive Grade', 'Average Negative Grade', 'Max Cadence', 'Average Cadence', 'Max Heart Rate',
  'Average Heart Rate', 'Max Watts', 'Average Watts', 'Calories', 'Max Temperature', 'Average Temperature',
  'Relative Effort', 'Total Work', 'Number of Runs', 'Uphill Time', 'Downhill Time', 'Other Time',
  'Perceived Exertion', 'Type', 'Start Time', 'Weighted Average Power', 'Power Count', 'Prefer Perceived Exertion',
  'Perceived Relative Effort', 'Commute', 'Total Weight Lifted', 'From Upload', 'Grade Adjusted Distance',
  'Weather Observation Time', 'Weather Condition', 'Weather Temperature', 'Apparent Temperature', 'Dewpoint',
  'Humidity', 'Weather Pressure', 'Wind Speed', 'Wind Gust', 'Wind Bearing', 'Precipitation Intensity',
  'Sunrise Time', 'Sunset Time', 'Moon Phase', 'Bike', 'Gear', 'Precipitation Probability', 'Precipitation Type',
  'Cloud Cover', 'Weather Visibility', 'UV Index', 'Weather Ozone', 'Jump Count', 'Total Grit', 'Average Flow',
  'Flagged', 'Average Elapsed Speed', 'Dirt Distance', 'Newly Explored Distance', 'Newly Explored Dirt Distance',
  'Activity Count', 'Total Steps', 'Carbon Saved', 'Pool Length', 'Training Load', 'Intensity',
  'Average Grade Adjusted Pace', 'Timer Time', 'Total Cycles', 'Media',
]; // prettier-ignore

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Oct 7, 2020, 2:43:11 PM` (UTC), as English exports write `Activity Date`. */
export function formatActivityDate(date: Date): string {
  const hours = date.getUTCHours();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${hours % 12 || 12}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The archive's file name for an activity: Strava's are not always the activity id. */
export function archiveFilename(activity: ArchiveActivityInput): string | undefined {
  return activity.file ? `activities/${activity.id + 1_000_000_000}.${activity.file.format}` : undefined;
}

export function activitiesCsvRow(activity: ArchiveActivityInput): string {
  const row = new Map<number, string | number | null | undefined>();
  const at = (name: string, occurrence = 0) => ACTIVITIES_CSV_HEADER.indexOf(name, occurrence);
  const second = (name: string) => at(name, at(name) + 1);
  row.set(at('Activity ID'), activity.id);
  row.set(at('Activity Date'), formatActivityDate(activity.startDate));
  row.set(at('Activity Name'), activity.name);
  row.set(at('Activity Type'), activity.type);
  row.set(at('Elapsed Time'), activity.elapsedTime);
  row.set(at('Distance'), (activity.distance / 1000).toFixed(2));
  row.set(at('Max Heart Rate'), activity.maxHeartrate ?? null);
  row.set(at('Commute'), 'false');
  row.set(at('Filename'), archiveFilename(activity) ?? null);
  row.set(second('Elapsed Time'), activity.elapsedTime.toFixed(1));
  row.set(at('Moving Time'), activity.movingTime.toFixed(1));
  row.set(second('Distance'), activity.distance.toFixed(1));
  row.set(at('Max Speed'), activity.maxSpeed.toFixed(3));
  row.set(at('Average Speed'), activity.averageSpeed.toFixed(3));
  row.set(at('Elevation Gain'), activity.totalElevationGain.toFixed(1));
  row.set(second('Max Heart Rate'), activity.maxHeartrate?.toFixed(1) ?? null);
  row.set(at('Average Heart Rate'), activity.averageHeartrate?.toFixed(1) ?? null);
  row.set(at('From Upload'), activity.file ? '1.0' : '0.0');
  return ACTIVITIES_CSV_HEADER.map((_, index) => csvCell(row.get(index))).join(',');
}

/**
 * Writes a Strava-like archive to `output` as it goes (yazl pulls each activity file only when it
 * is its turn): activities.csv, a profile.csv, and `activities/` with FIT, GPX and TCX files.
 */
export async function writeStravaArchive(activities: readonly ArchiveActivityInput[], output: Writable): Promise<void> {
  const zip = new yazl.ZipFile();
  const done = pipeline(zip.outputStream as Readable, output);
  const csv = [ACTIVITIES_CSV_HEADER.map(csvCell).join(','), ...activities.map(activitiesCsvRow)].join('\n') + '\n';
  zip.addBuffer(Buffer.from(csv, 'utf8'), 'activities.csv');
  zip.addBuffer(Buffer.from('Athlete ID,Email Address,First Name,Last Name\n', 'utf8'), 'profile.csv');
  zip.addEmptyDirectory('media/');
  for (const activity of activities) {
    const name = archiveFilename(activity);
    const file = activity.file;
    if (!name || !file) continue;
    const compress = !file.format.endsWith('.gz');
    zip.addReadStreamLazy(name, { compress }, (callback) => {
      try {
        callback(null, Readable.from([activityFileBytes(activity, file.format, file.streams(), file.leadingBlanks)]));
      } catch (error) {
        callback(error, Readable.from([]));
      }
    });
  }
  zip.end();
  await done;
}

export function activityFileBytes(
  activity: ArchiveActivityInput,
  format: ArchiveFileFormat,
  streams: ArchiveStreams,
  leadingBlanks = false,
): Buffer {
  const blanks = leadingBlanks ? '\n   \n  ' : '';
  switch (format) {
    case 'fit.gz':
      return gzipSync(fitBytes(activity, streams));
    case 'gpx':
      return Buffer.from(blanks + gpx(activity, streams), 'utf8');
    case 'gpx.gz':
      return gzipSync(Buffer.from(blanks + gpx(activity, streams), 'utf8'));
    case 'tcx.gz':
      return gzipSync(Buffer.from(blanks + tcx(activity, streams), 'utf8'));
  }
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const xmlEscape = (text: string) =>
  text.replace(/[<>&"']/g, (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]};`);
const at = (activity: ArchiveActivityInput, seconds: number) => new Date(activity.startDate.getTime() + seconds * 1000);

function gpx(activity: ArchiveActivityInput, streams: ArchiveStreams): string {
  const points = streams.time.map((time, index) => {
    const [lat, lng] = streams.latlng?.[index] ?? [0, 0];
    return `<trkpt lat="${lat.toFixed(7)}" lon="${lng.toFixed(7)}"><time>${iso(at(activity, time))}</time></trkpt>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1">` +
    `<metadata><time>${iso(activity.startDate)}</time></metadata><trk><name>${xmlEscape(activity.name)}</name>` +
    `<type>running</type><trkseg>\n${points.join('\n')}\n</trkseg></trk></gpx>\n`
  );
}

function tcx(activity: ArchiveActivityInput, streams: ArchiveStreams): string {
  const points = streams.time.map((time, index) => {
    const position = streams.latlng?.[index];
    const where = position
      ? `<Position><LatitudeDegrees>${position[0].toFixed(7)}</LatitudeDegrees><LongitudeDegrees>${position[1].toFixed(7)}</LongitudeDegrees></Position>`
      : '';
    return `<Trackpoint><Time>${iso(at(activity, time))}</Time>${where}<DistanceMeters>${streams.distance[index]!.toFixed(2)}</DistanceMeters></Trackpoint>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">` +
    `<Activities><Activity Sport="Running"><Id>${iso(activity.startDate)}</Id><Lap StartTime="${iso(activity.startDate)}">` +
    `<TotalTimeSeconds>${activity.elapsedTime}</TotalTimeSeconds><DistanceMeters>${activity.distance.toFixed(1)}</DistanceMeters>` +
    `<Track>\n${points.join('\n')}\n</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n`
  );
}

/** A real FIT activity file (see fit-writer.ts; Garmin's SDK decodes it). */
export function fitBytes(activity: ArchiveActivityInput, streams: ArchiveStreams): Uint8Array {
  return writeFitActivity({
    start: activity.startDate,
    utcOffsetSeconds: activity.utcOffsetSeconds,
    serialNumber: activity.id % 2 ** 31,
    totalTimerTime: activity.elapsedTime,
    time: streams.time,
    distance: streams.distance,
    ...(streams.latlng ? { latlng: streams.latlng } : {}),
  });
}
