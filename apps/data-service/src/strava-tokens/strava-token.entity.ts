import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DATA_SCHEMA } from '../database/schema.js';

/**
 * An athlete's Strava token pair, encrypted (AES-256-GCM) with the key named by `keyId`. Its
 * presence is what makes a user "connected". Deleted with the user (ON DELETE CASCADE).
 */
@Entity({ name: 'strava_tokens', schema: DATA_SCHEMA })
export class StravaTokenEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  /** iv ‖ tag ‖ AES-256-GCM(JSON {accessToken, refreshToken}), associated data = user id. */
  @Column({ type: 'bytea' })
  ciphertext!: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'text' })
  scope!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
