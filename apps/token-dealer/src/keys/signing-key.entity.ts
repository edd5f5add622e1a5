import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A token signing key. Published in the JWKS from creation; signs from `activatesAt` until the
 * next key activates (`retiresAt`); stays published until the last token it signed has expired.
 */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 10 })
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  /** The PKCS#8 private key, AES-256-GCM encrypted with the key-encryption key (see key-cipher.ts). */
  @Column({ name: 'private_key_encrypted', type: 'text' })
  privateKeyEncrypted!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activates_at', type: 'timestamptz' })
  activatesAt!: Date;

  @Column({ name: 'retires_at', type: 'timestamptz', nullable: true })
  retiresAt!: Date | null;
}
