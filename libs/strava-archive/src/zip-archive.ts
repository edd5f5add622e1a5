import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ActivityFileError, ArchiveError, ArchiveErrorCode } from './archive.errors.js';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS, RATIO_FLOOR_BYTES } from './archive.limits.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const UNIX = 3;

/** yauzl's own checks of names (`..`, absolute paths, backslashes) say these words. */
const UNSAFE_NAME = /invalid relative path|absolute path|invalid characters in fileName/i;

const MiB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * A ZIP read through yauzl from a file on disk: the central directory is read first (every name
 * checked before anything is inflated), then single entries are streamed on demand, never the
 * whole archive in memory. Every size, ratio and name limit is enforced here.
 */
export class ZipArchive {
  private readBytes = 0;

  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly limits: ArchiveLimits,
  ) {}

  static async open(path: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ZipArchive> {
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(path, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: true,
        validateEntrySizes: true,
        strictFileNames: true,
      });
    } catch (error) {
      throw new ArchiveError(ArchiveErrorCode.NotZip, `This is not a ZIP file we can read (${message(error)})`);
    }
    try {
      if (zip.entryCount > limits.maxEntries)
        throw new ArchiveError(
          ArchiveErrorCode.TooLarge,
          `The ZIP holds ${zip.entryCount} entries, more than the ${limits.maxEntries} allowed`,
        );
      const entries = new Map<string, Entry>();
      for await (const entry of zip.eachEntry()) {
        const name = entry.fileName;
        if (entry.versionMadeBy >> 8 === UNIX && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK)
          throw new ArchiveError(ArchiveErrorCode.UnsafePath, `The ZIP holds a symbolic link (${name}): refused`);
        if (entries.has(name))
          throw new ArchiveError(ArchiveErrorCode.Corrupt, `The ZIP names ${name} twice: it is damaged or forged`);
        entries.set(name, entry);
      }
      return new ZipArchive(zip, entries, limits);
    } catch (error) {
      zip.close();
      if (error instanceof ArchiveError) throw error;
      if (UNSAFE_NAME.test(message(error)))
        throw new ArchiveError(ArchiveErrorCode.UnsafePath, `The ZIP holds an unsafe entry name (${message(error)})`);
      throw new ArchiveError(ArchiveErrorCode.Corrupt, `The ZIP's directory is damaged (${message(error)})`);
    }
  }

  has(name: string): boolean {
    const entry = this.entries.get(name);
    return entry !== undefined && !name.endsWith('/');
  }

  /**
   * One entry's bytes, inflated; `gunzip` inflates a `.gz` inside too. The caps are checked on
   * the declared sizes first and then on the bytes that actually come out.
   */
  async open(name: string, options: { gunzip?: boolean } = {}): Promise<Readable> {
    const entry = this.entries.get(name);
    if (!entry || name.endsWith('/')) throw new ActivityFileError(name, 'not in the archive');
    const { maxEntryBytes, maxRatio } = this.limits;
    if (entry.uncompressedSize > maxEntryBytes)
      throw new ArchiveError(
        ArchiveErrorCode.TooLarge,
        `${name} inflates to ${MiB(entry.uncompressedSize)}, more than the ${MiB(maxEntryBytes)} allowed for one file`,
      );
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > entry.compressedSize * maxRatio)
      throw new ArchiveError(
        ArchiveErrorCode.TooLarge,
        `${name} is compressed ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1, beyond any real archive (a zip bomb?)`,
      );
    this.count(entry.uncompressedSize, name);
    let source: Readable;
    try {
      source = await this.zip.openReadStreamPromise(entry);
    } catch (error) {
      throw new ArchiveError(ArchiveErrorCode.Corrupt, `${name} cannot be read from the ZIP (${message(error)})`);
    }
    // A lie about sizes or a broken deflate stream is the ZIP's fault, not the activity's.
    const zipErrors = (output: Readable) =>
      source.on('error', (error) =>
        output.destroy(
          error instanceof ArchiveError
            ? error
            : new ArchiveError(ArchiveErrorCode.Corrupt, `${name} is damaged in the ZIP (${message(error)})`),
        ),
      );
    if (!options.gunzip) {
      const output = source.pipe(new PassThroughCounter());
      zipErrors(output);
      return output;
    }
    const inflater = createGunzip();
    const counter = new InflateCap(name, entry.uncompressedSize, this.limits, (bytes) => this.count(bytes, name));
    inflater.on('error', (error) => counter.destroy(new ActivityFileError(name, `not valid gzip (${message(error)})`)));
    zipErrors(counter);
    source.pipe(inflater).pipe(counter);
    counter.on('close', () => {
      source.destroy();
      inflater.destroy();
    });
    return counter;
  }

  close(): void {
    this.zip.close();
  }

  private count(bytes: number, name: string): void {
    this.readBytes += bytes;
    if (this.readBytes > this.limits.maxTotalBytes)
      throw new ArchiveError(
        ArchiveErrorCode.TooLarge,
        `The archive inflates to more than the ${MiB(this.limits.maxTotalBytes)} allowed (at ${name})`,
      );
  }
}

class PassThroughCounter extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, chunk);
  }
}

/** Counts what comes out of a `.gz`: past the per-file cap or the ratio, the stream fails (gzip bomb). */
class InflateCap extends Transform {
  private bytes = 0;

  constructor(
    private readonly name: string,
    private readonly compressedBytes: number,
    private readonly limits: ArchiveLimits,
    private readonly countTotal: (bytes: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    try {
      this.countTotal(chunk.length);
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (this.bytes > this.limits.maxEntryBytes) {
      callback(
        new ArchiveError(
          ArchiveErrorCode.TooLarge,
          `${this.name} inflates to more than the ${MiB(this.limits.maxEntryBytes)} allowed for one file`,
        ),
      );
      return;
    }
    if (this.bytes > RATIO_FLOOR_BYTES && this.bytes > this.compressedBytes * this.limits.maxRatio) {
      callback(
        new ArchiveError(
          ArchiveErrorCode.TooLarge,
          `${this.name} inflates beyond ${this.limits.maxRatio}:1, beyond any real activity file (a gzip bomb?)`,
        ),
      );
      return;
    }
    callback(null, chunk);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
