import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Private signing keys at rest: AES-256-GCM under the key-encryption key, the kid bound in as
 * associated data (a ciphertext cannot be moved onto another key's row).
 * Format: `v1.<base64url iv>.<base64url tag>.<base64url ciphertext>`.
 */
export class KeyCipher {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the key-encryption key must have at least 32 bytes');
    this.key = key.subarray(0, 32);
  }

  encrypt(plaintext: Buffer, kid: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(kid, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(sealed: string, kid: string): Buffer {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error(`signing key ${kid}: unknown encryption format`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    } catch {
      throw new Error(`signing key ${kid}: cannot decrypt (wrong TOKEN_DEALER_KEY_ENCRYPTION_KEY?)`);
    }
  }
}
