import { ArchiveError, ArchiveErrorCode } from './archive.errors.js';

/**
 * activities.csv: its header grew over the years and is localised, and several names appear
 * twice (`Elapsed Time`, `Distance`, `Max Heart Rate`): the first `Distance` is the display value
 * in km or miles, the second metres. Columns are found by known names (English, German, French,
 * Spanish) and by which occurrence they are, never by position.
 */
export type ColumnKey =
  | 'id'
  | 'date'
  | 'name'
  | 'type'
  | 'elapsedTime'
  | 'distance'
  | 'filename'
  | 'movingTime'
  | 'elevationGain'
  | 'maxSpeed'
  | 'averageSpeed'
  | 'maxHeartrate'
  | 'averageHeartrate';

const KNOWN_NAMES: Record<ColumnKey, string[]> = {
  id: ['activity id', 'aktivitäts-id', 'aktivitats-id', "id de l'activité", 'id de actividad', 'id de la actividad'],
  date: ['activity date', 'aktivitätsdatum', 'datum der aktivität', "date de l'activité", 'fecha de la actividad'],
  name: ['activity name', 'aktivitätsname', 'name der aktivität', "nom de l'activité", 'nombre de la actividad'],
  type: ['activity type', 'aktivitätsart', 'aktivitätstyp', "type d'activité", 'tipo de actividad'],
  elapsedTime: ['elapsed time', 'verstrichene zeit', 'gesamtzeit', 'temps écoulé', 'tiempo transcurrido'],
  distance: ['distance', 'distanz', 'entfernung', 'distancia'],
  filename: ['filename', 'dateiname', 'nom du fichier', 'nom de fichier', 'nombre de archivo', 'nombre del archivo'],
  movingTime: ['moving time', 'bewegungszeit', 'temps de déplacement', 'tiempo en movimiento'],
  elevationGain: ['elevation gain', 'höhenzunahme', 'höhenmeter bergauf', 'dénivelé positif', 'desnivel positivo'],
  maxSpeed: ['max speed', 'maximalgeschwindigkeit', 'höchstgeschwindigkeit', 'vitesse max.', 'velocidad máxima'],
  averageSpeed: ['average speed', 'durchschnittsgeschwindigkeit', 'vitesse moyenne', 'velocidad media'],
  maxHeartrate: ['max heart rate', 'maximale herzfrequenz', 'fréquence cardiaque max.', 'frecuencia cardiaca máxima'],
  averageHeartrate: [
    'average heart rate',
    'durchschnittliche herzfrequenz',
    'fréquence cardiaque moyenne',
    'frecuencia cardiaca media',
  ],
};

const REQUIRED: ColumnKey[] = ['id', 'date', 'type', 'elapsedTime', 'distance', 'filename'];

const normalise = (name: string) =>
  name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .normalize('NFC')
    .replace(/[’`]/g, "'");

/** Where each known column is; `distanceMetres`/`elapsedSeconds` are the second occurrences, when present. */
export interface ActivitiesColumns {
  indexes: Partial<Record<ColumnKey, number>>;
  /** The second `Distance` column (metres), in exports since ~2019. */
  distanceMetres?: number;
  /** The second `Elapsed Time` (seconds, with decimals). */
  elapsedSeconds?: number;
  /** The second `Max Heart Rate`: the first is a display value in older exports. */
  maxHeartrateSecond?: number;
}

export function mapActivitiesHeader(header: readonly string[]): ActivitiesColumns {
  const byName = new Map<string, ColumnKey>();
  for (const [key, names] of Object.entries(KNOWN_NAMES) as [ColumnKey, string[]][])
    for (const name of names) byName.set(normalise(name), key);
  const seen = new Map<ColumnKey, number[]>();
  header.forEach((raw, index) => {
    const key = byName.get(normalise(raw));
    if (key) seen.set(key, [...(seen.get(key) ?? []), index]);
  });
  const missing = REQUIRED.filter((key) => !seen.has(key));
  if (missing.length > 0)
    throw new ArchiveError(
      ArchiveErrorCode.UnknownHeader,
      `activities.csv has no column for ${missing.join(', ')} (a header we do not know: ${header.slice(0, 8).join(', ')}, …)`,
    );
  const indexes: Partial<Record<ColumnKey, number>> = {};
  for (const [key, positions] of seen) indexes[key] = positions[0];
  const second = (key: ColumnKey) => seen.get(key)?.[1];
  const columns: ActivitiesColumns = { indexes };
  const distanceMetres = second('distance');
  const elapsedSeconds = second('elapsedTime');
  const maxHeartrateSecond = second('maxHeartrate');
  if (distanceMetres !== undefined) columns.distanceMetres = distanceMetres;
  if (elapsedSeconds !== undefined) columns.elapsedSeconds = elapsedSeconds;
  if (maxHeartrateSecond !== undefined) columns.maxHeartrateSecond = maxHeartrateSecond;
  return columns;
}

/** A number as the export writes it: `5.03`, `5,03` (German, French), `1,234.5`. Empty → undefined. */
export function parseNumber(text: string | undefined): number | undefined {
  const value = (text ?? '').trim().replace(/\s/g, '');
  if (value === '') return undefined;
  let normalised = value;
  if (value.includes(',') && value.includes('.'))
    normalised =
      value.lastIndexOf(',') > value.lastIndexOf('.')
        ? value.replace(/\./g, '').replace(',', '.')
        : value.replace(/,/g, '');
  else if (value.includes(',')) normalised = value.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) return Number.NaN;
  return Number(normalised);
}

const MONTHS: string[][] = [
  ['january', 'januar', 'janvier', 'enero', 'jänner'],
  ['february', 'februar', 'février', 'febrero'],
  ['march', 'märz', 'mars', 'marzo'],
  ['april', 'avril', 'abril'],
  ['may', 'mai', 'mayo'],
  ['june', 'juni', 'juin', 'junio'],
  ['july', 'juli', 'juillet', 'julio'],
  ['august', 'août', 'agosto'],
  ['september', 'septembre', 'septiembre', 'setiembre'],
  ['october', 'oktober', 'octobre', 'octubre'],
  ['november', 'novembre', 'noviembre'],
  ['december', 'dezember', 'décembre', 'diciembre'],
];

/** A month name or its abbreviation (`Mar`, `März`, `mars`, `févr.`, `dic.`), 0-based; undefined when ambiguous. */
function monthIndex(token: string): number | undefined {
  const word = token.toLowerCase().replace(/\.$/, '');
  if (word.length < 3) return undefined;
  const matches = new Set<number>();
  MONTHS.forEach((names, index) => {
    if (names.some((name) => name.startsWith(word))) matches.add(index);
  });
  return matches.size === 1 ? [...matches][0] : undefined;
}

const EN_DATE = /^(\p{L}+\.?)\s+(\d{1,2}),\s*(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})\s*([AP]M)?$/iu;
const DAY_FIRST = /^(\d{1,2})\.?\s+(\p{L}+\.?)\s+(\d{4}),?\s+(?:à\s+|um\s+)?(\d{1,2}):(\d{2}):(\d{2})$/iu;
const NUMERIC = /^(\d{1,2})[./](\d{1,2})[./](\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/;

/**
 * `Activity Date` (UTC, no zone): `Oct 7, 2020, 2:43:11 PM` in English exports, `7. Okt. 2020,
 * 14:43:11` / `7 oct. 2020, 14:43:11` / `7 oct 2020, 14:43:11` in others, or numeric day-first.
 * Returns ISO 8601 UTC, or undefined when it is none of these.
 */
export function parseActivityDate(text: string): string | undefined {
  const value = text.trim().replace(/\u202f|\u00a0/g, ' ');
  let parts: [number, number, number, number, number, number] | undefined;
  let match = EN_DATE.exec(value);
  if (match) {
    const month = monthIndex(match[1]!);
    if (month === undefined) return undefined;
    let hour = Number(match[4]);
    const meridiem = match[7]?.toUpperCase();
    if (meridiem && (hour < 1 || hour > 12)) return undefined;
    if (meridiem === 'PM' && hour !== 12) hour += 12;
    if (meridiem === 'AM' && hour === 12) hour = 0;
    parts = [Number(match[3]), month, Number(match[2]), hour, Number(match[5]), Number(match[6])];
  } else if ((match = DAY_FIRST.exec(value))) {
    const month = monthIndex(match[2]!);
    if (month === undefined) return undefined;
    parts = [Number(match[3]), month, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6])];
  } else if ((match = NUMERIC.exec(value))) {
    parts = [
      Number(match[3]),
      Number(match[2]) - 1,
      Number(match[1]),
      Number(match[4]),
      Number(match[5]),
      Number(match[6]),
    ];
  } else if ((match = ISO.exec(value))) {
    parts = [
      Number(match[1]),
      Number(match[2]) - 1,
      Number(match[3]),
      Number(match[4]),
      Number(match[5]),
      Number(match[6]),
    ];
  }
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts;
  const date = new Date(Date.UTC(year, month, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March: such a date is not a date.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    year < 1900
  )
    return undefined;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Strava's activity types that are runs, as exports write them in each language. */
const RUN_TYPES: Record<string, 'Run' | 'TrailRun' | 'VirtualRun'> = {
  run: 'Run',
  running: 'Run',
  lauf: 'Run',
  laufen: 'Run',
  course: 'Run',
  'course à pied': 'Run',
  carrera: 'Run',
  correr: 'Run',
  'trail run': 'TrailRun',
  trailrun: 'TrailRun',
  traillauf: 'TrailRun',
  'course de trail': 'TrailRun',
  'carrera por montaña': 'TrailRun',
  'virtual run': 'VirtualRun',
  virtualrun: 'VirtualRun',
  'virtueller lauf': 'VirtualRun',
  'course virtuelle': 'VirtualRun',
  'carrera virtual': 'VirtualRun',
};

export function runSportType(type: string): 'Run' | 'TrailRun' | 'VirtualRun' | undefined {
  return RUN_TYPES[normalise(type)];
}

/** One run of activities.csv, in the data-service's units (metres, seconds, m/s). */
export interface ArchiveRun {
  stravaId: number;
  name: string;
  sportType: 'Run' | 'TrailRun' | 'VirtualRun';
  /** ISO 8601 UTC. */
  startDate: string;
  elapsedTime: number;
  movingTime: number;
  distance: number;
  totalElevationGain: number;
  averageSpeed: number;
  maxSpeed: number;
  averageHeartrate?: number;
  maxHeartrate?: number;
  /** `activities/123.gpx`; absent for manual activities. */
  filename?: string;
}

export type DistanceUnit = 'km' | 'mi';
const UNIT_METRES: Record<DistanceUnit, number> = { km: 1000, mi: 1609.344 };

/**
 * Reads rows one at a time and keeps what it learns across rows: the display unit of the first
 * Distance column is found from the rows that have both (km or miles) and every later row must
 * agree with it, or the archive is refused (the columns were mapped wrong, or the file is forged).
 */
export class ActivitiesCsvReader {
  private unit: DistanceUnit | undefined;
  private row = 1;

  constructor(private readonly columns: ActivitiesColumns) {}

  static fromHeader(header: readonly string[]): ActivitiesCsvReader {
    return new ActivitiesCsvReader(mapActivitiesHeader(header));
  }

  /** The run in this row, or undefined for another sport. */
  read(record: readonly string[]): ArchiveRun | undefined {
    this.row += 1;
    const { indexes } = this.columns;
    const cell = (index: number | undefined) => (index === undefined ? undefined : record[index]);
    const sportType = runSportType(cell(indexes.type) ?? '');
    if (!sportType) return undefined;
    const bad = (what: string) =>
      new ArchiveError(ArchiveErrorCode.BadRow, `activities.csv line ${this.row}: ${what} cannot be read`);
    const idText = (cell(indexes.id) ?? '').trim();
    const stravaId = Number(idText);
    if (!/^\d{1,16}$/.test(idText) || !Number.isSafeInteger(stravaId) || stravaId <= 0) throw bad('the activity id');
    const startDate = parseActivityDate(cell(indexes.date) ?? '');
    if (!startDate) throw bad(`the date "${(cell(indexes.date) ?? '').slice(0, 40)}"`);
    const number = (index: number | undefined, what: string) => {
      const value = parseNumber(cell(index));
      if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw bad(what);
      return value;
    };
    const elapsed =
      number(this.columns.elapsedSeconds, 'the elapsed time') ?? number(indexes.elapsedTime, 'the elapsed time');
    if (elapsed === undefined) throw bad('the elapsed time');
    const display = number(indexes.distance, 'the distance');
    const metres = number(this.columns.distanceMetres, 'the distance');
    const distance = this.distanceMetres(display, metres);
    const elapsedTime = Math.round(elapsed);
    const movingTime = Math.round(number(indexes.movingTime, 'the moving time') ?? elapsedTime);
    const averageSpeed =
      number(indexes.averageSpeed, 'the average speed') ?? (movingTime > 0 ? distance / movingTime : 0);
    const maxHeartrate =
      number(this.columns.maxHeartrateSecond, 'the max heart rate') ??
      number(indexes.maxHeartrate, 'the max heart rate');
    const averageHeartrate = number(indexes.averageHeartrate, 'the average heart rate');
    const filename = (cell(indexes.filename) ?? '').trim();
    const run: ArchiveRun = {
      stravaId,
      name: (cell(indexes.name) ?? '').trim().slice(0, 1024) || 'Run',
      sportType,
      startDate,
      elapsedTime,
      movingTime: Math.min(movingTime, elapsedTime || movingTime),
      distance,
      totalElevationGain: number(indexes.elevationGain, 'the elevation gain') ?? 0,
      averageSpeed,
      maxSpeed: number(indexes.maxSpeed, 'the max speed') ?? averageSpeed,
    };
    if (averageHeartrate && averageHeartrate <= 300) run.averageHeartrate = averageHeartrate;
    if (maxHeartrate && maxHeartrate <= 300) run.maxHeartrate = maxHeartrate;
    if (filename) run.filename = filename;
    return run;
  }

  private distanceMetres(display: number | undefined, metres: number | undefined): number {
    if (metres === undefined) {
      // Exports before ~2019 have one Distance: the display value, in kilometres unless learnt otherwise.
      return Math.round((display ?? 0) * UNIT_METRES[this.unit ?? 'km'] * 10) / 10;
    }
    if (display === undefined || metres < 500) return metres;
    const unit = (['km', 'mi'] as const).find((candidate) => agrees(display, metres, candidate));
    if (!unit || (this.unit && unit !== this.unit))
      throw new ArchiveError(
        ArchiveErrorCode.UnitsMismatch,
        `activities.csv line ${this.row}: Distance ${display} does not match ${metres} m in ${this.unit ?? 'km or miles'}: the columns are not what their names say`,
      );
    this.unit = unit;
    return metres;
  }
}

/** The display value is rounded to two decimals: it must be within that rounding of the metres. */
function agrees(display: number, metres: number, unit: DistanceUnit): boolean {
  return Math.abs(display * UNIT_METRES[unit] - metres) <= 0.006 * UNIT_METRES[unit] + metres * 0.001;
}
