import { decodeSecret, type Sealed, SealedBox, type SealingKey } from '@runnerly/config';

export { SealedBoxError as TokenDecryptionError } from '@runnerly/config';
export type EncryptionKey = SealingKey;
/** `keyId`: which key encrypted it (rotation keeps old keys to decrypt); `ciphertext`: iv ‖ tag ‖ ciphertext. */
export type EncryptedSecret = Sealed;

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `k1:<key>[,k0:<older key>]` (32-byte keys, base64 or hex). The first key is the current
 * one. A single bare key is accepted too and gets the id `default`. Messages never echo a key.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('must hold at least one key');
  const keys = entries.map((entry, index) => {
    const separator = entry.indexOf(':');
    const id = separator === -1 ? 'default' : entry.slice(0, separator);
    const encoded = separator === -1 ? entry : entry.slice(separator + 1);
    if (!KEY_ID.test(id)) throw new Error(`key #${index + 1} has a malformed id (letters, digits, _ and - only)`);
    const key = decodeSecret(encoded);
    if (key?.length !== 32) throw new Error(`key ${id} must be 32 bytes, base64 or hex encoded`);
    return { id, key };
  });
  if (new Set(keys.map((key) => key.id)).size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

/** Strava tokens at rest: a SealedBox with rotatable keys, each ciphertext bound to its user id. */
export class TokenCipher {
  private readonly box: SealedBox;

  constructor(keys: EncryptionKey[]) {
    this.box = new SealedBox(keys);
  }

  get currentKeyId(): string {
    return this.box.currentKeyId;
  }

  encrypt(plaintext: string, userId: string): EncryptedSecret {
    return this.box.seal(plaintext, userId);
  }

  /** The plaintext, or TokenDecryptionError. */
  decrypt(secret: EncryptedSecret, userId: string): string {
    return this.box.open(secret, userId).toString('utf8');
  }
}
