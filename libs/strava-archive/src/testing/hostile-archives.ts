import { gzipSync } from 'node:zlib';
import {
  ACTIVITIES_CSV_HEADER,
  activitiesCsvRow,
  type ArchiveActivityInput,
  archiveFilename,
} from '../archive-writer.js';
import { ArchiveErrorCode } from '../archive.errors.js';
import { rawZip } from './raw-zip.js';

export interface HostileArchive {
  name: string;
  bytes: Buffer;
  code: ArchiveErrorCode;
}

const run: ArchiveActivityInput = {
  id: 9_000_000_001,
  name: 'Morning Run',
  type: 'Run',
  startDate: new Date('2024-03-04T06:12:45Z'),
  utcOffsetSeconds: 3600,
  elapsedTime: 1800,
  movingTime: 1750,
  distance: 5012.3,
  totalElevationGain: 12,
  averageSpeed: 2.86,
  maxSpeed: 4.1,
};
const csv = (rows: string[], header = ACTIVITIES_CSV_HEADER.join(',')) =>
  Buffer.from([header, ...rows].join('\n') + '\n');
const withFile = { ...run, file: { format: 'gpx.gz' as const, streams: () => ({ time: [], distance: [] }) } };
const goodCsv = csv([activitiesCsvRow(withFile)]);
const fileName = archiveFilename(withFile)!;

/**
 * Archives that must be refused whole, each with the code it must be refused with. Sizes are kept
 * small: the caps are checked on declared sizes and ratios before anything large is inflated.
 */
export function hostileArchives(): HostileArchive[] {
  const zeros = Buffer.alloc(48 * 1024 * 1024);
  // Blanks inside an XML element are valid GPX: only the size caps can stop these.
  const blankGpx = (bytes: number) =>
    Buffer.concat([Buffer.from('<?xml version="1.0"?><gpx>'), Buffer.alloc(bytes, ' ')]);
  return [
    {
      name: 'not a zip',
      bytes: Buffer.from('this is a text file, not a ZIP\n'.repeat(100)),
      code: ArchiveErrorCode.NotZip,
    },
    {
      name: 'truncated zip',
      bytes: rawZip([{ name: 'activities.csv', data: goodCsv }]).subarray(0, 200),
      code: ArchiveErrorCode.NotZip,
    },
    {
      name: 'foreign zip (no activities.csv)',
      bytes: rawZip([{ name: 'photos/cat.jpg', data: Buffer.from('not a cat') }]),
      code: ArchiveErrorCode.Foreign,
    },
    {
      name: '../ path',
      bytes: rawZip([
        { name: 'activities.csv', data: goodCsv },
        { name: '../../etc/evil.gpx', data: Buffer.from('<gpx/>') },
      ]),
      code: ArchiveErrorCode.UnsafePath,
    },
    {
      name: 'absolute path',
      bytes: rawZip([
        { name: 'activities.csv', data: goodCsv },
        { name: '/tmp/evil.gpx', data: Buffer.from('<gpx/>') },
      ]),
      code: ArchiveErrorCode.UnsafePath,
    },
    {
      name: 'symbolic link',
      bytes: rawZip([
        { name: 'activities.csv', data: goodCsv },
        { name: fileName, data: Buffer.from('/etc/passwd'), method: 0, unixMode: 0o120777 },
      ]),
      code: ArchiveErrorCode.UnsafePath,
    },
    {
      name: 'zip bomb (48 MiB of zeros, ratio ~1000:1)',
      bytes: rawZip([{ name: 'activities.csv', data: Buffer.concat([goodCsv, zeros]) }]),
      code: ArchiveErrorCode.TooLarge,
    },
    {
      name: 'huge entry (declares 3 GiB)',
      bytes: rawZip([
        { name: 'activities.csv', data: goodCsv },
        { name: fileName, data: Buffer.from('x'), declaredSize: 3 * 1024 ** 3 },
      ]),
      code: ArchiveErrorCode.TooLarge,
    },
    {
      name: 'lying size (inflates past what it declares)',
      bytes: rawZip([
        { name: 'activities.csv', data: goodCsv },
        { name: fileName, data: gzipSync(blankGpx(64 * 1024)), declaredSize: 100 },
      ]),
      code: ArchiveErrorCode.Corrupt,
    },
    {
      name: 'gzip bomb inside',
      bytes: rawZip([
        { name: 'activities.csv', data: goodCsv },
        { name: fileName, data: gzipSync(blankGpx(zeros.length)), method: 0 },
      ]),
      code: ArchiveErrorCode.TooLarge,
    },
    {
      name: 'unknown CSV header',
      bytes: rawZip([{ name: 'activities.csv', data: csv(['1,2,3'], 'Foo,Bar,Baz') }]),
      code: ArchiveErrorCode.UnknownHeader,
    },
    {
      name: 'Distance columns that disagree',
      bytes: rawZip([{ name: 'activities.csv', data: csv([activitiesCsvRow(run).replace(',5.01,', ',9.99,')]) }]),
      code: ArchiveErrorCode.UnitsMismatch,
    },
    {
      name: 'duplicate entry names',
      bytes: rawZip([
        { name: 'activities.csv', data: goodCsv },
        { name: 'activities.csv', data: goodCsv },
      ]),
      code: ArchiveErrorCode.Corrupt,
    },
  ];
}
