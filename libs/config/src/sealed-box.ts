import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A 256-bit key with an id: rotation keeps older keys to open what they sealed. */
export interface SealingKey {
  id: string;
  key: Buffer;
}

export interface Sealed {
  /** Which key sealed it. */
  keyId: string;
  /** iv (12 bytes) ‖ auth tag (16 bytes) ‖ ciphertext. */
  ciphertext: Buffer;
}

const ALGORITHM = 'aes-256-gcm';
export const SEALED_IV_BYTES = 12;
export const SEALED_TAG_BYTES = 16;

export class SealedBoxError extends Error {
  override readonly name = 'SealedBoxError';
}

/**
 * Secrets at rest: AES-256-GCM with a fresh random iv each time, under the first of `keys`; any of
 * them opens. The associated data binds a ciphertext to its row (a user id, a key id): moved onto
 * another row, it no longer opens. Messages never hold a key or a plaintext.
 */
export class SealedBox {
  private readonly byId: Map<string, Buffer>;
  private readonly current: SealingKey;

  constructor(keys: SealingKey[]) {
    if (!keys[0]) throw new Error('a sealed box needs at least one key');
    if (keys.some(({ key }) => key.length !== 32)) throw new Error('a sealed box needs 32-byte keys');
    this.current = keys[0];
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: Buffer | string, associatedData: string): Sealed {
    const iv = randomBytes(SEALED_IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([
      cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
      cipher.final(),
    ]);
    return { keyId: this.current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  /** The plaintext, or SealedBoxError (unknown key id, tampered with, another row's, wrong key). */
  open(sealed: Sealed, associatedData: string): Buffer {
    const key = this.byId.get(sealed.keyId);
    if (!key) throw new SealedBoxError(`no key with id ${sealed.keyId} is configured`);
    const { ciphertext } = sealed;
    try {
      // A tag of any other length (a truncated one is easier to forge) is refused.
      const decipher = createDecipheriv(ALGORITHM, key, ciphertext.subarray(0, SEALED_IV_BYTES), {
        authTagLength: SEALED_TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(ciphertext.subarray(SEALED_IV_BYTES, SEALED_IV_BYTES + SEALED_TAG_BYTES));
      return Buffer.concat([
        decipher.update(ciphertext.subarray(SEALED_IV_BYTES + SEALED_TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new SealedBoxError(`the sealed secret does not decrypt with key ${sealed.keyId}`);
    }
  }
}
