import { CrcCalculator, Utils } from '@garmin/fitsdk';

/**
 * A FIT activity file written directly: file_id, one record per point, activity. Garmin's
 * Encoder takes ~0.1 ms per record (a 3,000-activity archive would take minutes to serve), so the
 * sandbox writes the three message types itself; Garmin's Decoder reads every file it writes
 * (the specs and the importer check that), and its CRC calculator signs them.
 */
export interface FitActivity {
  start: Date;
  /** Seconds east of UTC, for the activity message's local timestamp. */
  utcOffsetSeconds: number;
  serialNumber: number;
  totalTimerTime: number;
  time: number[];
  distance: number[];
  latlng?: [number, number][];
}

const FILE_ID = 0;
const RECORD = 20;
const ACTIVITY = 34;
const ENUM = 0x00;
const UINT16 = 0x84;
const SINT32 = 0x85;
const UINT32 = 0x86;
const UINT32Z = 0x8c;
const INVALID_SINT32 = 0x7fffffff;
const SEMICIRCLES = 2 ** 31 / 180;
const PROFILE_VERSION = 2132;

type Field = [number, number, number];

class Bytes {
  private buffer = Buffer.alloc(4096);
  length = 0;

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  u8(value: number): void {
    this.room(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
  }

  u16(value: number): void {
    this.room(2);
    this.buffer.writeUInt16LE(value, this.length);
    this.length += 2;
  }

  u32(value: number): void {
    this.room(4);
    this.buffer.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
  }

  s32(value: number): void {
    this.room(4);
    this.buffer.writeInt32LE(value, this.length);
    this.length += 4;
  }

  /** A definition message for local message `local`: little-endian, `fields` as [number, size, base type]. */
  define(local: number, global: number, fields: Field[]): void {
    this.u8(0x40 | local);
    this.u8(0);
    this.u8(0);
    this.u16(global);
    this.u8(fields.length);
    for (const [number, size, type] of fields) {
      this.u8(number);
      this.u8(size);
      this.u8(type);
    }
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

const fitTime = (date: Date) => Utils.convertDateToDateTime(date);

export function writeFitActivity(activity: FitActivity): Uint8Array {
  const data = new Bytes();
  data.define(0, FILE_ID, [
    [0, 1, ENUM],
    [1, 2, UINT16],
    [2, 2, UINT16],
    [3, 4, UINT32Z],
    [4, 4, UINT32],
  ]);
  data.u8(0);
  data.u8(4); // activity
  data.u16(255); // manufacturer: development
  data.u16(0);
  data.u32(activity.serialNumber || 1);
  data.u32(fitTime(activity.start));

  data.define(1, RECORD, [
    [253, 4, UINT32],
    [0, 4, SINT32],
    [1, 4, SINT32],
    [5, 4, UINT32],
  ]);
  const start = fitTime(activity.start);
  activity.time.forEach((seconds, index) => {
    const position = activity.latlng?.[index];
    data.u8(1);
    data.u32(start + seconds);
    data.s32(position ? Math.round(position[0] * SEMICIRCLES) : INVALID_SINT32);
    data.s32(position ? Math.round(position[1] * SEMICIRCLES) : INVALID_SINT32);
    data.u32(Math.round((activity.distance[index] ?? 0) * 100));
  });

  const end = start + (activity.time.at(-1) ?? 0);
  data.define(2, ACTIVITY, [
    [253, 4, UINT32],
    [0, 4, UINT32],
    [1, 2, UINT16],
    [2, 1, ENUM],
    [5, 4, UINT32],
  ]);
  data.u8(2);
  data.u32(end);
  data.u32(Math.round(activity.totalTimerTime * 1000));
  data.u16(1);
  data.u8(0); // manual
  data.u32(end + activity.utcOffsetSeconds);

  const body = data.bytes();
  const file = Buffer.alloc(14 + body.length + 2);
  file.writeUInt8(14, 0);
  file.writeUInt8(0x20, 1);
  file.writeUInt16LE(PROFILE_VERSION, 2);
  file.writeUInt32LE(body.length, 4);
  file.write('.FIT', 8, 'ascii');
  file.writeUInt16LE(CrcCalculator.calculateCRC(file, 0, 12), 12);
  body.copy(file, 14);
  file.writeUInt16LE(CrcCalculator.calculateCRC(file, 0, 14 + body.length), 14 + body.length);
  return file;
}
