import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVITIES_CSV_HEADER,
  ActivitiesCsvReader,
  type ArchiveActivityInput,
  ArchiveError,
  ArchiveErrorCode,
  activityFileBytes,
  decodeFit,
  fitBytes,
  mapActivitiesHeader,
  parseActivityDate,
  parseNumber,
  readActivityFile,
  readStravaArchive,
  writeStravaArchive,
} from './index.js';
import { hostileArchives, rawZip } from './testing/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strava-archive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** 5 km in 1,500 s, one point every 5 s along a meridian (latlng agrees with distance). */
function streams(points = 301) {
  const time = Array.from({ length: points }, (_, index) => index * 5);
  const distance = time.map((seconds) => seconds * (5000 / 1500));
  const latlng = distance.map((metres): [number, number] => [48 + metres / 111_194.93, 11.5]);
  return { time, distance, latlng };
}

const activity = (id: number, overrides: Partial<ArchiveActivityInput> = {}): ArchiveActivityInput => ({
  id,
  name: `Run ${id}, "quoted"`,
  type: 'Run',
  startDate: new Date(Date.UTC(2024, 2, 4, 14, 12, 45) + id * 86_400_000),
  utcOffsetSeconds: 3600,
  elapsedTime: 1500,
  movingTime: 1490,
  distance: 5000,
  totalElevationGain: 21.5,
  averageSpeed: 3.356,
  maxSpeed: 4.2,
  averageHeartrate: 151.2,
  maxHeartrate: 177,
  ...overrides,
});

describe('activities.csv header', () => {
  it('maps the English header by name and occurrence (second Distance in metres)', () => {
    const columns = mapActivitiesHeader(ACTIVITIES_CSV_HEADER);
    expect(columns.indexes.id).toBe(0);
    expect(columns.indexes.distance).toBe(6);
    expect(columns.distanceMetres).toBe(17);
    expect(columns.elapsedSeconds).toBe(15);
    expect(columns.indexes.filename).toBe(12);
  });

  it.each([
    ['German', ['Aktivitäts-ID', 'Datum der Aktivität', 'Name der Aktivität', 'Aktivitätsart', 'Verstrichene Zeit', 'Distanz', 'Dateiname', 'Distanz']],
    ['French', ["ID de l'activité", "Date de l'activité", "Nom de l'activité", "Type d'activité", 'Temps écoulé', 'Distance', 'Nom du fichier', 'Distance']],
    ['Spanish', ['ID de actividad', 'Fecha de la actividad', 'Nombre de la actividad', 'Tipo de actividad', 'Tiempo transcurrido', 'Distancia', 'Nombre de archivo', 'Distancia']],
  ])('maps a %s header', (_language, header) => {
    const columns = mapActivitiesHeader(header);
    expect(columns.indexes).toMatchObject({ id: 0, date: 1, name: 2, type: 3, elapsedTime: 4, distance: 5, filename: 6 });
    expect(columns.distanceMetres).toBe(7);
  }); // prettier-ignore

  it('refuses a header without the columns it needs, naming them', () => {
    expect(() => mapActivitiesHeader(['Activity ID', 'Date', 'Name'])).toThrow(/no column for date, type, elapsedTime, distance, filename/);
  }); // prettier-ignore

  it('learns km or miles from the two Distance columns and refuses rows that disagree', () => {
    const header = ['Activity ID', 'Activity Date', 'Activity Type', 'Elapsed Time', 'Distance', 'Filename', 'Distance'];
    const miles = ActivitiesCsvReader.fromHeader(header);
    expect(miles.read(['1', 'Mar 4, 2019, 6:12:45 AM', 'Run', '1500', '3.11', '', '5000.0'])?.distance).toBe(5000);
    expect(() => miles.read(['2', 'Mar 5, 2019, 6:12:45 AM', 'Run', '1500', '5.00', '', '5000.0'])).toThrow(ArchiveError);
    const nonsense = ActivitiesCsvReader.fromHeader(header);
    expect(() => nonsense.read(['1', 'Mar 4, 2019, 6:12:45 AM', 'Run', '1500', '42', '', '5000'])).toThrow(/not what their names say/);
  }); // prettier-ignore

  it('keeps runs only, in the data-service units, and refuses unreadable rows', () => {
    const reader = ActivitiesCsvReader.fromHeader(ACTIVITIES_CSV_HEADER);
    const parse = (line: string) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((cell) => cell.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    const row = parse(csvRow(activity(1)));
    expect(reader.read(row)).toMatchObject({ stravaId: 1, sportType: 'Run', distance: 5000, elapsedTime: 1500, movingTime: 1490, startDate: '2024-03-05T14:12:45Z', maxHeartrate: 177, name: 'Run 1, "quoted"' });
    expect(reader.read(parse(csvRow(activity(2, { type: 'Ride' }))))).toBeUndefined();
    expect(() => reader.read(parse(csvRow(activity(3))).map((cell, index) => (index === 1 ? 'someday' : cell)))).toThrow(/line 4: the date/);
  }); // prettier-ignore
});

import { activitiesCsvRow as csvRow } from './index.js';

describe('dates and numbers as exports write them', () => {
  it.each([
    ['Mar 4, 2019, 6:12:45 AM', '2019-03-04T06:12:45Z'],
    ['Oct 7, 2020, 2:43:11 PM', '2020-10-07T14:43:11Z'],
    ['Dec 31, 2020, 12:05:00 AM', '2020-12-31T00:05:00Z'],
    ['4. März 2019, 06:12:45', '2019-03-04T06:12:45Z'],
    ['7 oct. 2020, 14:43:11', '2020-10-07T14:43:11Z'],
    ['4 févr. 2021, 06:00:00', '2021-02-04T06:00:00Z'],
    ['7 dic 2020, 14:43:11', '2020-12-07T14:43:11Z'],
    ['04.03.2019, 06:12:45', '2019-03-04T06:12:45Z'],
    ['2019-03-04 06:12:45', '2019-03-04T06:12:45Z'],
  ])('%s', (text, iso) => expect(parseActivityDate(text)).toBe(iso));

  it.each(['', 'Feb 30, 2019, 6:12:45 AM', 'Foo 4, 2019, 6:12:45 AM', 'Ju 4, 2019, 6:12:45 AM', '13:00'])(
    'refuses %j',
    (text) => expect(parseActivityDate(text)).toBeUndefined(),
  );

  it('reads decimals with a point or a comma', () => {
    expect([parseNumber('5.03'), parseNumber('5,03'), parseNumber('1,234.5'), parseNumber('1.234,5'), parseNumber('')]).toEqual([5.03, 5.03, 1234.5, 1234.5, undefined]);
    expect(parseNumber('12abc')).toBeNaN();
  }); // prettier-ignore
});

describe('activity files', () => {
  const input = activity(7);
  it.each(['fit.gz', 'gpx', 'gpx.gz', 'tcx.gz'] as const)('reads back a %s file, blanks before <?xml included', async (format) => {
    const bytes = activityFileBytes(input, format, streams(), true);
    const raw = format.endsWith('.gz') ? Readable.from([require_gunzip(bytes)]) : Readable.from([bytes]);
    const read = await readActivityFile(`x.${format}`, format.startsWith('fit') ? 'fit' : format.startsWith('gpx') ? 'gpx' : 'tcx', raw);
    expect(read.time).toHaveLength(301);
    expect(read.time.at(-1)).toBe(1500);
    expect(read.distance.at(-1)).toBeCloseTo(5000, -1);
    expect(read.latlng[0]).toEqual([expect.closeTo(48, 5), expect.closeTo(11.5, 5)]);
    expect(read.startDate).toBe(input.startDate.toISOString().replace('.000', ''));
  }); // prettier-ignore

  it('knows the local start of a FIT file', () => {
    expect(decodeFit(fitBytes(input, streams())).startDateLocal).toBe('2024-03-11T15:12:45');
  });

  it('refuses damaged files one by one, with their name', async () => {
    const fit = fitBytes(input, streams());
    await expect(readActivityFile('a.fit', 'fit', Readable.from([Buffer.from(fit.subarray(0, 100))]))).rejects.toThrow(/a\.fit: .*integrity/);
    await expect(readActivityFile('b.gpx', 'gpx', Readable.from([Buffer.from('<gpx><trk><trkpt lat="1" lon="2"><time>')]))).rejects.toThrow(/b\.gpx/);
    const laughs = '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><gpx>&lol2;</gpx>';
    await expect(readActivityFile('c.gpx', 'gpx', Readable.from([Buffer.from(laughs)]))).rejects.toThrow(/c\.gpx/);
  }); // prettier-ignore
});

import { gunzipSync as require_gunzip } from 'node:zlib';

describe('whole archives', () => {
  it('writes and reads back an archive: runs only, manual ones without a file, every file format', async () => {
    const formats = ['fit.gz', 'gpx', 'gpx.gz', 'tcx.gz'] as const;
    const activities = Array.from({ length: 12 }, (_, index) =>
      activity(index + 1, {
        ...(index === 5 ? { type: 'Ride' } : {}),
        ...(index === 9 ? {} : { file: { format: formats[index % 4]!, leadingBlanks: index % 3 === 0, streams: () => streams() } }),
      }),
    ); // prettier-ignore
    const path = join(dir, 'good.zip');
    await writeStravaArchive(activities, createWriteStream(path));
    const archive = await readStravaArchive(path);
    try {
      expect(archive.runs).toHaveLength(11);
      expect(archive.otherActivities).toBe(1);
      let manual = 0;
      for (const run of archive.runs) {
        const read = await archive.streamsOf(run);
        if (!read) manual += 1;
        else expect(read.distance.at(-1)).toBeCloseTo(5000, -1);
      }
      expect(manual).toBe(1);
    } finally {
      archive.close();
    }
  });

  it('reads a file whose gzip is damaged as that file failing, not the archive', async () => {
    const row = csvRow({ ...activity(1), file: { format: 'gpx.gz', streams: () => streams() } });
    const path = join(dir, 'bad-gz.zip');
    await writeFile(path, rawZip([
      { name: 'activities.csv', data: Buffer.from(`${ACTIVITIES_CSV_HEADER.join(',')}\n${row}\n`) },
      { name: 'activities/1000000001.gpx.gz', data: gzipSync(Buffer.from('<gpx></gpx>')).subarray(0, 12) },
    ])); // prettier-ignore
    const archive = await readStravaArchive(path);
    await expect(archive.streamsOf(archive.runs[0]!)).rejects.toThrow(/activities\/1000000001\.gpx\.gz: /);
    archive.close();
  });

  it.each(hostileArchives().map((hostile) => [hostile.name, hostile] as const))('refuses %s', async (_name, hostile) => {
    const path = join(dir, 'hostile.zip');
    await writeFile(path, hostile.bytes);
    const attempt = async () => {
      const archive = await readStravaArchive(path);
      try {
        for (const run of archive.runs) await archive.streamsOf(run);
      } finally {
        archive.close();
      }
    };
    const error = await attempt().then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).code).toBe(hostile.code);
    expect((error as ArchiveError).message.length).toBeGreaterThan(20);
  }); // prettier-ignore

  it('refuses more entries than allowed', async () => {
    const path = join(dir, 'many.zip');
    await writeFile(path, rawZip(Array.from({ length: 20 }, (_, index) => ({ name: `f${index}`, data: Buffer.from('x') }))));
    await expect(readStravaArchive(path, { maxEntries: 10, maxEntryBytes: 1e6, maxTotalBytes: 1e7, maxRatio: 100 })).rejects.toMatchObject({ code: ArchiveErrorCode.TooLarge });
  }); // prettier-ignore
});
