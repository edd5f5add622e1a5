import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppException } from '@runnerly/platform';
import busboy from 'busboy';

/** The field the page sends the archive in. */
export const ARCHIVE_FIELD = 'archive';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const tooLarge = (maxBytes: number) =>
  new AppException(
    'archive_too_large',
    `The archive is larger than the ${Math.round(maxBytes / 1024 / 1024)} MiB Runnerly accepts`,
    413,
    { maxBytes },
    { connection: 'close' },
  );
const notZip = () =>
  new AppException('not_zip', 'This is not a ZIP file: upload the archive Strava sent you, as it came', 400);

/** Refuses a stream that does not start like a ZIP, before more than four bytes are written. */
class ZipMagic extends Transform {
  private head = Buffer.alloc(0);
  private checked = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.checked) return callback(null, chunk);
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < ZIP_MAGIC.length) return callback();
    if (!this.head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return callback(notZip());
    this.checked = true;
    callback(null, this.head);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.checked ? null : notZip());
  }
}

/**
 * Streams the multipart field `archive` of a request to `path` with busboy (the parser multer is
 * built on): never held in memory, cut off at `maxBytes` (413), refused unless it starts like a
 * ZIP (400). Any other part is drained and ignored; a request without the field is a 400. On any
 * failure the partial file is removed.
 */
export async function receiveArchive(req: IncomingMessage, path: string, maxBytes: number): Promise<void> {
  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? ''))
    throw new AppException(
      'multipart_required',
      `Send the archive as multipart/form-data, field "${ARCHIVE_FIELD}"`,
      415,
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: maxBytes, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 20 },
    });
  } catch {
    throw new AppException('multipart_required', 'The multipart body cannot be read (no boundary?)', 400);
  }
  let written: Promise<void> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('file', (field, stream) => {
        if (field !== ARCHIVE_FIELD || written) {
          stream.resume();
          return;
        }
        let truncated = false;
        stream.on('limit', () => {
          truncated = true;
          stream.destroy(tooLarge(maxBytes));
        });
        written = pipeline(stream, new ZipMagic(), createWriteStream(path, { flags: 'wx', mode: 0o600 })).then(() => {
          if (truncated) throw tooLarge(maxBytes);
        });
        written.catch(reject);
      });
      parser.on('error', (error) =>
        reject(
          error instanceof AppException
            ? error
            : new AppException('multipart_invalid', `The upload cannot be read (${(error as Error).message})`, 400),
        ),
      );
      parser.on('close', () => resolve());
      req.on('aborted', () => reject(new AppException('upload_aborted', 'The upload was interrupted', 400)));
      req.pipe(parser);
    });
    if (!written) throw new AppException('archive_missing', `No file in the field "${ARCHIVE_FIELD}"`, 400);
    await written;
  } catch (error) {
    req.unpipe(parser);
    await rm(path, { force: true });
    // A refusal is answered once the client has finished sending (or it may see a reset instead
    // of the answer); past the size cap the connection is closed instead of read to the end.
    if (!(error instanceof AppException && error.status === 413) && !req.complete) {
      req.resume();
      await Promise.race([once(req, 'end'), once(req, 'close'), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    throw error;
  }
}
