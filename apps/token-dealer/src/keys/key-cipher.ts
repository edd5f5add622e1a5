import { SEALED_IV_BYTES, SEALED_TAG_BYTES, SealedBox } from '@runnerly/config';

const VERSION = 'v1';

/**
 * Private signing keys at rest: a SealedBox under the key-encryption key, the kid bound in as
 * associated data (a ciphertext cannot be moved onto another key's row).
 * Format: `v1.<base64url iv>.<base64url tag>.<base64url ciphertext>`.
 */
export class KeyCipher {
  private readonly box: SealedBox;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('the key-encryption key must have at least 32 bytes');
    this.box = new SealedBox([{ id: VERSION, key: key.subarray(0, 32) }]);
  }

  encrypt(plaintext: Buffer, kid: string): string {
    const { ciphertext } = this.box.seal(plaintext, kid);
    const tagEnd = SEALED_IV_BYTES + SEALED_TAG_BYTES;
    const parts = [
      ciphertext.subarray(0, SEALED_IV_BYTES),
      ciphertext.subarray(SEALED_IV_BYTES, tagEnd),
      ciphertext.subarray(tagEnd),
    ];
    return [VERSION, ...parts.map((part) => part.toString('base64url'))].join('.');
  }

  decrypt(sealed: string, kid: string): Buffer {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined)
      throw new Error(`signing key ${kid}: unknown encryption format`);
    const parts = [iv, tag, ciphertext].map((part) => Buffer.from(part, 'base64url'));
    try {
      if (parts[0]!.length !== SEALED_IV_BYTES || parts[1]!.length !== SEALED_TAG_BYTES) throw new Error('malformed');
      return this.box.open({ keyId: VERSION, ciphertext: Buffer.concat(parts) }, kid);
    } catch {
      throw new Error(`signing key ${kid}: cannot decrypt (wrong TOKEN_DEALER_KEY_ENCRYPTION_KEY?)`);
    }
  }
}
