import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DATA_SCHEMA } from '../database/schema.js';

/** A Runnerly athlete, keyed internally by a generated id and unique by Strava athlete id. */
@Entity({ name: 'users', schema: DATA_SCHEMA })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'strava_athlete_id', type: 'bigint', unique: true })
  stravaAthleteId!: string;

  @Column({ type: 'text' })
  firstname!: string;

  @Column({ type: 'text' })
  lastname!: string;

  /** Strava no longer gives emails: optional. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  city!: string | null;

  @Column({ type: 'text', nullable: true })
  country!: string | null;

  @Column({ name: 'profile_image_url', type: 'text', nullable: true })
  profileImageUrl!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
