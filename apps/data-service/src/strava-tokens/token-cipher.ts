import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface EncryptedSecret {
  /** Which key encrypted it: rotation keeps old keys around to decrypt. */
  keyId: string;
  /** iv (12 bytes) ‖ auth tag (16 bytes) ‖ ciphertext. */
  ciphertext: Buffer;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `k1:<key>[,k0:<older key>]` (32-byte keys, base64 or hex). The first key is the current
 * one. A single bare key is accepted too and gets the id `default`. Messages never echo a key.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('must hold at least one key');
  const keys = entries.map((entry, index) => {
    const separator = entry.indexOf(':');
    const id = separator === -1 ? 'default' : entry.slice(0, separator);
    const encoded = separator === -1 ? entry : entry.slice(separator + 1);
    if (!KEY_ID.test(id)) throw new Error(`key #${index + 1} has a malformed id (letters, digits, _ and - only)`);
    const key = decodeKey(encoded);
    if (key?.length !== 32) throw new Error(`key ${id} must be 32 bytes, base64 or hex encoded`);
    return { id, key };
  });
  if (new Set(keys.map((key) => key.id)).size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}

/** AES-256-GCM with rotatable keys. The associated data binds a ciphertext to its row (the user id). */
export class TokenCipher {
  private readonly byId: Map<string, Buffer>;
  private readonly current: EncryptionKey;

  constructor(keys: EncryptionKey[]) {
    if (!keys[0]) throw new Error('TokenCipher needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, associatedData: string): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  decrypt(secret: EncryptedSecret, associatedData: string): string {
    const key = this.byId.get(secret.keyId);
    if (!key) throw new TokenDecryptionError(`no key with id ${secret.keyId} is configured`);
    const iv = secret.ciphertext.subarray(0, IV_BYTES);
    const tag = secret.ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const body = secret.ciphertext.subarray(IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv);
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenDecryptionError(`stored token does not decrypt with key ${secret.keyId}`);
    }
  }
}

export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';
}
